#pragma once

#include <QtGlobal>

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

// The dependency graph in compressed sparse rows, forward (dependent →
// dependency) and reverse, and the blast radius of DESIGN §4 over it.
//
// Node indices are dense 0..n-1. The §4 tie-break "smaller node id" is by
// index, so callers number nodes in ascending id order (AssessmentGraph does).
namespace hp {

using NodeIndex = std::uint32_t;
inline constexpr NodeIndex kNoNode = 0xFFFFFFFFu;

class Graph
{
public:
    Graph() = default;
    // Counting sort into both row sets: O(n + m), no per-node containers.
    // Self-loops and duplicate edges are kept; they change no distance.
    // Offsets are 32-bit (half the memory traffic of 64): at most 2^32 − 1
    // edges, far beyond any topology that fits in memory here.
    static Graph fromEdges(NodeIndex nodeCount, std::span<const std::pair<NodeIndex, NodeIndex>> edges);

    NodeIndex nodeCount() const { return m_nodeCount; }
    std::size_t edgeCount() const { return m_outTargets.size(); }
    std::span<const NodeIndex> dependencies(NodeIndex v) const; // v → x
    std::span<const NodeIndex> dependents(NodeIndex v) const;   // x → v

private:
    NodeIndex m_nodeCount = 0;
    std::vector<std::uint32_t> m_outOffsets;
    std::vector<NodeIndex> m_outTargets;
    std::vector<std::uint32_t> m_inOffsets;
    std::vector<NodeIndex> m_inSources;
};

struct BlastSource
{
    NodeIndex node = 0;
    double weight = 0.0; // the action weight a(s)
};

// Reached nodes with, per node, the nearest changed node (depth and path) and
// the scoring source (the s maximising a(s)·decay^(d(s,v)−1); ties to the
// higher a(s), then the shorter distance, then the smaller index). One
// multi-source BFS over reverse edges per distinct action weight; sources
// enqueued in index order make every node's parent chain end at the
// smallest-index source at its distance (each BFS level stays ordered by
// source). Cycles and self-loops are harmless: a node is visited once per BFS.
class BlastRadius
{
public:
    static BlastRadius compute(const Graph &graph, std::span<const BlastSource> sources, double decay);

    // Every reached node (changed ones included), by nearest depth, then in
    // the order the BFS found them.
    const std::vector<NodeIndex> &reached() const { return m_reached; }
    bool isReached(NodeIndex v) const;
    bool isChanged(NodeIndex v) const; // a source
    int nearestDepth(NodeIndex v) const;
    NodeIndex nearestSource(NodeIndex v) const;
    // v, then each dependency step, ending at the source.
    std::vector<NodeIndex> nearestPath(NodeIndex v) const;

    NodeIndex scoringSource(NodeIndex v) const;
    int scoringDistance(NodeIndex v) const;
    double scoringWeight(NodeIndex v) const; // a(s) of the scoring source
    // a(s)·decay^(d−1): the factor before e(v)·t(v).
    double scoringFactor(NodeIndex v) const;
    std::vector<NodeIndex> scoringPath(NodeIndex v) const;

private:
    struct Layer // one BFS, for one action weight
    {
        double weight = 0.0;
        std::vector<std::int32_t> dist;
        std::vector<NodeIndex> parent; // next step towards the source; kNoNode at a source
    };
    void runLayer(const Graph &graph, Layer &layer, std::vector<NodeIndex> &seeds, std::vector<NodeIndex> &queue);
    bool better(std::size_t a, std::size_t b, NodeIndex v) const;
    std::vector<NodeIndex> pathIn(const Layer &layer, NodeIndex v) const;
    static NodeIndex sourceIn(const Layer &layer, NodeIndex v);
    void orderReached();
    void mergeLayer(std::size_t i, const std::vector<NodeIndex> &queue);
    int nearestLayer(NodeIndex v) const; // -1 when unreached
    int scoringLayer(NodeIndex v) const;

    double m_decay = 0.6;
    std::vector<Layer> m_layers;        // by descending weight
    std::vector<std::int8_t> m_nearest; // layer index, -1 when unreached; empty with one layer
    std::vector<std::int8_t> m_scoring;
    std::vector<NodeIndex> m_reached;
};

} // namespace hp
