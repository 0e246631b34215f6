#pragma once

#include "domain/types.h"
#include "plan/cascade.h"
#include "risk/riskconfig.h"
#include "risk/risktables.h"
#include "topology/changemapping.h"
#include "topology/topology.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

// The risk model of DESIGN §4: deterministic and explainable. The Assessment
// lists every term (each changed resource's a·e·t, each impacted node's
// a(s)·decay^(d−1)·e(v)·t(v) with its scoring source and path), so a reviewer
// can recompute the score by hand, and every flag with its evidence and floor.
namespace hp {

struct CommandArtifact
{
    QString name;
    QByteArray content;
};

struct RiskInput
{
    Topology topology;                    // merged: catalog, plan edges, own nodes of unmapped resources
    std::vector<ChangedResource> changed; // from ChangeMapping
    bool catalogInForce = false;          // UNMAPPED is raised only with a catalog
    QString declaredEnvironment;
    QStringList targets;                  // the change's target keys, e.g. "account:prod-7"
    std::optional<Impact> declaredImpact;
    std::vector<CascadeLink> cascades;
    // Resources deleted or replaced by the same agent's pending or approved
    // changes on the same non-empty target within mass_change.window (the
    // caller counts them from the store).
    int otherDestructiveCount = 0;
    std::vector<CommandArtifact> commands;
    // Artifacts the caller could not assess (unparseable, opaque), each naming
    // the artifact and why: UNASSESSED evidence beside every command's.
    QStringList unassessed;
    QStringList dangerousText; // evidence found by the caller's scan (DangerousText, §9)
    bool registeredAgent = true;
};

struct ChangedContribution
{
    QString address;
    QString type;
    PlanAction action = PlanAction::Update;
    QString nodeId;
    QString environment; // e's environment
    double a = 0, e = 0, t = 0;
    double value = 0; // a·e·t
};

struct ImpactedNode
{
    QString nodeId;
    int nearestDepth = 0;
    QStringList nearestPath; // the node, each dependency step, the changed node
    QString scoringSource;
    int scoringDistance = 0;
    double a = 0;      // a(s) of the scoring source
    double decay = 0;  // depth_decay^(d−1)
    QString environment;
    double e = 0, t = 0;
    double value = 0;  // a·decay·e·t, before impact_factor
    QStringList scoringPath;
};

struct RiskFlag
{
    QString code;
    QStringList evidence;
    std::optional<Impact> floor; // in the effective environment
};

struct Assessment
{
    double changedTerm = 0;
    double impactTerm = 0;
    int score = 0;
    Impact scoreClass = Impact::Low; // from the score alone
    Impact riskClass = Impact::Low;  // raised to the floors of the flags
    QString effectiveEnvironment;
    std::vector<ChangedContribution> changed;
    QStringList changedNodes; // depth 0
    std::vector<ImpactedNode> impacted; // by nearest depth, then id
    std::vector<RiskFlag> flags;        // in the order of the §4 table
    QByteArray topologyHash;

    const RiskFlag *flag(const QString &code) const;
    const ImpactedNode *impactedNode(const QString &nodeId) const;
    QStringList flagCodes() const;
};

class RiskModel
{
public:
    explicit RiskModel(RiskConfig config = {}, const RiskTables &tables = RiskTables::builtin())
        : m_config(std::move(config)), m_tables(tables)
    {
    }

    Assessment assess(const RiskInput &input) const;

    double actionWeight(PlanAction action) const;
    // a of one changed resource: its action's weight; update for a patch artifact.
    double actionWeight(const ChangedResource &changed) const;
    // Highest (by environment weight) of the declared environment, the
    // changed nodes' annotations and the targets map; `why` says where it came from.
    QString effectiveEnvironment(const RiskInput &input, QString *why = nullptr) const;

private:
    void scoreChanged(const RiskInput &input, Assessment &out) const;
    void scoreImpact(const RiskInput &input, Assessment &out) const;
    void addFlags(const RiskInput &input, Assessment &out) const;
    void addResourceFlags(const RiskInput &input, Assessment &out) const;
    void addCommandFlags(const RiskInput &input, Assessment &out) const;
    QString nodeEnvironment(const TopologyNode *node, const QString &effective) const;

    RiskConfig m_config;
    const RiskTables &m_tables;
};

// `*` any run of characters, `?` one character; whole-string match.
bool globMatches(QStringView glob, QStringView text);

} // namespace hp
