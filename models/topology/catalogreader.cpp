#include "topology/catalogreader.h"

#include "topology/yamltree.h"

#include <QFile>
#include <QRegularExpression>

#include <map>
#include <optional>
#include <tuple>

namespace hp {

namespace {

const QStringList kNodeKinds = {QStringLiteral("component"), QStringLiteral("resource"), QStringLiteral("system"),
                                QStringLiteral("api"), QStringLiteral("group")};

struct ApiUse
{
    QStringList consumers;
    QStringList providers;
};

// State across the documents (and files) of one catalog.
class CatalogBuilder
{
public:
    Status addStream(const QByteArray &yaml, const QString &source);
    Topology finish();

private:
    Status addEntity(const YamlNode &doc);
    Error fail(const YamlNode &at, const QString &message) const
    {
        const QString where = YamlTreeReader::location(m_source, at.line, at.column);
        return makeError(ExitCode::Usage, QStringLiteral("invalid_entity"), where + QStringLiteral(": ") + message, where);
    }
    Result<QString> requiredString(const YamlNode &parent, QStringView key) const;
    Result<QString> entityRef(const YamlNode &at, const QString &defaultKind, const QString &defaultNs) const;
    Result<QStringList> refList(const YamlNode &spec, QStringView key, const QString &defaultKind,
                                const QString &defaultNs) const;
    Status readAnnotations(const YamlNode &metadata, TopologyNode &node) const;
    Status readSpec(const YamlNode &spec, const QString &kind, const TopologyNode &node);
    Result<TopologyNode> readIdentity(const YamlNode &doc) const;
    Status readOwnerAndSystem(const YamlNode &spec, TopologyNode &node) const;

