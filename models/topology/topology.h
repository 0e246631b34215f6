#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

// The merged dependency graph of DESIGN §3 Topology as a value: nodes with the
// attributes the risk model reads, and edges from a dependent to what it
// depends on. Node ids: `kind:namespace/name` for catalog entities (lower-case
// kind), `terraform:ADDRESS`, `k8s:Kind/ns/name`.
namespace hp {

struct TopologyNode
{
    QString id;
    QString kind;        // "component", "resource", ..., "terraform", "k8s"
    QString name;
    QString ns;          // catalog namespace; empty for terraform and k8s nodes
    QString owner;       // entity reference id of the owner, e.g. group:default/team-billing
    QString system;
    QString environment; // holdpoint.dev/environment; empty when not annotated
    int tier = 0;        // 1..3; 0 unknown
    bool dataBearing = false;
    bool customerFacing = false;
    bool securitySensitive = false;
    QStringList terraformAddresses; // holdpoint.dev/terraform-address, in order
    QStringList k8sObjects;         // holdpoint.dev/k8s-object as Kind/ns/name
    QString source;                 // file:line it came from; empty for derived nodes
};

struct TopologyEdge
{
    QString from; // dependent
    QString to;   // dependency
    bool operator==(const TopologyEdge &) const = default;
};

class Topology
{
public:
    // Adds a node; a node with the same id already present is kept (first wins)
    // and false is returned.
    bool addNode(TopologyNode node);
    // Adds the edge (and bare nodes for unknown ends); duplicates are kept once.
    void addEdge(const QString &from, const QString &to);

    const std::vector<TopologyNode> &nodes() const { return m_nodes; }
    const std::vector<TopologyEdge> &edges() const { return m_edges; }
    const TopologyNode *node(const QString &id) const;
    int indexOf(const QString &id) const { return m_index.value(id, -1); }
    bool isEmpty() const { return m_nodes.empty(); }

    // The node whose holdpoint.dev/terraform-address names `address` (itself,
    // an instance `addr[…]`, or a resource inside an annotated `module.x`);
    // the most specific annotation wins, then the smaller node id. Empty when none.
    QString nodeForTerraformAddress(const QString &address) const;
    // The node annotated with holdpoint.dev/k8s-object Kind/ns/name; empty when none.
    QString nodeForKubeObject(const QString &kind, const QString &ns, const QString &name) const;

    // Merges every node and edge of `other` (nodes already present are kept).
    void merge(const Topology &other);

    // SHA-256 (hex) over a canonical serialisation: nodes sorted by id with
    // every attribute, then edges sorted; independent of insertion order.
    QByteArray hash() const;

private:
    std::vector<TopologyNode> m_nodes;
    std::vector<TopologyEdge> m_edges;
    QHash<QString, int> m_index;
    QHash<QString, bool> m_edgeSet; // "from\nto"
};

QString catalogNodeId(const QString &kind, const QString &ns, const QString &name);
QString terraformNodeId(const QString &address);
QString kubeNodeId(const QString &kind, const QString &ns, const QString &name);

// True when annotation address `pattern` names `address` (DESIGN §3).
bool terraformAddressMatches(const QString &pattern, const QString &address);

} // namespace hp
