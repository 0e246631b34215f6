#include "itemmodels/changequeuemodel.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace hp {

namespace {

// Above this many separate runs of removed or inserted rows, one reset is
// cheaper for every view than a storm of small signals (a filter keystroke
// over a large queue, say). Views restore their selection by id after it.
constexpr int kMaxIncrementalRuns = 32;

// 0: pending and escalated, 1: pending, 2: everything else.
int urgency(const ChangeSummary &c)
{
    if (c.verdict.status != ChangeStatus::Pending)
        return 2;
    return c.verdict.escalated ? 0 : 1;
}

// Critical 3 … low 0; never assessed -1, so it sorts after low.
int riskRank(const ChangeSummary &c)
{
    return c.riskClass ? static_cast<int>(*c.riskClass) : -1;
}

// <0, 0, >0: earlier deadline first, an unknown one after every known one.
int compareDeadline(const ChangeSummary &a, const ChangeSummary &b)
{
    const QDateTime da = ChangeQueueModel::deadlineOf(a);
    const QDateTime db = ChangeQueueModel::deadlineOf(b);
    if (da.isValid() != db.isValid())
        return da.isValid() ? -1 : 1;
    if (da == db)
        return 0;
    return da < db ? -1 : 1;
}

bool defaultLess(const ChangeSummary &a, const ChangeSummary &b)
{
    const bool pa = a.verdict.status == ChangeStatus::Pending;
    const bool pb = b.verdict.status == ChangeStatus::Pending;
    if (pa != pb)
        return pa;
    if (pa) {
        if (riskRank(a) != riskRank(b))
            return riskRank(a) > riskRank(b);
        if (const int d = compareDeadline(a, b))
            return d < 0;
    } else if (a.createdAt != b.createdAt) {
        return a.createdAt > b.createdAt;
    }
    return a.id < b.id;
}

int compareText(const QString &a, const QString &b)
{
    return QString::compare(a, b, Qt::CaseInsensitive);
}

// <0, 0, >0 as `a` sorts before, with, after `b` in ascending column order.
int compareColumn(const ChangeSummary &a, const ChangeSummary &b, int column)
{
    switch (column) {
    case ChangeQueueModel::RiskColumn: // ascending: low first, never assessed before low
        if (riskRank(a) != riskRank(b))
            return riskRank(a) - riskRank(b);
        return a.riskScore - b.riskScore;
    case ChangeQueueModel::StatusColumn:
        if (urgency(a) != urgency(b))
            return urgency(a) - urgency(b);
        return static_cast<int>(a.verdict.status) - static_cast<int>(b.verdict.status);
    case ChangeQueueModel::TitleColumn:
        return compareText(a.title, b.title);
    case ChangeQueueModel::AgentColumn:
        return compareText(a.agentPrincipal, b.agentPrincipal);
    case ChangeQueueModel::EnvironmentColumn:
        return compareText(a.environment, b.environment);
    case ChangeQueueModel::ApprovalsColumn:
        if (a.verdict.countedApprovals != b.verdict.countedApprovals)
            return a.verdict.countedApprovals - b.verdict.countedApprovals;
        return a.verdict.requiredApprovals - b.verdict.requiredApprovals;
    case ChangeQueueModel::AgeColumn: // youngest first: ascending age
        if (a.createdAt == b.createdAt)
            return 0;
        return a.createdAt > b.createdAt ? -1 : 1;
    case ChangeQueueModel::DueColumn: // most urgent first: ascending time left
        return compareDeadline(a, b);
    default:
        return 0;
    }
}

// Flag codes and the deadline: text we produced, never agent-sent text.
QVariant riskToolTip(const ChangeSummary &c)
{
    if (!c.riskClass)
        return QStringLiteral("Not assessed");
    QString tip = QStringLiteral("Risk %1, %2").arg(c.riskScore).arg(toString(*c.riskClass));
    if (!c.riskFlags.isEmpty())
        tip += QStringLiteral("\nFlags: ") + c.riskFlags.join(QStringLiteral(", "));
    if (const QDateTime deadline = ChangeQueueModel::deadlineOf(c); deadline.isValid())
        tip += QStringLiteral("\nReview by ") + deadline.toLocalTime().toString(Qt::ISODate);
    return tip;
}

} // namespace

ChangeQueueModel::ChangeQueueModel(QObject *parent, Clock clock)
    : QAbstractTableModel(parent)
    , m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentDateTimeUtc(); }))
{}

void ChangeQueueModel::setChanges(std::vector<ChangeSummary> changes)
{
    std::vector<int> rows = computeRows(changes);
    transition(&changes, std::move(rows));
}