    QString m_source;
    Topology m_topology;
    std::vector<TopologyEdge> m_edges;
    std::map<QString, ApiUse> m_apis; // ordered, so edges come out deterministically
};

Status CatalogBuilder::addStream(const QByteArray &yaml, const QString &source)
{
    m_source = source;
    YamlTreeReader reader(YamlReadOptions{source, 32});
    Result<std::vector<YamlNode>> docs = reader.read(yaml);
    if (!docs)
        return docs.error();
    for (const YamlNode &doc : *docs) {
        if (doc.isNull())
            continue;
        if (Status st = addEntity(doc); !st)
            return st;
    }
    return {};
}

Result<QString> CatalogBuilder::requiredString(const YamlNode &parent, QStringView key) const
{
    const YamlNode *v = parent.value(key);
    if (!v || !v->isScalar() || v->scalar.isEmpty())
        return fail(v ? *v : parent, QStringLiteral("%1 must be a non-empty string").arg(key));
    return v->scalar;
}

Result<QString> CatalogBuilder::entityRef(const YamlNode &at, const QString &defaultKind,
                                          const QString &defaultNs) const
{
    if (!at.isScalar() || at.scalar.isEmpty())
        return fail(at, QStringLiteral("an entity reference must be a non-empty string"));
    QString rest = at.scalar;
    QString kind = defaultKind;
    QString ns = defaultNs;
    const qsizetype colon = rest.indexOf(u':');
    if (colon >= 0) {
        kind = rest.left(colon);
        rest = rest.mid(colon + 1);
    }
    const qsizetype slash = rest.indexOf(u'/');
    if (slash >= 0) {
        ns = rest.left(slash);
        rest = rest.mid(slash + 1);
    }
    if (kind.isEmpty())
        return fail(at, QStringLiteral("entity reference \"%1\" needs a kind").arg(at.scalar));
    if (ns.isEmpty() || rest.isEmpty() || rest.contains(u'/') || rest.contains(u':'))
        return fail(at, QStringLiteral("malformed entity reference \"%1\"").arg(at.scalar));
    return catalogNodeId(kind, ns, rest);
}

Result<QStringList> CatalogBuilder::refList(const YamlNode &spec, QStringView key, const QString &defaultKind,
                                            const QString &defaultNs) const
{
    QStringList out;
    const YamlNode *list = spec.value(key);
    if (!list || list->isNull())
        return out;
    if (!list->isSequence())
        return fail(*list, QStringLiteral("spec.%1 must be a list of entity references").arg(key));
    for (const YamlNode &item : list->items) {
        Result<QString> ref = entityRef(item, defaultKind, defaultNs);
        if (!ref)
            return ref.error();
        out.append(*ref);
    }
    return out;
}

Status CatalogBuilder::readSpec(const YamlNode &spec, const QString &kind, const TopologyNode &node)
{
    Result<QStringList> dependsOn = refList(spec, u"dependsOn", {}, node.ns);
    if (!dependsOn)
        return dependsOn.error();
    Result<QStringList> dependencyOf = refList(spec, u"dependencyOf", {}, node.ns);
    if (!dependencyOf)
        return dependencyOf.error();
    for (const QString &to : *dependsOn)
        m_edges.push_back(TopologyEdge{node.id, to});
    for (const QString &from : *dependencyOf)
        m_edges.push_back(TopologyEdge{from, node.id});
    if (kind != u"component")
        return {};
    for (const auto &[key, consumer] : {std::pair{u"consumesApis", true}, std::pair{u"providesApis", false}}) {
        Result<QStringList> apis = refList(spec, QStringView(key), QStringLiteral("api"), node.ns);
        if (!apis)
            return apis.error();
        for (const QString &api : *apis)
            (consumer ? m_apis[api].consumers : m_apis[api].providers).append(node.id);
    }
    return {};
}

std::optional<bool> parseFlag(const QString &value)
{
    if (value == u"true")
        return true;
    if (value == u"false")
        return false;
    return std::nullopt;
}

Status CatalogBuilder::readAnnotations(const YamlNode &metadata, TopologyNode &node) const
{
    const YamlNode *annotations = metadata.value(u"annotations");
    if (!annotations || annotations->isNull())
        return {};
    if (!annotations->isMapping())
        return fail(*annotations, QStringLiteral("metadata.annotations must be a mapping"));
    for (size_t i = 0; i < annotations->keys.size(); ++i) {
        const QString &key = annotations->keys[i];
        const YamlNode &v = annotations->items[i];
        if (!key.startsWith(u"holdpoint.dev/"))
            continue;
        if (v.type != YamlNode::Type::Scalar)
            return fail(v, QStringLiteral("annotation %1 must be a string").arg(key));
        const QString value = v.scalar.trimmed();
        const QString what = key.mid(14);
        if (what == u"terraform-address") {
            node.terraformAddresses = CatalogReader::splitAddresses(value);
        } else if (what == u"k8s-object") {
            for (const QString &obj : CatalogReader::splitAddresses(value)) {
                const QStringList parts = obj.split(u'/');
                if (parts.size() != 3 || parts[0].isEmpty() || parts[2].isEmpty())
                    return fail(v, QStringLiteral("k8s-object \"%1\" is not Kind/namespace/name").arg(obj));
                node.k8sObjects.append(obj);
            }
        } else if (what == u"environment") {
            node.environment = value;
        } else if (what == u"tier") {
            if (value != u"1" && value != u"2" && value != u"3")
                return fail(v, QStringLiteral("tier must be \"1\", \"2\" or \"3\", not \"%1\"").arg(value));
            node.tier = value.toInt();
        } else if (what == u"data-bearing" || what == u"customer-facing" || what == u"security-sensitive") {
            const std::optional<bool> flag = parseFlag(value);
            if (!flag)
                return fail(v, QStringLiteral("%1 must be \"true\" or \"false\"").arg(key));
            bool &target = what == u"data-bearing" ? node.dataBearing
                           : what == u"customer-facing" ? node.customerFacing : node.securitySensitive;
            target = *flag;
        }
    }
    return {};
}

// apiVersion, kind, metadata.name and metadata.namespace, validated as Backstage does.
Result<TopologyNode> CatalogBuilder::readIdentity(const YamlNode &doc) const
{
    static const QRegularExpression nameRe(QStringLiteral("^[A-Za-z0-9][-_.A-Za-z0-9]*$"));
    static const QRegularExpression nsRe(QStringLiteral("^[a-z0-9]+(-[a-z0-9]+)*$"));
    if (!doc.isMapping())
        return fail(doc, QStringLiteral("an entity must be a mapping"));
    Result<QString> apiVersion = requiredString(doc, u"apiVersion");
    if (!apiVersion)
        return apiVersion.error();
    Result<QString> kindText = requiredString(doc, u"kind");
    if (!kindText)
        return kindText.error();
    const YamlNode *metadata = doc.value(u"metadata");
    if (!metadata || !metadata->isMapping())
        return fail(metadata ? *metadata : doc, QStringLiteral("metadata must be a mapping"));
    Result<QString> name = requiredString(*metadata, u"name");
    if (!name)
        return name.error();
    if (name->size() > 63 || !nameRe.match(*name).hasMatch())
        return fail(*metadata->value(u"name"),
                    QStringLiteral("invalid entity name \"%1\": [A-Za-z0-9][-_.A-Za-z0-9]*, at most 63 characters")
                        .arg(*name));
    TopologyNode node;
    node.ns = QStringLiteral("default");
    if (const YamlNode *nsNode = metadata->value(u"namespace"); nsNode && !nsNode->isNull()) {
        if (!nsNode->isScalar() || nsNode->scalar.size() > 63 || !nsRe.match(nsNode->scalar).hasMatch())
            return fail(*nsNode, QStringLiteral("invalid namespace: [a-z0-9]+(-[a-z0-9]+)*, at most 63 characters"));
        node.ns = nsNode->scalar;
    }
    node.kind = kindText->toLower();
    node.name = *name;
    node.id = catalogNodeId(node.kind, node.ns, node.name);
    node.source = YamlTreeReader::location(m_source, doc.line, doc.column);
    return node;
}

Status CatalogBuilder::readOwnerAndSystem(const YamlNode &spec, TopologyNode &node) const
{
    for (const auto &[key, defKind, target] : {std::tuple{u"owner", QStringLiteral("group"), &node.owner},
                                              std::tuple{u"system", QStringLiteral("system"), &node.system}}) {
        if (const YamlNode *v = spec.value(QStringView(key)); v && !v->isNull()) {
            Result<QString> ref = entityRef(*v, defKind, node.ns);
            if (!ref)
                return ref.error();
            *target = *ref;
        }
    }
    return {};
}

Status CatalogBuilder::addEntity(const YamlNode &doc)
{
    Result<TopologyNode> identity = readIdentity(doc);
    if (!identity)
        return identity.error();
    TopologyNode node = std::move(*identity);
    if (!kNodeKinds.contains(node.kind))
        return {}; // validated, then ignored (see the header)
    if (Status st = readAnnotations(*doc.value(u"metadata"), node); !st)
        return st;
    const YamlNode *spec = doc.value(u"spec");
    if (spec && !spec->isNull() && !spec->isMapping())
        return fail(*spec, QStringLiteral("spec must be a mapping"));
    if (spec && spec->isMapping()) {
        if (Status st = readOwnerAndSystem(*spec, node); !st)
            return st;
        if (Status st = readSpec(*spec, node.kind, node); !st)
            return st;
    }
    const QString id = node.id;
    if (!m_topology.addNode(std::move(node)))
        return fail(doc, QStringLiteral("entity %1 is defined twice (first at %2)")
                             .arg(id, m_topology.node(id)->source));
    return {};
}

Topology CatalogBuilder::finish()
{
    for (const TopologyEdge &e : m_edges)
        m_topology.addEdge(e.from, e.to);
    for (const auto &[api, use] : m_apis) {
        for (const QString &consumer : use.consumers) {
            for (const QString &provider : use.providers) {
                if (consumer != provider)
                    m_topology.addEdge(consumer, provider);
            }
        }
    }
    return std::move(m_topology);
}

Result<QByteArray> readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Usage, QStringLiteral("unreadable_file"),
                         QStringLiteral("cannot read %1: %2").arg(path, file.errorString()), path);
    return file.readAll();
}

} // namespace

