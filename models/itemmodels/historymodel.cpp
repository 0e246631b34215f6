#include "itemmodels/historymodel.h"

#include "domain/plaintooltip.h"

#include "itemmodels/csv.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace hp {

namespace {

template<class T> int threeWay(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

constexpr int kAny = -1;  // a filter criterion that is not set
constexpr int kNone = -2; // a criterion no row can meet (a value never seen)

int classRank(const HistoryRow &r)
{
    return r.riskClass ? static_cast<int>(*r.riskClass) : -1; // unassessed below low
}

QString utcText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}

QString isoText(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

} // namespace

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void HistoryModel::setRows(std::vector<HistoryRow> rows)
{
    beginResetModel();
    m_rows = std::make_shared<const std::vector<HistoryRow>>(std::move(rows));
    buildKeys();
    m_order.resize(m_rows->size());
    std::iota(m_order.begin(), m_order.end(), 0);
    sortOrder(m_order, m_sortColumn, m_sortOrder);
    refilter();
    endResetModel();
}

// One comparator per direction, over a local pointer: the hot loop of a sort
// at a million rows must not re-read members or branch on the direction.
void HistoryModel::sortOrder(std::vector<int> &order, int column, Qt::SortOrder direction) const
{
    const HistoryRow *rows = m_rows->data();
    if (direction == Qt::AscendingOrder)
        std::stable_sort(order.begin(), order.end(), [rows, column](int a, int b) {
            return compareRows(rows[a], rows[b], column) < 0;
        });
    else
        std::stable_sort(order.begin(), order.end(), [rows, column](int a, int b) {
            return compareRows(rows[a], rows[b], column) > 0;
        });
}

void HistoryModel::setFilter(const HistoryFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    refilter();
    endResetModel();
}

void HistoryModel::buildKeys()
{
    m_keys.resize(m_rows->size());
    m_agentIds.clear();
    m_environmentIds.clear();
    const auto idOf = [](QHash<QString, int> &ids, const QString &value) {
        int id = ids.value(value, -1);
        if (id < 0) {
            id = int(ids.size());
            ids.insert(value, id);
        }
        return id;
    };
    for (size_t i = 0; i < m_rows->size(); ++i) {
        const HistoryRow &r = (*m_rows)[i];
        FilterKey &k = m_keys[i];
        k.decidedMs = r.decidedAt.toMSecsSinceEpoch();
        k.agent = idOf(m_agentIds, r.agentPrincipal);
        k.environment = idOf(m_environmentIds, r.environment);
        k.outcome = qint8(r.outcome);
        k.riskClass = r.riskClass ? qint8(*r.riskClass) : qint8(-1);
    }
}

// Same rows as HistoryFilter::matches, in two passes: a sequential scan of
// the compact keys marks the rows that pass, then `m_order` is walked once.
void HistoryModel::refilter()
{
    if (m_filter.isEmpty()) {
        m_visible = m_order;
        return;
    }
    m_visible.clear();
    const HistoryFilter &f = m_filter;
    const auto wanted = [](const QHash<QString, int> &ids, const QString &value) {
        return value.isEmpty() ? kAny : ids.value(value, kNone);
    };
    const int agent = wanted(m_agentIds, f.agent);
    const int environment = wanted(m_environmentIds, f.environment);
    if (agent == kNone || environment == kNone)
        return;
    const qint64 from = f.from.isValid() ? f.from.toMSecsSinceEpoch()
                                         : std::numeric_limits<qint64>::min();
    const qint64 to = f.to.isValid() ? f.to.toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    const int outcome = f.outcome ? int(*f.outcome) : kAny;
    const int riskClass = f.riskClass ? int(*f.riskClass) : kAny;
    std::vector<quint8> pass(m_keys.size());
    for (size_t i = 0; i < m_keys.size(); ++i) {
        const FilterKey &k = m_keys[i];
        pass[i] = k.decidedMs >= from && k.decidedMs <= to && (agent == kAny || k.agent == agent) &&
                  (environment == kAny || k.environment == environment) &&
                  (outcome == kAny || k.outcome == outcome) &&
                  (riskClass == kAny || k.riskClass == riskClass) &&
                  (f.reviewer.isEmpty() || (*m_rows)[i].deciders.contains(f.reviewer));
    }
    for (int i : m_order) {
        if (pass[size_t(i)])
            m_visible.push_back(i);
    }
}

const HistoryRow *HistoryModel::rowAt(int row) const
{
    if (row < 0 || row >= shownCount())
        return nullptr;
    return &(*m_rows)[size_t(m_visible[size_t(row)])];
}

int HistoryModel::compareRows(const HistoryRow &a, const HistoryRow &b, int column)
{
    switch (column) {
    case DecidedColumn:
        return threeWay(a.decidedAt, b.decidedAt);
    case TitleColumn:
        return a.title.compare(b.title);
    case AgentColumn:
        return a.agentPrincipal.compare(b.agentPrincipal);
    case OperatorColumn:
        return a.operatorLogin.compare(b.operatorLogin);
    case EnvironmentColumn:
        return a.environment.compare(b.environment);
    case ClassColumn:
        return threeWay(classRank(a), classRank(b));
    case ScoreColumn:
        return threeWay(a.riskScore, b.riskScore);
    case OutcomeColumn:
        return threeWay(static_cast<int>(a.outcome), static_cast<int>(b.outcome));
    case DecidersColumn:
        return threeWay(a.deciders, b.deciders);
    case TimeToDecisionColumn:
        return threeWay(a.secondsToDecision, b.secondsToDecision);
    case SlaColumn:
        return threeWay(a.slaMet, b.slaMet);
    default:
        return 0;
    }
}

void HistoryModel::sort(int column, Qt::SortOrder order)
{
    // Already in that order (a view announcing its initial sort): nothing moves.
    if (column < 0 || column >= ColumnCount || (column == m_sortColumn && order == m_sortOrder))
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> rowsBefore;
    rowsBefore.reserve(size_t(before.size()));
    for (const QModelIndex &i : before)
        rowsBefore.push_back(m_visible[size_t(i.row())]);
    m_sortColumn = column;
    m_sortOrder = order;
    sortOrder(m_order, column, order);
    refilter();
    if (!before.isEmpty()) {
        // Persistent indexes follow their row: position of each source row.
        std::vector<int> position(m_rows->size(), -1);
        for (size_t p = 0; p < m_visible.size(); ++p)
            position[size_t(m_visible[p])] = int(p);
        QModelIndexList after;
        for (qsizetype k = 0; k < before.size(); ++k)
            after << index(position[size_t(rowsBefore[size_t(k)])], before[k].column());
        changePersistentIndexList(before, after);
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QString HistoryModel::durationText(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 m = seconds / 60;
    if (m < 60)
        return QStringLiteral("%1m %2s").arg(m).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    const qint64 h = m / 60;
    if (h < 24)
        return QStringLiteral("%1h %2m").arg(h).arg(m % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1d %2h").arg(h / 24).arg(h % 24);
}

QString HistoryModel::displayText(const HistoryRow &row, int column) const
{
    switch (column) {
    case DecidedColumn:
        return utcText(row.decidedAt);
    case TitleColumn:
        return row.title;
    case AgentColumn:
        return row.agentPrincipal;
    case OperatorColumn:
        return row.operatorLogin;
    case EnvironmentColumn:
        return row.environment;
    case ClassColumn:
        return riskBucketName(riskBucket(row.riskClass));
    case ScoreColumn:
        return row.riskScore < 0 ? QString() : QString::number(row.riskScore);
    case OutcomeColumn:
        return toString(row.outcome);
    case DecidersColumn:
        return row.deciders.join(QStringLiteral(", "));
    case TimeToDecisionColumn:
        return durationText(row.secondsToDecision);
    case SlaColumn:
        return row.slaMet ? QStringLiteral("met") : QStringLiteral("breached");
    default:
        return {};
    }
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : shownCount();
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    const HistoryRow *row = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return displayText(*row, index.column());
    case Qt::ToolTipRole:
        return index.column() == TitleColumn ? QVariant(plainToolTip(row->title)) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == ScoreColumn || index.column() == TimeToDecisionColumn
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    case IdRole:
        return row->changeId;
    case OutcomeRole:
        return static_cast<int>(row->outcome);
    default:
        return {};
    }
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {
        "Decided (UTC)", "Title", "Agent",   "Operator",         "Environment", "Class",
        "Score",         "Outcome", "Deciders", "Time to decision", "SLA"};
    if (section < 0 || section >= ColumnCount)
        return {};
    return QString::fromLatin1(names[section]);
}

QStringList HistoryModel::csvHeader()
{
    return {QStringLiteral("change_id"),  QStringLiteral("decided_at"),
            QStringLiteral("title"),      QStringLiteral("agent"),
            QStringLiteral("operator"),   QStringLiteral("environment"),
            QStringLiteral("risk_class"), QStringLiteral("risk_score"),
            QStringLiteral("outcome"),    QStringLiteral("outcome_at"),
            QStringLiteral("deciders"),   QStringLiteral("seconds_to_decision"),
            QStringLiteral("sla_deadline"), QStringLiteral("sla_met"),
            QStringLiteral("escalated"),  QStringLiteral("revisions")};
}

QStringList HistoryModel::csvFields(const HistoryRow &r)
{
    return {r.changeId,
            isoText(r.decidedAt),
            r.title,
            r.agentPrincipal,
            r.operatorLogin,
            r.environment,
            r.riskClass ? toString(*r.riskClass) : QString(),
            r.riskScore < 0 ? QString() : QString::number(r.riskScore),
            toString(r.outcome),
            isoText(r.outcomeAt),
            r.deciders.join(u';'),
            QString::number(r.secondsToDecision),
            isoText(r.slaDeadline),
            r.slaMet ? QStringLiteral("true") : QStringLiteral("false"),
            r.escalated ? QStringLiteral("true") : QStringLiteral("false"),
            QString::number(r.revisions)};
}

QString HistoryModel::toCsv() const
{
    QString out = csv::record(csvHeader());
    for (int i : m_visible)
        out += csv::record(csvFields((*m_rows)[size_t(i)]));
    return out;
}

} // namespace hp
