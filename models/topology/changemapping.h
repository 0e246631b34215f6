#pragma once

#include "diff/diffdata.h"
#include "plan/plandata.h"
#include "topology/topology.h"

#include <QString>

#include <vector>

// Ties what a change edits to the topology (DESIGN §3 Topology, §4 Graph):
// each changed resource maps to the catalog entity that names it in an
// annotation, else to a node of its own (`terraform:ADDRESS`,
// `k8s:Kind/ns/name`). The plan's configuration adds its edges (dependent →
// dependency) between the mapped nodes.
namespace hp {

struct ChangedResource
{
    QString address; // terraform address, or Kind/namespace/name for a Kubernetes object
    QString type;    // terraform resource type, or the Kubernetes kind
    PlanAction action = PlanAction::Update;
    QString why;     // action_reason and replace_paths, for people; empty when none
    QString nodeId;
    bool mapped = false; // named by a catalog entity
    bool kubernetes = false; // a Kubernetes object (type is its kind)
    // Named by a patch (or command) artifact: DESIGN §4 weighs it as an
    // update whatever `action` says; the flags still read `action`.
    bool fromPatch = false;
};

class ChangeMapping
{
public:
    // The node a terraform address maps to: the annotated entity, else its own node.
    static QString nodeForAddress(const Topology &topology, const QString &address);

    // Adds the plan's configuration edges (resourceDependencies: depends_on
    // plus references cut to resource addresses; prior_state only without
    // configuration) between mapped nodes, self-loops of one entity left out,
    // and returns the plan's changed resources (DESIGN §3 Assessment).
    static std::vector<ChangedResource> addPlan(Topology &topology, const Plan &plan);

    // The Kubernetes objects a `kubectl diff` names: added → create, deleted
    // → delete, otherwise update.
    static std::vector<ChangedResource> addKubePatch(Topology &topology, const diff::PatchSet &patch);
};

} // namespace hp
