#include "topology/graph.h"

#include <QTest>

#include <cmath>

using namespace hp;

namespace {

using Edges = std::vector<std::pair<NodeIndex, NodeIndex>>;

BlastRadius radius(NodeIndex n, const Edges &edges, const std::vector<BlastSource> &sources)
{
    const Graph g = Graph::fromEdges(n, edges);
    return BlastRadius::compute(g, sources, 0.6);
}

} // namespace

class TstBlastGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rowsHoldBothDirections();
    void dependentsAreReachedNotDependencies();
    void cycleIsVisitedOnce();
    void selfLoopChangesNothing();
    void disconnectedNodesAreNotReached();
    void thousandDeepChainHasDepthsAndPath();
    void higherScoreBeatsNearerSource();
    void equalScoreGoesToHigherActionWeight();
    void equalWeightAndDistanceGoesToSmallerIndex();
    void scoringPathFollowsItsOwnSource();
    void changedNodesArePassedThrough();
    void emptyGraphAndNoSources();
    void largeGraphBuildsBothRowSets();
};

void TstBlastGraph::rowsHoldBothDirections()
{
    const Graph g = Graph::fromEdges(3, Edges{{0, 1}, {2, 1}, {0, 2}});
    QCOMPARE(g.edgeCount(), size_t(3));
    QCOMPARE(std::vector<NodeIndex>(g.dependencies(0).begin(), g.dependencies(0).end()), (std::vector<NodeIndex>{1, 2}));
    QCOMPARE(std::vector<NodeIndex>(g.dependents(1).begin(), g.dependents(1).end()), (std::vector<NodeIndex>{0, 2}));
    QVERIFY(g.dependents(0).empty());
}

void TstBlastGraph::dependentsAreReachedNotDependencies()
{
    // 0 → 1 → 2: a change to 1 impacts 0, not 2.
    const BlastRadius r = radius(3, Edges{{0, 1}, {1, 2}}, {{1, 0.35}});
    QVERIFY(r.isReached(0));
    QVERIFY(!r.isReached(2));
    QCOMPARE(r.nearestDepth(0), 1);
    QVERIFY(r.isChanged(1));
}

void TstBlastGraph::cycleIsVisitedOnce()
{
    // 0 → 1 → 2 → 0, plus 3 → 0.
    const BlastRadius r = radius(4, Edges{{0, 1}, {1, 2}, {2, 0}, {3, 0}}, {{0, 1.0}});
    QCOMPARE(r.reached(), (std::vector<NodeIndex>{0, 2, 3, 1}));
    QCOMPARE(r.nearestDepth(2), 1);
    QCOMPARE(r.nearestDepth(1), 2);
    QCOMPARE(r.nearestPath(1), (std::vector<NodeIndex>{1, 2, 0}));
}

void TstBlastGraph::selfLoopChangesNothing()
{
    const BlastRadius r = radius(2, Edges{{0, 0}, {1, 1}, {1, 0}}, {{0, 1.0}});
    QCOMPARE(r.reached(), (std::vector<NodeIndex>{0, 1}));
    QCOMPARE(r.nearestDepth(1), 1);
    QCOMPARE(r.nearestPath(1), (std::vector<NodeIndex>{1, 0}));
}

void TstBlastGraph::disconnectedNodesAreNotReached()
{
    const BlastRadius r = radius(6, Edges{{1, 0}, {3, 4}}, {{0, 0.9}});
    QCOMPARE(r.reached(), (std::vector<NodeIndex>{0, 1}));
    for (NodeIndex v : {2u, 3u, 4u, 5u}) {
        QVERIFY(!r.isReached(v));
        QCOMPARE(r.nearestDepth(v), -1);
        QCOMPARE(r.scoringSource(v), kNoNode);
        QVERIFY(r.nearestPath(v).empty());
    }
}

void TstBlastGraph::thousandDeepChainHasDepthsAndPath()
{
    // i+1 depends on i; a change to 0 reaches all 1,001 nodes.
    Edges edges;
    for (NodeIndex i = 0; i < 1000; ++i)
        edges.emplace_back(i + 1, i);
    const BlastRadius r = radius(1001, edges, {{0, 1.0}});
    QCOMPARE(r.reached().size(), size_t(1001));
    QCOMPARE(r.nearestDepth(1000), 1000);
    QCOMPARE(r.scoringDistance(1000), 1000);
    const std::vector<NodeIndex> path = r.scoringPath(1000);
    QCOMPARE(path.size(), size_t(1001));
    QCOMPARE(path.front(), NodeIndex(1000));
    QCOMPARE(path.back(), NodeIndex(0));
    QVERIFY(r.scoringFactor(1000) >= 0.0);
    QVERIFY(std::abs(r.scoringFactor(2) - 0.6) < 1e-12);
}