void ChangeQueueModel::setFilterText(const QString &text)
{
    if (text == m_filter.text())
        return;
    m_filter.setText(text);
    transition(nullptr, computeRows(m_changes));
}

void ChangeQueueModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = (column >= 0 && column < ColumnCount) ? column : -1;
    m_sortOrder = order;
    transition(nullptr, computeRows(m_changes));
}

std::vector<int> ChangeQueueModel::computeRows(const std::vector<ChangeSummary> &changes) const
{
    std::vector<int> rows;
    rows.reserve(changes.size());
    for (int i = 0; i < static_cast<int>(changes.size()); ++i) {
        if (m_filter.matches(changes[i]))
            rows.push_back(i);
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [&changes](int a, int b) { return defaultLess(changes[a], changes[b]); });
    if (m_sortColumn >= 0) {
        // Stable on top of the default order: ties keep their urgency order.
        const int column = m_sortColumn;
        const bool ascending = m_sortOrder == Qt::AscendingOrder;
        std::stable_sort(rows.begin(), rows.end(), [&changes, column, ascending](int a, int b) {
            const int c = compareColumn(changes[a], changes[b], column);
            return ascending ? c < 0 : c > 0;
        });
    }
    return rows;
}

void ChangeQueueModel::transition(std::vector<ChangeSummary> *changes, std::vector<int> rows)
{
    const std::vector<ChangeSummary> &next = changes ? *changes : m_changes;
    QHash<QString, int> target;
    target.reserve(static_cast<qsizetype>(rows.size()));
    for (int i = 0; i < static_cast<int>(rows.size()); ++i)
        target.insert(next[rows[i]].id, i);
    QSet<QString> shown;
    shown.reserve(static_cast<qsizetype>(m_rows.size()));
    int runs = 0;
    bool inRun = false;
    for (int r : m_rows) {
        shown.insert(m_changes[r].id);
        const bool gone = !target.contains(m_changes[r].id);
        runs += (gone && !inRun) ? 1 : 0;
        inRun = gone;
    }
    std::vector<bool> isNew(rows.size());
    inRun = false;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        isNew[i] = !shown.contains(next[rows[i]].id);
        runs += (isNew[i] && !inRun) ? 1 : 0;
        inRun = isNew[i];
    }
    if (runs > kMaxIncrementalRuns) {
        beginResetModel();
        if (changes)
            m_changes = std::move(*changes);
        m_rows = std::move(rows);
        endResetModel();
        return;
    }

    removeVanishedRows(target);

    // The survivors, in their new order, as indexes into `next`.
    std::vector<int> survivors;
    survivors.reserve(m_rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!isNew[i])
            survivors.push_back(rows[i]);
    }
    adoptSurvivors(changes, std::move(survivors));

    const bool hadSurvivors = !m_rows.empty();
    insertNewRows(std::move(rows), isNew);
    if (changes && hadSurvivors)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void ChangeQueueModel::adoptSurvivors(std::vector<ChangeSummary> *changes,
                                      std::vector<int> survivors)
{
    const std::vector<ChangeSummary> &next = changes ? *changes : m_changes;
    bool reordered = false;
    for (std::size_t k = 0; k < survivors.size() && !reordered; ++k)
        reordered = m_changes[m_rows[k]].id != next[survivors[k]].id;
    if (!reordered) {
        if (changes)
            m_changes = std::move(*changes);
        m_rows = std::move(survivors);
        return;
    }
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    QHash<QString, int> newRow;
    for (int k = 0; k < static_cast<int>(survivors.size()); ++k)
        newRow.insert(next[survivors[k]].id, k);
    const QModelIndexList before = persistentIndexList();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before)
        after << createIndex(newRow.value(m_changes[m_rows[index.row()]].id), index.column());
    if (changes)
        m_changes = std::move(*changes);
    m_rows = std::move(survivors);
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ChangeQueueModel::removeVanishedRows(const QHash<QString, int> &target)
{
    auto gone = [this, &target](int row) { return !target.contains(m_changes[m_rows[row]].id); };
    // Bottom up, one signal per contiguous run, so earlier row numbers stay valid.
    for (int last = static_cast<int>(m_rows.size()) - 1; last >= 0; --last) {
        if (!gone(last))
            continue;
        int first = last;
        while (first > 0 && gone(first - 1))
            --first;
        beginRemoveRows({}, first, last);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
        last = first;
    }
}

void ChangeQueueModel::insertNewRows(std::vector<int> &&rows, const std::vector<bool> &isNew)
{
    // Invariant: before inserting at `first`, m_rows[0, first) == rows[0, first),
    // because the survivors are already in their target order.
    const int count = static_cast<int>(rows.size());
    for (int first = 0; first < count; ++first) {
        if (!isNew[first])
            continue;
        int end = first;
        while (end < count && isNew[end])
            ++end;
        beginInsertRows({}, first, end - 1);
        m_rows.insert(m_rows.begin() + first, rows.begin() + first, rows.begin() + end);
        endInsertRows();
        first = end - 1;
    }
}

