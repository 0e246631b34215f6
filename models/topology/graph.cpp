#include "topology/graph.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace hp {

namespace {

// Offsets by counting, then a stable scatter that uses the offsets
// themselves as cursors (counted two ahead, so no cursor copy): rows keep
// input order.
void buildRows(NodeIndex n, std::span<const std::pair<NodeIndex, NodeIndex>> edges, bool forward,
               std::vector<std::uint32_t> &offsets, std::vector<NodeIndex> &targets)
{
    offsets.assign(static_cast<std::size_t>(n) + 2, 0);
    for (const auto &[from, to] : edges)
        ++offsets[static_cast<std::size_t>(forward ? from : to) + 2];
    for (std::size_t i = 2; i < offsets.size(); ++i)
        offsets[i] += offsets[i - 1];
    targets.resize(edges.size());
    for (const auto &[from, to] : edges)
        targets[offsets[static_cast<std::size_t>(forward ? from : to) + 1]++] = forward ? to : from;
    offsets.pop_back();
}

} // namespace

Graph Graph::fromEdges(NodeIndex nodeCount, std::span<const std::pair<NodeIndex, NodeIndex>> edges)
{
    Q_ASSERT_X(edges.size() < 0xFFFFFFFFull, "Graph::fromEdges", "more than 2^32 - 1 edges");
    Graph g;
    g.m_nodeCount = nodeCount;
    // The two row sets are independent: on large graphs build them on two threads.
    if (edges.size() >= (std::size_t(1) << 16)) {
        std::thread reverse([&g, nodeCount, edges] {
            buildRows(nodeCount, edges, false, g.m_inOffsets, g.m_inSources);
        });
        buildRows(nodeCount, edges, true, g.m_outOffsets, g.m_outTargets);
        reverse.join();
    } else {
        buildRows(nodeCount, edges, true, g.m_outOffsets, g.m_outTargets);
        buildRows(nodeCount, edges, false, g.m_inOffsets, g.m_inSources);
    }
    return g;
}

std::span<const NodeIndex> Graph::dependencies(NodeIndex v) const
{
    return {m_outTargets.data() + m_outOffsets[v], m_outTargets.data() + m_outOffsets[v + 1]};
}

std::span<const NodeIndex> Graph::dependents(NodeIndex v) const
{
    return {m_inSources.data() + m_inOffsets[v], m_inSources.data() + m_inOffsets[v + 1]};
}

void BlastRadius::runLayer(const Graph &graph, Layer &layer, std::vector<NodeIndex> &seeds,
                           std::vector<NodeIndex> &queue)
{
    const std::size_t n = graph.nodeCount();
    layer.dist.assign(n, -1);
    layer.parent.assign(n, kNoNode);
    std::sort(seeds.begin(), seeds.end());
    queue.clear();
    for (NodeIndex s : seeds) {
        if (layer.dist[s] == 0)
            continue;
        layer.dist[s] = 0;
        queue.push_back(s);
    }
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const NodeIndex u = queue[head];
        const std::int32_t next = layer.dist[u] + 1;
        for (NodeIndex x : graph.dependents(u)) {
            if (layer.dist[x] >= 0)
                continue;
            layer.dist[x] = next;
            layer.parent[x] = u;
            queue.push_back(x);
        }
    }
}

// Whether layer a scores node v strictly better than layer b (§4 tie-breaks).
bool BlastRadius::better(std::size_t a, std::size_t b, NodeIndex v) const
{
    const Layer &la = m_layers[a];
    const Layer &lb = m_layers[b];
    const double va = la.weight * std::pow(m_decay, la.dist[v] - 1);
    const double vb = lb.weight * std::pow(m_decay, lb.dist[v] - 1);
    const double tolerance = 1e-12 * std::max(std::abs(va), std::abs(vb));
    if (std::abs(va - vb) > tolerance)
        return va > vb;
    if (la.weight != lb.weight)
        return la.weight > lb.weight;
    if (la.dist[v] != lb.dist[v])
        return la.dist[v] < lb.dist[v];
    return sourceIn(la, v) < sourceIn(lb, v);
}

NodeIndex BlastRadius::sourceIn(const Layer &layer, NodeIndex v)
{
    NodeIndex x = v;
    while (layer.parent[x] != kNoNode)
        x = layer.parent[x];
    return x;
}

// One layer's queue is already in depth order; several are merged by a
// stable counting sort on the nearest depth: O(n), no comparison sort.
void BlastRadius::orderReached()
{
    if (m_layers.size() <= 1)
        return;
    std::vector<std::size_t> count;
    for (NodeIndex v : m_reached) {
        const auto d = static_cast<std::size_t>(nearestDepth(v));
        if (d >= count.size())
            count.resize(d + 1, 0);
        ++count[d];
    }
    std::size_t total = 0;
    for (std::size_t &c : count) {
        const std::size_t here = c;
        c = total;
        total += here;
    }
    std::vector<NodeIndex> ordered(m_reached.size());
    for (NodeIndex v : m_reached)
        ordered[count[static_cast<std::size_t>(nearestDepth(v))]++] = v;
    m_reached = std::move(ordered);
}

