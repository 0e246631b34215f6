#include "topology/changemapping.h"

#include "plan/planreferences.h"

namespace hp {

namespace {

QString ensureOwnNode(Topology &topology, const QString &id, const QString &kind, const QString &name)
{
    if (!topology.node(id)) {
        TopologyNode node;
        node.id = id;
        node.kind = kind;
        node.name = name;
        topology.addNode(std::move(node));
    }
    return id;
}

QString mapAddress(Topology &topology, const QString &address)
{
    const QString entity = topology.nodeForTerraformAddress(address);
    if (!entity.isEmpty())
        return entity;
    return ensureOwnNode(topology, terraformNodeId(address), QStringLiteral("terraform"), address);
}

QString describeWhy(const PlanResourceChange &rc)
{
    QStringList parts;
    const QString reason = describeActionReason(rc.reason);
    if (!reason.isEmpty())
        parts.append(reason);
    QStringList paths;
    for (const AttributePath &p : rc.replacePaths)
        paths.append(formatAttributePath(p));
    if (!paths.isEmpty())
        parts.append(QStringLiteral("replace paths: ") + paths.join(QStringLiteral(", ")));
    return parts.join(QStringLiteral("; "));
}

} // namespace

QString ChangeMapping::nodeForAddress(const Topology &topology, const QString &address)
{
    const QString entity = topology.nodeForTerraformAddress(address);
    return entity.isEmpty() ? terraformNodeId(address) : entity;
}

std::vector<ChangedResource> ChangeMapping::addPlan(Topology &topology, const Plan &plan)
{
    // Instances by configuration address, so a dependency on `x` reaches `x[0]`, `x[1]`.
    QHash<QString, QStringList> instances;
    for (const PlanResourceChange &rc : plan.resourceChanges) {
        if (rc.mode == ResourceMode::Managed)
            instances[configAddressOf(rc.address)].append(rc.address);
    }
    const QHash<QString, QStringList> deps = resourceDependencies(plan);
    for (auto it = deps.cbegin(); it != deps.cend(); ++it) {
        const QString from = mapAddress(topology, it.key());
        for (const QString &dep : it.value()) {
            const QStringList targets = instances.value(dep, QStringList{dep});
            for (const QString &target : targets) {
                const QString to = mapAddress(topology, target);
                if (to != from)
                    topology.addEdge(from, to);
            }
        }
    }
    std::vector<ChangedResource> changed;
    for (int i : plan.changedResources()) {
        const PlanResourceChange &rc = plan.resourceChanges[static_cast<size_t>(i)];
        ChangedResource c;
        c.address = rc.address;
        c.type = rc.type;
        c.action = rc.action;
        c.why = describeWhy(rc);
        c.mapped = !topology.nodeForTerraformAddress(rc.address).isEmpty();
        c.nodeId = mapAddress(topology, rc.address);
        changed.push_back(std::move(c));
    }
    return changed;
}

std::vector<ChangedResource> ChangeMapping::addKubePatch(Topology &topology, const diff::PatchSet &patch)
{
    std::vector<ChangedResource> changed;
    for (const diff::FilePatch &file : patch.files) {
        if (!file.kubeObject)
            continue;
        const diff::KubeObject &obj = *file.kubeObject;
        ChangedResource c;
        c.address = obj.kind + u'/' + obj.ns + u'/' + obj.name;
        c.type = obj.kind;
        c.kubernetes = true;
        c.fromPatch = true;
        c.action = file.status == diff::FileStatus::Added     ? PlanAction::Create
                   : file.status == diff::FileStatus::Deleted ? PlanAction::Delete
                                                              : PlanAction::Update;
        const QString entity = topology.nodeForKubeObject(obj.kind, obj.ns, obj.name);
        c.mapped = !entity.isEmpty();
        c.nodeId = c.mapped ? entity
                            : ensureOwnNode(topology, kubeNodeId(obj.kind, obj.ns, obj.name), QStringLiteral("k8s"),
                                            obj.name);
        changed.push_back(std::move(c));
    }
    return changed;
}

} // namespace hp