int ChangeQueueModel::rowForId(const QString &id) const
{
    for (int row = 0; row < static_cast<int>(m_rows.size()); ++row) {
        if (m_changes[m_rows[row]].id == id)
            return row;
    }
    return -1;
}

QString ChangeQueueModel::idAt(int row) const
{
    const ChangeSummary *c = changeAt(row);
    return c ? c->id : QString();
}

const ChangeSummary *ChangeQueueModel::changeAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_rows.size()))
        return nullptr;
    return &m_changes[m_rows[row]];
}

int ChangeQueueModel::firstPendingRow() const
{
    for (int row = 0; row < static_cast<int>(m_rows.size()); ++row) {
        if (m_changes[m_rows[row]].verdict.status == ChangeStatus::Pending)
            return row;
    }
    return -1;
}

int ChangeQueueModel::pendingCount() const
{
    return static_cast<int>(
        std::count_if(m_changes.begin(), m_changes.end(), [](const ChangeSummary &c) {
            return c.verdict.status == ChangeStatus::Pending;
        }));
}

int ChangeQueueModel::escalatedCount() const
{
    return static_cast<int>(std::count_if(m_changes.begin(), m_changes.end(),
                                          [](const ChangeSummary &c) { return urgency(c) == 0; }));
}

QString ChangeQueueModel::countsText() const
{
    QString text = QStringLiteral("%1 pending").arg(pendingCount());
    if (const int escalated = escalatedCount())
        text += QStringLiteral(" (%1 escalated)").arg(escalated);
    const int total = totalCount();
    if (m_filter.isEmpty())
        text +=
            total == 1 ? QStringLiteral(" · 1 change") : QStringLiteral(" · %1 changes").arg(total);
    else
        text += QStringLiteral(" · %1 of %2 shown").arg(rowCount()).arg(total);
    return text;
}

void ChangeQueueModel::refreshAges()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, AgeColumn), index(rowCount() - 1, DueColumn),
                           {Qt::DisplayRole, Qt::ToolTipRole, OverdueRole});
}

QDateTime ChangeQueueModel::deadlineOf(const ChangeSummary &change)
{
    return change.verdict.slaDeadline.isValid() ? change.verdict.slaDeadline : change.deadline;
}

bool ChangeQueueModel::isOverdue(const ChangeSummary &change, const QDateTime &now)
{
    if (change.verdict.status != ChangeStatus::Pending)
        return false;
    const QDateTime deadline = deadlineOf(change);
    return change.verdict.slaBreached || (deadline.isValid() && deadline < now);
}

QString ChangeQueueModel::approvalsText(const Verdict &verdict)
{
    return QStringLiteral("%1/%2").arg(verdict.countedApprovals).arg(verdict.requiredApprovals);
}

QString ChangeQueueModel::ageText(qint64 seconds)
{
    if (seconds < 60)
        return QStringLiteral("<1m");
    if (seconds < 3600)
        return QStringLiteral("%1m").arg(seconds / 60);
    if (seconds < 48 * 3600)
        return QStringLiteral("%1h").arg(seconds / 3600);
    return QStringLiteral("%1d").arg(seconds / 86400);
}

QString ChangeQueueModel::riskText(const ChangeSummary &change)
{
    if (!change.riskClass)
        return {};
    return QStringLiteral("%1 %2").arg(change.riskScore).arg(toString(*change.riskClass));
}

QString ChangeQueueModel::dueText(const ChangeSummary &change, const QDateTime &now)
{
    const QDateTime deadline = deadlineOf(change);
    if (change.verdict.status != ChangeStatus::Pending || !deadline.isValid())
        return {};
    const qint64 left = now.secsTo(deadline);
    return left >= 0 ? ageText(left) : QStringLiteral("-") + ageText(-left);
}

int ChangeQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ChangeQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChangeQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ChangeSummary &c = m_changes[m_rows[index.row()]];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(c, index.column());
    case Qt::ToolTipRole:
        // Only text we produced: agent-sent text never goes into a tooltip,
        // which Qt may render as rich text.
        if (index.column() == AgeColumn)
            return c.createdAt.toLocalTime().toString(Qt::ISODate);
        if (index.column() == DueColumn && deadlineOf(c).isValid())
            return (isOverdue(c, m_clock()) ? QStringLiteral("SLA breached: review was due ")
                                            : QStringLiteral("Review by ")) +
                   deadlineOf(c).toLocalTime().toString(Qt::ISODate);
        if (index.column() == StatusColumn || index.column() == ApprovalsColumn)
            return c.verdict.needs.isEmpty() ? QVariant() : QVariant(c.verdict.needs);
        if (index.column() == RiskColumn)
            return riskToolTip(c);
        return {};
    case IdRole:
        return c.id;
    case RawValueRole:
        return rawValue(c, index.column());
    case StatusRole:
        return static_cast<int>(c.verdict.status);
    case EscalatedRole:
        return c.verdict.escalated;
    case CountedApprovalsRole:
        return c.verdict.countedApprovals;
    case RequiredApprovalsRole:
        return c.verdict.requiredApprovals;
    case ImpactRole:
        return c.declaredImpact ? QVariant(static_cast<int>(*c.declaredImpact)) : QVariant();
    case NeedsRole:
        return c.verdict.needs;
    case CreatedAtRole:
        return c.createdAt;
    case RiskClassRole:
        return c.riskClass ? QVariant(static_cast<int>(*c.riskClass)) : QVariant();
    case RiskScoreRole:
        return c.riskScore;
    case RiskFlagsRole:
        return c.riskFlags;
    case DeadlineRole:
        return deadlineOf(c);
    case OverdueRole:
        return isOverdue(c, m_clock());
    default:
        return {};
    }
}

QVariant ChangeQueueModel::displayValue(const ChangeSummary &c, int column) const
{
    switch (column) {
    case RiskColumn:
        return riskText(c);
    case StatusColumn:
        if (c.verdict.status == ChangeStatus::Pending && c.verdict.escalated)
            return QStringLiteral("pending · escalated");
        return toString(c.verdict.status);
    case TitleColumn:
        return c.title;
    case AgentColumn:
        return c.agentPrincipal;
    case EnvironmentColumn:
        return c.environment;
    case ApprovalsColumn:
        return approvalsText(c.verdict);
    case AgeColumn:
        return c.createdAt.isValid() ? ageText(std::max<qint64>(0, c.createdAt.secsTo(m_clock())))
                                     : QString();
    case DueColumn:
        return dueText(c, m_clock());
    default:
        return {};
    }
}

// The value a delegate or a sort uses: enums as int, text as received, the
// creation time for the age column.
QVariant ChangeQueueModel::rawValue(const ChangeSummary &c, int column) const
{
    switch (column) {
    case RiskColumn:
        return c.riskScore;
    case StatusColumn:
        return static_cast<int>(c.verdict.status);
    case TitleColumn:
        return c.title;
    case AgentColumn:
        return c.agentPrincipal;
    case EnvironmentColumn:
        return c.environment;
    case ApprovalsColumn:
        return c.verdict.countedApprovals;
    case AgeColumn:
        return c.createdAt;
    case DueColumn:
        return deadlineOf(c);
    default:
        return {};
    }
}

QVariant ChangeQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole) {
        if (section == RiskColumn)
            return QStringLiteral("Risk score and class of the latest assessment (DESIGN §4)");
        if (section == EnvironmentColumn)
            return QStringLiteral("Declared environment");
        if (section == ApprovalsColumn)
            return QStringLiteral("Counted approvals / approvals required");
        if (section == AgeColumn)
            return QStringLiteral("Time since the change was proposed");
        if (section == DueColumn)
            return QStringLiteral("Time left to review a pending change (its SLA); negative: overdue");
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case RiskColumn:
        return QStringLiteral("Risk");
    case StatusColumn:
        return QStringLiteral("Status");
    case TitleColumn:
        return QStringLiteral("Title");
    case AgentColumn:
        return QStringLiteral("Agent");
    case EnvironmentColumn:
        return QStringLiteral("Env");
    case ApprovalsColumn:
        return QStringLiteral("Appr.");
    case AgeColumn:
        return QStringLiteral("Age");
    case DueColumn:
        return QStringLiteral("Due");
    default:
        return {};
    }
}

QHash<int, QByteArray> ChangeQueueModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "changeId");
    names.insert(RawValueRole, "rawValue");
    names.insert(StatusRole, "status");
    names.insert(EscalatedRole, "escalated");
    names.insert(CountedApprovalsRole, "countedApprovals");
    names.insert(RequiredApprovalsRole, "requiredApprovals");
    names.insert(ImpactRole, "impact");
    names.insert(NeedsRole, "needs");
    names.insert(CreatedAtRole, "createdAt");
    names.insert(RiskClassRole, "riskClass");
    names.insert(RiskScoreRole, "riskScore");
    names.insert(RiskFlagsRole, "riskFlags");
    names.insert(DeadlineRole, "deadline");
    names.insert(OverdueRole, "overdue");
    return names;
}

} // namespace hp
