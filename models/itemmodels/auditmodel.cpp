#include "itemmodels/auditmodel.h"

#include "audit/auditrecord.h"

#include <algorithm>
#include <cstring>
#include <numeric>

namespace hp {

namespace {

template<class T> int cmp(T a, T b)
{
    return a < b ? -1 : (b < a ? 1 : 0);
}

} // namespace

AuditModel::AuditModel(QObject *parent) : QAbstractTableModel(parent) {}

void AuditModel::setRows(std::vector<AuditIndexRow> rows, const StringPool &pool)
{
    beginResetModel();
    m_pool = pool;
    m_rows = std::move(rows);
    m_order.resize(m_rows.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    sortIndex(m_order);
    m_matcher = AuditMatcher(m_matcher.filter());
    m_visible.clear();
    for (int i : m_order)
        if (m_matcher.matches(m_rows[size_t(i)], m_pool))
            m_visible.push_back(i);
    endResetModel();
}

void AuditModel::clear()
{
    setRows({}, StringPool());
}

void AuditModel::appendChunk(AuditChunk chunk)
{
    m_pool.append(chunk.strings);
    const int first = static_cast<int>(m_rows.size());
    std::vector<int> added;
    for (AuditIndexRow &row : chunk.rows) {
        m_rows.push_back(row);
        added.push_back(static_cast<int>(m_rows.size()) - 1);
    }
    std::vector<int> shown;
    for (int i : added)
        if (m_matcher.matches(m_rows[size_t(i)], m_pool))
            shown.push_back(i);
    const bool bySeq = m_sortColumn == SeqColumn;
    const bool ascending = m_sortOrder == Qt::AscendingOrder;
    const bool inOrder = bySeq && (first == 0 || m_rows[size_t(first)].seq > m_rows[size_t(first - 1)].seq);
    if (!inOrder) {
        // Any other order: merge the sorted chunk into the whole index.
        beginResetModel();
        sortIndex(added);
        const auto mid = static_cast<std::ptrdiff_t>(m_order.size());
        m_order.insert(m_order.end(), added.begin(), added.end());
        std::inplace_merge(m_order.begin(), m_order.begin() + mid, m_order.end(),
                           [this](int a, int b) {
                               const int c = compareRows(a, b, m_sortColumn);
                               return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
                           });
        m_visible.clear();
        for (int i : m_order)
            if (m_matcher.matches(m_rows[size_t(i)], m_pool))
                m_visible.push_back(i);
        endResetModel();
        return;
    }
    // Sorted by seq and the chunk continues the trail: rows go at one end.
    if (ascending) {
        m_order.insert(m_order.end(), added.begin(), added.end());
        if (shown.empty())
            return;
        const int at = static_cast<int>(m_visible.size());
        beginInsertRows({}, at, at + static_cast<int>(shown.size()) - 1);
        m_visible.insert(m_visible.end(), shown.begin(), shown.end());
        endInsertRows();
        return;
    }
    std::reverse(added.begin(), added.end());
    std::reverse(shown.begin(), shown.end());
    m_order.insert(m_order.begin(), added.begin(), added.end());
    if (shown.empty())
        return;
    beginInsertRows({}, 0, static_cast<int>(shown.size()) - 1);
    m_visible.insert(m_visible.begin(), shown.begin(), shown.end());
    endInsertRows();
}

void AuditModel::setFilter(const AuditFilter &filter)
{
    m_matcher = AuditMatcher(filter);
    refilter();
}

void AuditModel::refilter()
{
    beginResetModel();
    m_visible.clear();
    m_visible.reserve(m_order.size());
    for (int i : m_order)
        if (m_matcher.matches(m_rows[size_t(i)], m_pool))
            m_visible.push_back(i);
    endResetModel();
}

const AuditIndexRow *AuditModel::rowAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_visible.size()))
        return nullptr;
    return &m_rows[size_t(m_visible[size_t(row)])];
}

int AuditModel::rowOfSeq(qint64 seq) const
{
    for (size_t r = 0; r < m_visible.size(); ++r)
        if (m_rows[size_t(m_visible[r])].seq == seq)
            return static_cast<int>(r);
    return -1;
}

std::vector<const AuditIndexRow *> AuditModel::rowsOfChange(const QString &changeId) const
{
    std::vector<const AuditIndexRow *> out;
    if (changeId.isEmpty())
        return out;
    int id = -1;
    for (int i = 1; i < m_pool.size(); ++i) {
        if (m_pool.at(i) == changeId) {
            id = i;
            break;
        }
    }
    if (id < 0)
        return out;
    for (const AuditIndexRow &row : m_rows)
        if (row.change == id)
            out.push_back(&row);
    std::stable_sort(out.begin(), out.end(),
                     [](const AuditIndexRow *a, const AuditIndexRow *b) { return a->seq < b->seq; });
    return out;
}

