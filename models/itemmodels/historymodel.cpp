#include "itemmodels/historymodel.h"

#include "itemmodels/csv.h"

#include <algorithm>
#include <numeric>

namespace hp {

namespace {

template<class T> int threeWay(const T &a, const T &b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

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
    m_rows = std::move(rows);
    m_order.resize(m_rows.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    const int column = m_sortColumn;
    const bool ascending = m_sortOrder == Qt::AscendingOrder;
    std::stable_sort(m_order.begin(), m_order.end(), [&](int a, int b) {
        const int c = compareRows(m_rows[size_t(a)], m_rows[size_t(b)], column);
        return ascending ? c < 0 : c > 0;
    });
    refilter();
    endResetModel();
}

void HistoryModel::setFilter(const HistoryFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    refilter();
    endResetModel();
}

void HistoryModel::refilter()
{
    if (m_filter.isEmpty()) {
        m_visible = m_order;
        return;
    }
    m_visible.clear();
    for (int i : m_order) {
        if (m_filter.matches(m_rows[size_t(i)]))
            m_visible.push_back(i);
    }
}

const HistoryRow *HistoryModel::rowAt(int row) const
{
    if (row < 0 || row >= shownCount())
        return nullptr;
    return &m_rows[size_t(m_visible[size_t(row)])];
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
    const bool ascending = order == Qt::AscendingOrder;
    std::stable_sort(m_order.begin(), m_order.end(), [&](int a, int b) {
        const int c = compareRows(m_rows[size_t(a)], m_rows[size_t(b)], column);
        return ascending ? c < 0 : c > 0;
    });
    refilter();
    if (!before.isEmpty()) {
        // Persistent indexes follow their row: position of each source row.
        std::vector<int> position(m_rows.size(), -1);
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
        return index.column() == TitleColumn ? QVariant(row->title) : QVariant();
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
        out += csv::record(csvFields(m_rows[size_t(i)]));
    return out;
}

} // namespace hp