BlastRadius BlastRadius::compute(const Graph &graph, std::span<const BlastSource> sources, double decay)
{
    BlastRadius r;
    r.m_decay = decay;
    const std::size_t n = graph.nodeCount();
    std::vector<double> weights;
    for (const BlastSource &s : sources)
        weights.push_back(s.weight);
    std::sort(weights.begin(), weights.end(), std::greater<>());
    weights.erase(std::unique(weights.begin(), weights.end()), weights.end());
    r.m_layers.resize(weights.size());
    std::vector<NodeIndex> queue;
    queue.reserve(n);
    // With one action weight the layer alone answers every question: no
    // per-node choice arrays, and its queue is the reached order.
    const bool single = weights.size() == 1;
    if (!single) {
        r.m_nearest.assign(n, -1);
        r.m_scoring.assign(n, -1);
    }
    for (std::size_t i = 0; i < weights.size(); ++i) {
        Layer &layer = r.m_layers[i];
        layer.weight = weights[i];
        std::vector<NodeIndex> seeds;
        for (const BlastSource &s : sources) {
            if (s.weight == weights[i])
                seeds.push_back(s.node);
        }
        r.runLayer(graph, layer, seeds, queue);
        if (single) {
            r.m_reached = std::move(queue);
            break;
        }
        r.mergeLayer(i, queue);
    }
    r.orderReached();
    return r;
}

void BlastRadius::mergeLayer(std::size_t i, const std::vector<NodeIndex> &queue)
{
    const Layer &layer = m_layers[i];
    const auto idx = static_cast<std::int8_t>(i);
    for (NodeIndex v : queue) {
        const std::int8_t near = m_nearest[v];
        // Layers come by descending weight: equal depth keeps the earlier (higher a).
        if (near < 0 || layer.dist[v] < m_layers[static_cast<std::size_t>(near)].dist[v])
            m_nearest[v] = idx;
        const std::int8_t sc = m_scoring[v];
        if (sc < 0 || better(i, static_cast<std::size_t>(sc), v))
            m_scoring[v] = idx;
        if (near < 0)
            m_reached.push_back(v);
    }
}

int BlastRadius::nearestLayer(NodeIndex v) const
{
    if (m_layers.size() == 1)
        return m_layers[0].dist[v] >= 0 ? 0 : -1;
    return m_layers.empty() ? -1 : m_nearest[v];
}

int BlastRadius::scoringLayer(NodeIndex v) const
{
    if (m_layers.size() == 1)
        return m_layers[0].dist[v] >= 0 ? 0 : -1;
    return m_layers.empty() ? -1 : m_scoring[v];
}

bool BlastRadius::isReached(NodeIndex v) const
{
    return nearestLayer(v) >= 0;
}

bool BlastRadius::isChanged(NodeIndex v) const
{
    return nearestDepth(v) == 0;
}

int BlastRadius::nearestDepth(NodeIndex v) const
{
    const int i = nearestLayer(v);
    return i < 0 ? -1 : m_layers[static_cast<std::size_t>(i)].dist[v];
}

NodeIndex BlastRadius::nearestSource(NodeIndex v) const
{
    const int i = nearestLayer(v);
    return i < 0 ? kNoNode : sourceIn(m_layers[static_cast<std::size_t>(i)], v);
}

std::vector<NodeIndex> BlastRadius::pathIn(const Layer &layer, NodeIndex v) const
{
    std::vector<NodeIndex> path;
    for (NodeIndex x = v; x != kNoNode; x = layer.parent[x])
        path.push_back(x);
    return path;
}

std::vector<NodeIndex> BlastRadius::nearestPath(NodeIndex v) const
{
    const int i = nearestLayer(v);
    return i < 0 ? std::vector<NodeIndex>{} : pathIn(m_layers[static_cast<std::size_t>(i)], v);
}

NodeIndex BlastRadius::scoringSource(NodeIndex v) const
{
    const int i = scoringLayer(v);
    return i < 0 ? kNoNode : sourceIn(m_layers[static_cast<std::size_t>(i)], v);
}

int BlastRadius::scoringDistance(NodeIndex v) const
{
    const int i = scoringLayer(v);
    return i < 0 ? -1 : m_layers[static_cast<std::size_t>(i)].dist[v];
}

double BlastRadius::scoringWeight(NodeIndex v) const
{
    const int i = scoringLayer(v);
    return i < 0 ? 0.0 : m_layers[static_cast<std::size_t>(i)].weight;
}

double BlastRadius::scoringFactor(NodeIndex v) const
{
    const int d = scoringDistance(v);
    return d < 0 ? 0.0 : scoringWeight(v) * std::pow(m_decay, d - 1);
}

std::vector<NodeIndex> BlastRadius::scoringPath(NodeIndex v) const
{
    const int i = scoringLayer(v);
    return i < 0 ? std::vector<NodeIndex>{} : pathIn(m_layers[static_cast<std::size_t>(i)], v);
}

} // namespace hp
