#include "blast/blastgraphlayout.h"

#include <algorithm>
#include <map>

namespace hp {

namespace {

std::vector<BlastGraphNode> changedNodes(const Assessment &a)
{
    std::vector<BlastGraphNode> out;
    QHash<QString, int> at;
    std::vector<double> weight;
    // changedNodes is the depth-0 set; contributions say how each was changed.
    for (const QString &id : a.changedNodes) {
        at.insert(id, static_cast<int>(out.size()));
        BlastGraphNode n;
        n.id = id;
        n.changed = true;
        out.push_back(n);
        weight.push_back(-1);
    }
    for (const ChangedContribution &c : a.changed) {
        int i = at.value(c.nodeId, -1);
        if (i < 0) { // a contribution whose node is missing from changedNodes: still drawn
            i = static_cast<int>(out.size());
            at.insert(c.nodeId, i);
            BlastGraphNode n;
            n.id = c.nodeId;
            n.changed = true;
            out.push_back(n);
            weight.push_back(-1);
        }
        BlastGraphNode &n = out[static_cast<size_t>(i)];
        ++n.resources;
        if (c.a > weight[static_cast<size_t>(i)]) {
            weight[static_cast<size_t>(i)] = c.a;
            n.action = c.action;
        }
    }
    return out;
}

} // namespace

BlastGraphLayout BlastGraphLayout::compute(const Assessment &assessment)
{
    BlastGraphLayout layout;
    layout.m_nodes = changedNodes(assessment);
    for (const ImpactedNode &i : assessment.impacted) {
        BlastGraphNode n;
        n.id = i.nodeId;
        n.depth = std::max(1, i.nearestDepth);
        n.value = i.value;
        n.next = i.nearestPath.size() > 1 ? i.nearestPath.at(1) : QString();
        n.scoringPath = i.scoringPath;
        layout.m_nodes.push_back(std::move(n));
    }
    layout.place();
    return layout;
}

const BlastGraphNode *BlastGraphLayout::node(const QString &id) const
{
    const int i = m_index.value(id, -1);
    return i < 0 ? nullptr : &m_nodes[static_cast<size_t>(i)];
}

void BlastGraphLayout::place()
{
    // Column by column: each node sorts under the slot of its nearest-path
    // successor in the previous column, then by id (changed nodes keep the
    // assessment's order). A successor not drawn sorts first.
    std::map<int, std::vector<size_t>> columns;
    for (size_t i = 0; i < m_nodes.size(); ++i)
        columns[m_nodes[i].depth].push_back(i);
    QHash<QString, int> slotOf;
    std::vector<BlastGraphNode> ordered;
    size_t tallest = 0;
    for (auto &[depth, members] : columns) {
        if (depth > 0) {
            std::stable_sort(members.begin(), members.end(), [&](size_t x, size_t y) {
                const int sx = slotOf.value(m_nodes[x].next, -1);
                const int sy = slotOf.value(m_nodes[y].next, -1);
                return sx != sy ? sx < sy : m_nodes[x].id < m_nodes[y].id;
            });
        }
        for (size_t s = 0; s < members.size(); ++s) {
            BlastGraphNode n = m_nodes[members[s]];
            n.slot = static_cast<int>(s);
            slotOf.insert(n.id, n.slot);
            ordered.push_back(std::move(n));
        }
        tallest = std::max(tallest, members.size());
    }
    m_nodes = std::move(ordered);
    m_columns = static_cast<int>(columns.size());
    // Columns are centred on the tallest one; x by column index, so a depth
    // with no node (impossible for nearest depths) would leave no gap.
    const double pitch = kNodeHeight + kRowGap;
    const double fullHeight = static_cast<double>(tallest) * pitch - kRowGap;
    QHash<int, int> columnIndex;
    QHash<int, int> columnSize;
    int c = 0;
    for (const auto &[depth, members] : columns) {
        columnIndex.insert(depth, c++);
        columnSize.insert(depth, static_cast<int>(members.size()));
    }
    m_index.clear();
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        BlastGraphNode &n = m_nodes[i];
        const double height = columnSize.value(n.depth) * pitch - kRowGap;
        const double x = columnIndex.value(n.depth) * (kNodeWidth + kColumnGap);
        const double y = (fullHeight - height) / 2 + n.slot * pitch;
        n.rect = QRectF(x, y, kNodeWidth, kNodeHeight);
        m_index.insert(n.id, static_cast<int>(i));
    }
    if (m_columns > 0)
        m_bounds = QRectF(0, 0, m_columns * (kNodeWidth + kColumnGap) - kColumnGap, fullHeight);
}

} // namespace hp
