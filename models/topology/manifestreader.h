#pragma once

#include "domain/result.h"
#include "topology/topology.h"

#include <QByteArray>
#include <QMap>
#include <QString>

#include <vector>

// Kubernetes manifests (multi-document YAML, read strictly by YamlTreeReader)
// as topology edges (DESIGN §3 Topology): metadata.ownerReferences (owned →
// owner, the owner taken in the owned object's namespace) and Services
// selecting workloads (Service → workload: Deployment, StatefulSet,
// DaemonSet, ReplicaSet, Job by their pod template labels, Pod by its own
// labels, in the Service's namespace). Each end maps to the catalog entity
// annotated with it (holdpoint.dev/k8s-object), else to `k8s:Kind/ns/name`.
// `kind: List` documents are read item by item.
namespace hp {

struct KubeManifestObject
{
    QString kind;
    QString ns;
    QString name;
    QMap<QString, QString> labels;    // the pod labels a Service selects on
    QMap<QString, QString> selector;  // Service spec.selector
    std::vector<std::pair<QString, QString>> owners; // (kind, name)
    int line = 0;
};

class ManifestReader
{
public:
    static Result<std::vector<KubeManifestObject>> read(const QByteArray &yaml, const QString &source);
    // Adds the objects' nodes and edges; returns the number of edges added.
    static int addToTopology(Topology &topology, const std::vector<KubeManifestObject> &objects);
};

} // namespace hp
