#include "blast/impactednodesmodel.h"

#include "blast/blastnodes.h"

#include <algorithm>
#include <numeric>

namespace hp {

namespace {

// Unknown tiers sort after tier 3, like the model weighs them.
int tierRank(int tier)
{
    return tier > 0 ? tier : 4;
}

int compareRaw(const QVariant &a, const QVariant &b)
{
    if (a.typeId() == QMetaType::QString)
        return a.toString().compare(b.toString(), Qt::CaseInsensitive);
    const double x = a.toDouble();
    const double y = b.toDouble();
    return x < y ? -1 : (y < x ? 1 : 0);
}

} // namespace

ImpactedNodesModel::ImpactedNodesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ImpactedNodesModel::setAssessment(const Assessment &assessment, const Topology &topology)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(assessment.impacted.size());
    for (const ImpactedNode &n : assessment.impacted) {
        const BlastNodeInfo info = blastNodeInfo(n.nodeId, topology);
        Row row;
        row.nodeId = n.nodeId;
        row.name = info.name;
        row.kind = info.kind;
        row.depth = n.nearestDepth;
        row.nearestPath = blastPathText(n.nearestPath, topology);
        row.scoringSource = blastNodeInfo(n.scoringSource, topology).name;
        row.distance = n.scoringDistance;
        row.scoringPath = blastPathText(n.scoringPath, topology);
        row.tier = info.tier;
        row.owner = info.owner;
        // The environment e was weighed in: the node's own, else the change's.
        row.environment = info.environment.isEmpty() ? n.environment : info.environment;
        row.value = n.value;
        m_rows.push_back(std::move(row));
    }
    m_order.resize(m_rows.size());
    std::iota(m_order.begin(), m_order.end(), 0);
    applySort();
    endResetModel();
}

void ImpactedNodesModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_order.clear();
    m_viewRow.clear();
    endResetModel();
}

QString ImpactedNodesModel::nodeAt(int row) const
{
    if (row < 0 || row >= static_cast<int>(m_order.size()))
        return {};
    return m_rows[static_cast<size_t>(m_order[static_cast<size_t>(row)])].nodeId;
}

int ImpactedNodesModel::rowForNode(const QString &nodeId) const
{
    return m_viewRow.value(nodeId, -1);
}

int ImpactedNodesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_order.size());
}

int ImpactedNodesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ImpactedNodesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[static_cast<size_t>(m_order[static_cast<size_t>(index.row())])];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case NodeIdRole:
        return row.nodeId;
    case RawRole:
        return raw(row, index.column());
    case Qt::TextAlignmentRole: {
        const int c = index.column();
        const bool number = c == DepthColumn || c == DistanceColumn || c == TierColumn || c == ValueColumn;
        return QVariant::fromValue(Qt::Alignment(number ? Qt::AlignRight | Qt::AlignVCenter
                                                        : Qt::AlignLeft | Qt::AlignVCenter));
    }
    default:
        return {};
    }
}

QVariant ImpactedNodesModel::display(const Row &row, int column) const
{
    switch (column) {
    case NameColumn: return row.name;
    case KindColumn: return row.kind;
    case DepthColumn: return row.depth;
    case NearestPathColumn: return row.nearestPath;
    case ScoringSourceColumn: return row.scoringSource;
    case DistanceColumn: return row.distance;
    case ScoringPathColumn: return row.scoringPath;
    case TierColumn: return row.tier > 0 ? QString::number(row.tier) : QStringLiteral("—");
    case OwnerColumn: return row.owner;
    case EnvironmentColumn: return row.environment;
    case ValueColumn: return formatTerm(row.value);
    default: return {};
    }
}

QVariant ImpactedNodesModel::raw(const Row &row, int column) const
{
    switch (column) {
    case DepthColumn: return row.depth;
    case DistanceColumn: return row.distance;
    case TierColumn: return tierRank(row.tier);
    case ValueColumn: return row.value;
    default: return display(row, column);
    }
}

QVariant ImpactedNodesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const QStringList names = {
        QStringLiteral("Name"),         QStringLiteral("Kind"),   QStringLiteral("Depth"),
        QStringLiteral("Nearest path"), QStringLiteral("Scored from"), QStringLiteral("Distance"),
        QStringLiteral("Scoring path"), QStringLiteral("Tier"),   QStringLiteral("Owner"),
        QStringLiteral("Environment"),  QStringLiteral("a·decay·e·t")};
    return section >= 0 && section < names.size() ? names.at(section) : QVariant();
}

void ImpactedNodesModel::sort(int column, Qt::SortOrder order)
{
    if (column < -1 || column >= ColumnCount)
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<QString> ids;
    ids.reserve(static_cast<size_t>(before.size()));
    for (const QModelIndex &i : before)
        ids.push_back(nodeAt(i.row()));
    m_sortColumn = column;
    m_sortOrder = order;
    applySort();
    QModelIndexList after;
    for (qsizetype i = 0; i < before.size(); ++i)
        after << index(rowForNode(ids[static_cast<size_t>(i)]), before.at(i).column());
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void ImpactedNodesModel::applySort()
{
    // The assessment's order first, so equal keys keep it (stable sort).
    std::iota(m_order.begin(), m_order.end(), 0);
    if (m_sortColumn >= 0) {
        std::stable_sort(m_order.begin(), m_order.end(), [this](int a, int b) {
            const int c = compareRaw(raw(m_rows[static_cast<size_t>(a)], m_sortColumn),
                                     raw(m_rows[static_cast<size_t>(b)], m_sortColumn));
            return m_sortOrder == Qt::AscendingOrder ? c < 0 : c > 0;
        });
    }
    m_viewRow.clear();
    for (size_t i = 0; i < m_order.size(); ++i)
        m_viewRow.insert(m_rows[static_cast<size_t>(m_order[i])].nodeId, static_cast<int>(i));
}

} // namespace hp