void TstBlastGraph::higherScoreBeatsNearerSource()
{
    // DESIGN §4: v=3 depends on 1 (update 0.35, distance 1) and, through 2, on 0 (replace 0.9, distance 2).
    const BlastRadius r = radius(4, Edges{{3, 1}, {3, 2}, {2, 0}}, {{0, 0.9}, {1, 0.35}});
    QCOMPARE(r.nearestDepth(3), 1);
    QCOMPARE(r.nearestSource(3), NodeIndex(1));
    QCOMPARE(r.scoringSource(3), NodeIndex(0));
    QCOMPARE(r.scoringDistance(3), 2);
    QVERIFY(std::abs(r.scoringFactor(3) - 0.54) < 1e-12);
    QCOMPARE(r.scoringPath(3), (std::vector<NodeIndex>{3, 2, 0}));
}

void TstBlastGraph::equalScoreGoesToHigherActionWeight()
{
    // a=0.6 at distance 1 (0.6) against a=1.0 at distance 2 (1.0·0.6 = 0.6): the higher a wins.
    const BlastRadius r = radius(4, Edges{{3, 1}, {3, 2}, {2, 0}}, {{0, 1.0}, {1, 0.6}});
    QCOMPARE(r.scoringSource(3), NodeIndex(0));
    QCOMPARE(r.scoringDistance(3), 2);
    QCOMPARE(r.nearestSource(3), NodeIndex(1));
}

void TstBlastGraph::equalWeightAndDistanceGoesToSmallerIndex()
{
    // Sources 1 and 4 (same weight) both at distance 1 of 0; 1 wins. Order in the edge list must not matter.
    const BlastRadius r = radius(5, Edges{{0, 4}, {0, 1}}, {{4, 0.9}, {1, 0.9}});
    QCOMPARE(r.scoringSource(0), NodeIndex(1));
    QCOMPARE(r.nearestSource(0), NodeIndex(1));
    // Deeper: 0 → 2 → 4 and 0 → 3 → 1, sources 4 and 1; labels propagate the smaller source.
    const BlastRadius deep = radius(5, Edges{{0, 2}, {0, 3}, {2, 4}, {3, 1}}, {{4, 0.9}, {1, 0.9}});
    QCOMPARE(deep.scoringSource(0), NodeIndex(1));
    QCOMPARE(deep.scoringPath(0), (std::vector<NodeIndex>{0, 3, 1}));
}

void TstBlastGraph::scoringPathFollowsItsOwnSource()
{
    // 2's best source is 1 (0.9 at distance 1); 3 → 2 and 3 → 0 (update). 3's path ends at 1 through 2.
    const BlastRadius r = radius(4, Edges{{2, 1}, {3, 2}, {3, 0}}, {{0, 0.35}, {1, 0.9}});
    QCOMPARE(r.scoringSource(3), NodeIndex(1));
    QCOMPARE(r.scoringPath(3), (std::vector<NodeIndex>{3, 2, 1}));
    QCOMPARE(r.nearestPath(3), (std::vector<NodeIndex>{3, 0}));
}

void TstBlastGraph::changedNodesArePassedThrough()
{
    // 2 → 1 → 0, both 0 and 1 changed: 2 is reached through 1 and scores from 0 at distance 2 when that is higher.
    const BlastRadius r = radius(3, Edges{{2, 1}, {1, 0}}, {{0, 1.0}, {1, 0.1}});
    QVERIFY(r.isChanged(0) && r.isChanged(1));
    QCOMPARE(r.scoringSource(2), NodeIndex(0));
    QCOMPARE(r.scoringPath(2), (std::vector<NodeIndex>{2, 1, 0}));
    QCOMPARE(r.nearestSource(2), NodeIndex(1));
}

void TstBlastGraph::emptyGraphAndNoSources()
{
    const BlastRadius none = radius(3, Edges{{0, 1}}, {});
    QVERIFY(none.reached().empty());
    const BlastRadius empty = radius(0, Edges{}, {});
    QVERIFY(empty.reached().empty());
}

void TstBlastGraph::largeGraphBuildsBothRowSets()
{
    // Above the size where the rows are built on two threads: a 100,000-deep chain.
    Edges edges;
    for (NodeIndex i = 0; i < 100000; ++i)
        edges.emplace_back(i + 1, i);
    const Graph g = Graph::fromEdges(100001, edges);
    QCOMPARE(g.dependencies(5).size(), size_t(1));
    QCOMPARE(g.dependencies(5)[0], NodeIndex(4));
    QCOMPARE(g.dependents(5)[0], NodeIndex(6));
    const BlastRadius r = BlastRadius::compute(g, std::vector<BlastSource>{{0, 1.0}}, 0.6);
    QCOMPARE(r.reached().size(), size_t(100001));
    QCOMPARE(r.nearestDepth(100000), 100000);
}

QTEST_GUILESS_MAIN(TstBlastGraph)
#include "tst_blastgraph.moc"