void AuditModel::setProblems(const std::vector<AuditProblem> &problems)
{
    m_problems.clear();
    for (const AuditProblem &p : problems)
        if (!m_problems.contains(p.seq))
            m_problems.insert(p.seq, toString(p.kind));
    if (!m_visible.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const std::vector<int> &AuditModel::ranks() const
{
    if (m_ranks.size() != size_t(m_pool.size())) {
        std::vector<int> ids(size_t(m_pool.size()));
        std::iota(ids.begin(), ids.end(), 0);
        std::sort(ids.begin(), ids.end(),
                  [this](int a, int b) { return m_pool.at(a) < m_pool.at(b); });
        m_ranks.assign(ids.size(), 0);
        for (size_t r = 0; r < ids.size(); ++r)
            m_ranks[size_t(ids[r])] = static_cast<int>(r);
    }
    return m_ranks;
}

void AuditModel::prepareSort(int column) const
{
    if (column == PrincipalColumn || column == RolesColumn || column == ActionColumn ||
        column == ChangeColumn || column == ReasonCodeColumn)
        (void)ranks();
}

int AuditModel::compareRows(int ia, int ib, int column) const
{
    const AuditIndexRow &a = m_rows[size_t(ia)];
    const AuditIndexRow &b = m_rows[size_t(ib)];
    auto rank = [this](int id) { return m_ranks[size_t(id)]; };
    switch (column) {
    case SeqColumn: return cmp(a.seq, b.seq);
    case TimeColumn: return cmp(a.timeMs, b.timeMs);
    case PrincipalColumn: return cmp(rank(a.principal), rank(b.principal));
    case KindColumn: return cmp(a.kind, b.kind);
    case RolesColumn: return cmp(rank(a.roles), rank(b.roles));
    case ActionColumn: return cmp(rank(a.action), rank(b.action));
    case ChangeColumn: return cmp(rank(a.change), rank(b.change));
    case RevisionColumn: return cmp(a.revision, b.revision);
    case OutcomeColumn: return cmp(a.denied, b.denied);
    case ReasonCodeColumn: return cmp(rank(a.reasonCode), rank(b.reasonCode));
    case StatusColumn: {
        const int c = cmp(a.before, b.before);
        return c != 0 ? c : cmp(a.after, b.after);
    }
    case HashColumn: return std::memcmp(a.hash.data(), b.hash.data(), a.hash.size());
    default: return 0;
    }
}

void AuditModel::sortIndex(std::vector<int> &order) const
{
    prepareSort(m_sortColumn);
    const int column = m_sortColumn;
    if (m_sortOrder == Qt::AscendingOrder)
        std::stable_sort(order.begin(), order.end(),
                         [this, column](int a, int b) { return compareRows(a, b, column) < 0; });
    else
        std::stable_sort(order.begin(), order.end(),
                         [this, column](int a, int b) { return compareRows(a, b, column) > 0; });
}

void AuditModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<qint64> seqs;
    for (const QModelIndex &i : before)
        seqs.push_back(rowAt(i.row()) ? rowAt(i.row())->seq : -1);
    m_sortColumn = column;
    m_sortOrder = order;
    sortIndex(m_order);
    m_visible.clear();
    for (int i : m_order)
        if (m_matcher.matches(m_rows[size_t(i)], m_pool))
            m_visible.push_back(i);
    if (!before.isEmpty()) {
        QModelIndexList after;
        for (qsizetype k = 0; k < before.size(); ++k) {
            const int row = seqs[size_t(k)] < 0 ? -1 : rowOfSeq(seqs[size_t(k)]);
            after.append(row < 0 ? QModelIndex() : index(row, before[k].column()));
        }
        changePersistentIndexList(before, after);
    }
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QString AuditModel::statusText(qint8 status)
{
    return status < 0 ? QString() : toString(static_cast<ChangeStatus>(status));
}

QString AuditModel::text(const AuditIndexRow &row, int column) const
{
    switch (column) {
    case SeqColumn: return QString::number(row.seq);
    case TimeColumn:
        return row.timeMs == 0 ? QStringLiteral("(unreadable)")
                               : auditTime(QDateTime::fromMSecsSinceEpoch(row.timeMs, Qt::UTC));
    case PrincipalColumn: return m_pool.at(row.principal);
    case KindColumn: return toString(static_cast<PrincipalKind>(row.kind));
    case RolesColumn: return m_pool.at(row.roles);
    case ActionColumn: return m_pool.at(row.action);
    case ChangeColumn: return m_pool.at(row.change);
    case RevisionColumn: return row.revision > 0 ? QString::number(row.revision) : QString();
    case OutcomeColumn: return row.denied ? QStringLiteral("denied") : QStringLiteral("ok");
    case ReasonCodeColumn: return m_pool.at(row.reasonCode);
    case StatusColumn:
        if (row.before < 0 && row.after < 0)
            return {};
        return QStringLiteral("%1 → %2").arg(statusText(row.before), statusText(row.after));
    case HashColumn:
        return QString::fromLatin1(
            QByteArray::fromRawData(reinterpret_cast<const char *>(row.hash.data()), 8).toHex());
    default: return {};
    }
}

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_visible.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    const AuditIndexRow *row = rowAt(index.row());
    if (!row)
        return {};
    switch (role) {
    case Qt::DisplayRole: return text(*row, index.column());
    case Qt::ToolTipRole:
        return index.column() == HashColumn
                   ? QVariant(QString::fromLatin1(QByteArray::fromRawData(
                         reinterpret_cast<const char *>(row->hash.data()), 32).toHex()))
                   : QVariant();
    case SeqRole: return row->seq;
    case ChangeRole: return m_pool.at(row->change);
    case ProblemRole: return m_problems.value(row->seq);
    default: return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[ColumnCount] = {
        "Seq",    "Time",     "Principal", "Kind",          "Roles",  "Action",
        "Change", "Revision", "Outcome",   "Reason code", "Status", "Hash"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QString();
}

} // namespace hp
