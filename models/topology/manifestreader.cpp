#include "topology/manifestreader.h"

#include "topology/yamltree.h"

namespace hp {

namespace {

const QStringList kWorkloads = {QStringLiteral("Deployment"), QStringLiteral("StatefulSet"),
                                QStringLiteral("DaemonSet"), QStringLiteral("ReplicaSet"), QStringLiteral("Job")};

Error fail(const QString &source, const YamlNode &at, const QString &message)
{
    const QString where = YamlTreeReader::location(source, at.line, at.column);
    return makeError(ExitCode::Usage, QStringLiteral("invalid_manifest"), where + QStringLiteral(": ") + message,
                     where);
}

QString scalarAt(const YamlNode &node, QStringView key)
{
    const YamlNode *v = node.value(key);
    return v && v->isScalar() ? v->scalar : QString();
}

QMap<QString, QString> stringMap(const YamlNode *node)
{
    QMap<QString, QString> out;
    if (!node || !node->isMapping())
        return out;
    for (size_t i = 0; i < node->keys.size(); ++i) {
        if (node->items[i].type == YamlNode::Type::Scalar)
            out.insert(node->keys[i], node->items[i].scalar);
    }
    return out;
}

const YamlNode *path(const YamlNode &root, std::initializer_list<QStringView> keys)
{
    const YamlNode *n = &root;
    for (QStringView k : keys) {
        if (!n->isMapping() || !(n = n->value(k)))
            return nullptr;
    }
    return n;
}

Result<KubeManifestObject> readObject(const QString &source, const YamlNode &doc)
{
    KubeManifestObject obj;
    obj.kind = scalarAt(doc, u"kind");
    const YamlNode *metadata = doc.value(u"metadata");
    if (obj.kind.isEmpty() || !metadata || !metadata->isMapping() || scalarAt(*metadata, u"name").isEmpty())
        return fail(source, doc, QStringLiteral("a Kubernetes object needs kind and metadata.name"));
    obj.name = scalarAt(*metadata, u"name");
    obj.ns = scalarAt(*metadata, u"namespace");
    obj.line = doc.line;
    const bool workload = kWorkloads.contains(obj.kind);
    obj.labels = stringMap(workload ? path(doc, {u"spec", u"template", u"metadata", u"labels"})
                                    : metadata->value(u"labels"));
    if (obj.kind == u"Service")
        obj.selector = stringMap(path(doc, {u"spec", u"selector"}));
    if (const YamlNode *refs = metadata->value(u"ownerReferences"); refs && refs->isSequence()) {
        for (const YamlNode &ref : refs->items) {
            if (!ref.isMapping() || scalarAt(ref, u"kind").isEmpty() || scalarAt(ref, u"name").isEmpty())
                return fail(source, ref, QStringLiteral("an ownerReference needs kind and name"));
            obj.owners.emplace_back(scalarAt(ref, u"kind"), scalarAt(ref, u"name"));
        }
    }
    return obj;
}

QString mapObject(Topology &topology, const QString &kind, const QString &ns, const QString &name)
{
    const QString entity = topology.nodeForKubeObject(kind, ns, name);
    if (!entity.isEmpty())
        return entity;
    const QString id = kubeNodeId(kind, ns, name);
    if (!topology.node(id)) {
        TopologyNode node;
        node.id = id;
        node.kind = QStringLiteral("k8s");
        node.name = name;
        topology.addNode(std::move(node));
    }
    return id;
}

bool selects(const QMap<QString, QString> &selector, const QMap<QString, QString> &labels)
{
    if (selector.isEmpty())
        return false; // a Service without a selector selects nothing
    for (auto it = selector.cbegin(); it != selector.cend(); ++it) {
        if (labels.value(it.key()) != it.value() || !labels.contains(it.key()))
            return false;
    }
    return true;
}

} // namespace

Result<std::vector<KubeManifestObject>> ManifestReader::read(const QByteArray &yaml, const QString &source)
{
    Result<std::vector<YamlNode>> docs = YamlTreeReader(YamlReadOptions{source, 64}).read(yaml);
    if (!docs)
        return docs.error();
    std::vector<KubeManifestObject> out;
    for (const YamlNode &doc : *docs) {
        if (doc.isNull())
            continue;
        if (!doc.isMapping())
            return fail(source, doc, QStringLiteral("a Kubernetes object must be a mapping"));
        std::vector<const YamlNode *> objects{&doc};
        if (scalarAt(doc, u"kind") == u"List") {
            objects.clear();
            if (const YamlNode *items = doc.value(u"items"); items && items->isSequence()) {
                for (const YamlNode &item : items->items)
                    objects.push_back(&item);
            }
        }
        for (const YamlNode *o : objects) {
            Result<KubeManifestObject> obj = readObject(source, *o);
            if (!obj)
                return obj.error();
            out.push_back(std::move(*obj));
        }
    }
    return out;
}

int ManifestReader::addToTopology(Topology &topology, const std::vector<KubeManifestObject> &objects)
{
    const std::size_t before = topology.edges().size();
    for (const KubeManifestObject &o : objects) {
        const QString self = mapObject(topology, o.kind, o.ns, o.name);
        for (const auto &[kind, name] : o.owners) {
            const QString owner = mapObject(topology, kind, o.ns, name);
            if (owner != self)
                topology.addEdge(self, owner);
        }
        if (o.kind != u"Service")
            continue;
        for (const KubeManifestObject &w : objects) {
            if (w.ns == o.ns && (kWorkloads.contains(w.kind) || w.kind == u"Pod") && selects(o.selector, w.labels)) {
                const QString target = mapObject(topology, w.kind, w.ns, w.name);
                if (target != self)
                    topology.addEdge(self, target);
            }
        }
    }
    return static_cast<int>(topology.edges().size() - before);
}

} // namespace hp
