#include "risk/riskmodel.h"

#include "topology/graph.h"

#include <QHash>

#include <algorithm>
#include <cmath>

namespace hp {

bool globMatches(QStringView glob, QStringView text)
{
    // Iterative matcher with one backtrack point: linear for one star, no recursion.
    qsizetype g = 0, t = 0, star = -1, mark = 0;
    while (t < text.size()) {
        if (g < glob.size() && (glob[g] == u'?' || glob[g] == text[t])) {
            ++g;
            ++t;
        } else if (g < glob.size() && glob[g] == u'*') {
            star = g++;
            mark = t;
        } else if (star >= 0) {
            g = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == u'*')
        ++g;
    return g == glob.size();
}

const RiskFlag *Assessment::flag(const QString &code) const
{
    for (const RiskFlag &f : flags) {
        if (f.code == code)
            return &f;
    }
    return nullptr;
}

const ImpactedNode *Assessment::impactedNode(const QString &nodeId) const
{
    for (const ImpactedNode &n : impacted) {
        if (n.nodeId == nodeId)
            return &n;
    }
    return nullptr;
}

QStringList Assessment::flagCodes() const
{
    QStringList codes;
    for (const RiskFlag &f : flags)
        codes.append(f.code);
    return codes;
}

double RiskModel::actionWeight(PlanAction action) const
{
    switch (action) {
    case PlanAction::Delete: return m_config.actionDelete;
    case PlanAction::Replace: return m_config.actionReplace;
    case PlanAction::Update: return m_config.actionUpdate;
    case PlanAction::Create: return m_config.actionCreate;
    case PlanAction::Forget: return m_config.actionForget;
    case PlanAction::NoOp:
    case PlanAction::Read: return 0.0;
    }
    return 0.0;
}

double RiskModel::actionWeight(const ChangedResource &changed) const
{
    return changed.fromPatch ? m_config.actionUpdate : actionWeight(changed.action);
}

QString RiskModel::effectiveEnvironment(const RiskInput &input, QString *why) const
{
    QString best = input.declaredEnvironment;
    QString reason = QStringLiteral("declared");
    auto consider = [&](const QString &env, const QString &source) {
        if (!env.isEmpty() && m_config.environmentWeight(env) > m_config.environmentWeight(best)) {
            best = env;
            reason = source;
        }
    };
    for (const ChangedResource &c : input.changed) {
        if (const TopologyNode *node = input.topology.node(c.nodeId))
            consider(node->environment, QStringLiteral("%1 is annotated %2").arg(c.nodeId, node->environment));
    }
    for (const QString &target : input.targets) {
        for (const auto &[glob, env] : m_config.targets) {
            if (globMatches(glob, target)) {
                consider(env, QStringLiteral("target %1 matches %2 in the policy's targets").arg(target, glob));
                break;
            }
        }
    }
    if (why)
        *why = reason;
    return best;
}

QString RiskModel::nodeEnvironment(const TopologyNode *node, const QString &effective) const
{
    return node && !node->environment.isEmpty() ? node->environment : effective;
}

void RiskModel::scoreChanged(const RiskInput &input, Assessment &out) const
{
    for (const ChangedResource &c : input.changed) {
        const TopologyNode *node = input.topology.node(c.nodeId);
        ChangedContribution k;
        k.address = c.address;
        k.type = c.type;
        k.action = c.action;
        k.nodeId = c.nodeId;
        k.environment = nodeEnvironment(node, out.effectiveEnvironment);
        k.a = actionWeight(c);
        k.e = m_config.environmentWeight(k.environment);
        k.t = m_config.tierWeight(node ? node->tier : 0, node && node->customerFacing);
        k.value = k.a * k.e * k.t;
        out.changedTerm += k.value;
        out.changed.push_back(std::move(k));
    }
}

namespace {

// Node ids sorted, so graph indices follow id order (the §4 tie-break).
struct IndexedGraph
{
    QStringList ids;
    QHash<QString, NodeIndex> index;
    Graph graph;

    explicit IndexedGraph(const Topology &topology)
    {
        for (const TopologyNode &n : topology.nodes())
            ids.append(n.id);
        std::sort(ids.begin(), ids.end());
        for (qsizetype i = 0; i < ids.size(); ++i)
            index.insert(ids[i], static_cast<NodeIndex>(i));
        std::vector<std::pair<NodeIndex, NodeIndex>> edges;
        edges.reserve(topology.edges().size());
        for (const TopologyEdge &e : topology.edges())
            edges.emplace_back(index.value(e.from), index.value(e.to));
        graph = Graph::fromEdges(static_cast<NodeIndex>(ids.size()), edges);
    }

    QStringList names(const std::vector<NodeIndex> &path) const
    {
        QStringList out;
        for (NodeIndex v : path)
            out.append(ids[static_cast<qsizetype>(v)]);
        return out;
    }
};

} // namespace

void RiskModel::scoreImpact(const RiskInput &input, Assessment &out) const
{
    const IndexedGraph g(input.topology);
    // A node's action weight is the largest of its changed resources'.
    QHash<NodeIndex, double> weightOf;
    for (const ChangedResource &c : input.changed) {
        const NodeIndex v = g.index.value(c.nodeId, kNoNode);
        if (v != kNoNode)
            weightOf[v] = std::max(weightOf.value(v, 0.0), actionWeight(c));
    }
    std::vector<BlastSource> sources;
    for (auto it = weightOf.cbegin(); it != weightOf.cend(); ++it)
        sources.push_back(BlastSource{it.key(), it.value()});
    const BlastRadius radius = BlastRadius::compute(g.graph, sources, m_config.depthDecay);
    double sum = 0;
    for (NodeIndex v : radius.reached()) {
        const QString &id = g.ids[static_cast<qsizetype>(v)];
        if (radius.isChanged(v)) {
            out.changedNodes.append(id);
            continue;
        }
        const TopologyNode *node = input.topology.node(id);
        ImpactedNode n;
        n.nodeId = id;
        n.nearestDepth = radius.nearestDepth(v);
        n.nearestPath = g.names(radius.nearestPath(v));
        n.scoringSource = g.ids[static_cast<qsizetype>(radius.scoringSource(v))];
        n.scoringDistance = radius.scoringDistance(v);
        n.a = radius.scoringWeight(v);
        n.decay = std::pow(m_config.depthDecay, n.scoringDistance - 1);
        n.environment = nodeEnvironment(node, out.effectiveEnvironment);
        n.e = m_config.environmentWeight(n.environment);
        n.t = m_config.tierWeight(node ? node->tier : 0, node && node->customerFacing);
        n.value = n.a * n.decay * n.e * n.t;
        n.scoringPath = g.names(radius.scoringPath(v));
        sum += n.value;
        out.impacted.push_back(std::move(n));
    }
    std::stable_sort(out.impacted.begin(), out.impacted.end(), [](const ImpactedNode &a, const ImpactedNode &b) {
        return a.nearestDepth != b.nearestDepth ? a.nearestDepth < b.nearestDepth : a.nodeId < b.nodeId;
    });
    out.impactTerm = m_config.impactFactor * sum;
}

Assessment RiskModel::assess(const RiskInput &input) const
{
    Assessment out;
    out.topologyHash = input.topology.hash();
    out.effectiveEnvironment = effectiveEnvironment(input);
    scoreChanged(input, out);
    scoreImpact(input, out);
    const double total = out.changedTerm + out.impactTerm;
    out.score = static_cast<int>(std::lround(100.0 * (1.0 - std::exp(-total / m_config.divisor))));
    out.scoreClass = m_config.classOf(out.score);
    addFlags(input, out);
    out.riskClass = out.scoreClass;
    for (const RiskFlag &f : out.flags) {
        if (f.floor && *f.floor > out.riskClass)
            out.riskClass = *f.floor;
    }
    // INTENT_MISMATCH compares the final class, so it is decided last.
    if (input.declaredImpact && out.riskClass > *input.declaredImpact) {
        out.flags.push_back(RiskFlag{QStringLiteral("INTENT_MISMATCH"),
                                     {QStringLiteral("computed class %1 is above the declared impact %2")
                                          .arg(toString(out.riskClass), toString(*input.declaredImpact))},
                                     std::nullopt});
    }
    return out;
}

} // namespace hp
