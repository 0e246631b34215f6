#pragma once

#include "topology/topology.h"

#include <QString>
#include <QStringList>

// How the blast radius panel names topology nodes. Names, owners and
// addresses come from catalogs and plans an agent may have written, so every
// display string here has dangerous characters escaped (DESIGN §9) and is
// shown only as plain text.
namespace hp {

struct BlastNodeInfo
{
    QString id;
    QString name;   // display name: the entity name ("ns/name" outside default), else the address
    QString kind;   // "component", "resource", "terraform", "k8s", ...
    int tier = 0;   // 0 unknown
    QString owner;  // short reference ("team-billing"), empty when none
    QString environment; // the node's own annotation; empty when none
    bool customerFacing = false;
};

// Attributes of `id` from `topology`; a node the topology lacks (an unmapped
// resource's own node, an older catalog) is described from its id alone.
BlastNodeInfo blastNodeInfo(const QString &id, const Topology &topology);

// "group:default/team-billing" → "team-billing"; another namespace stays: "ops/team".
QString blastShortRef(const QString &ref);

// A node of its own (terraform:ADDRESS, k8s:Kind/ns/name): no catalog entity names it.
bool isOwnNode(const QString &id);

// Display names of a path, joined with " → ".
QString blastPathText(const QStringList &path, const Topology &topology);

// A term as DESIGN §4 shows it: four decimals ("1.8750").
QString formatTerm(double value);
// A factor with up to four decimals, trailing zeros dropped ("0.9", "1.5", "0.36").
QString formatFactor(double value);

} // namespace hp