QStringList CatalogReader::splitAddresses(const QString &annotation)
{
    QStringList out;
    QString current;
    int depth = 0;
    auto flush = [&]() {
        const QString t = current.trimmed();
        if (!t.isEmpty())
            out.append(t);
        current.clear();
    };
    for (const QChar c : annotation) {
        if (c == u'[')
            ++depth;
        else if (c == u']' && depth > 0)
            --depth;
        if (c == u'\n' || (c == u',' && depth == 0))
            flush();
        else
            current.append(c);
    }
    flush();
    return out;
}

Result<Topology> CatalogReader::read(const QByteArray &yaml, const QString &source)
{
    CatalogBuilder builder;
    if (Status st = builder.addStream(yaml, source); !st)
        return st.error();
    return builder.finish();
}

Result<Topology> CatalogReader::readFile(const QString &path)
{
    return readFiles({path});
}

Result<Topology> CatalogReader::readFiles(const QStringList &paths)
{
    CatalogBuilder builder;
    for (const QString &path : paths) {
        Result<QByteArray> data = readAll(path);
        if (!data)
            return data.error();
        if (Status st = builder.addStream(*data, path); !st)
            return st.error();
    }
    return builder.finish();
}

Result<Topology> CatalogReader::readStreams(const std::vector<std::pair<QString, QByteArray>> &streams)
{
    CatalogBuilder builder;
    for (const auto &[name, bytes] : streams) {
        if (Status st = builder.addStream(bytes, name); !st)
            return st.error();
    }
    return builder.finish();
}

} // namespace hp
