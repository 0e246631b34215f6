#include "topology/topology.h"

#include "domain/sha256.h"

#include <algorithm>

namespace hp {

QString catalogNodeId(const QString &kind, const QString &ns, const QString &name)
{
    return kind.toLower() + u':' + (ns.isEmpty() ? QStringLiteral("default") : ns) + u'/' + name;
}

QString terraformNodeId(const QString &address)
{
    return QStringLiteral("terraform:") + address;
}

QString kubeNodeId(const QString &kind, const QString &ns, const QString &name)
{
    return QStringLiteral("k8s:") + kind + u'/' + ns + u'/' + name;
}

namespace {

// module.a, module.a["k"].module.b: only module steps, no resource.
bool isModuleAddress(const QString &address)
{
    QString plain;
    int depth = 0;
    for (const QChar c : address) {
        if (c == u'[')
            ++depth;
        else if (c == u']')
            --depth;
        else if (depth == 0)
            plain.append(c);
    }
    const QStringList parts = plain.split(u'.');
    if (parts.size() % 2 != 0)
        return false;
    for (qsizetype i = 0; i < parts.size(); i += 2) {
        if (parts[i] != u"module" || parts[i + 1].isEmpty())
            return false;
    }
    return true;
}

} // namespace

bool terraformAddressMatches(const QString &pattern, const QString &address)
{
    if (pattern.isEmpty())
        return false;
    if (address == pattern)
        return true;
    if (!address.startsWith(pattern) || address.size() == pattern.size())
        return false;
    const QChar next = address.at(pattern.size());
    if (next == u'[')
        return true; // an instance of the resource, or of the module
    // `module.x` names every resource inside it, nested modules included.
    return next == u'.' && isModuleAddress(pattern);
}

bool Topology::addNode(TopologyNode node)
{
    if (m_index.contains(node.id))
        return false;
    m_index.insert(node.id, static_cast<int>(m_nodes.size()));
    m_nodes.push_back(std::move(node));
    return true;
}

void Topology::addEdge(const QString &from, const QString &to)
{
    for (const QString &id : {from, to}) {
        if (!m_index.contains(id)) {
            TopologyNode bare;
            bare.id = id;
            bare.kind = id.section(u':', 0, 0);
            bare.name = id.section(u'/', -1);
            addNode(std::move(bare));
        }
    }
    const QString key = from + u'\n' + to;
    if (m_edgeSet.contains(key))
        return;
    m_edgeSet.insert(key, true);
    m_edges.push_back(TopologyEdge{from, to});
}

const TopologyNode *Topology::node(const QString &id) const
{
    const int i = m_index.value(id, -1);
    return i < 0 ? nullptr : &m_nodes[static_cast<size_t>(i)];
}

QString Topology::nodeForTerraformAddress(const QString &address) const
{
    QString best;
    qsizetype bestLength = -1;
    for (const TopologyNode &n : m_nodes) {
        for (const QString &pattern : n.terraformAddresses) {
            if (!terraformAddressMatches(pattern, address))
                continue;
            if (pattern.size() > bestLength || (pattern.size() == bestLength && n.id < best)) {
                best = n.id;
                bestLength = pattern.size();
            }
        }
    }
    return best;
}

QString Topology::nodeForKubeObject(const QString &kind, const QString &ns, const QString &name) const
{
    const QString wanted = kind + u'/' + ns + u'/' + name;
    QString best;
    for (const TopologyNode &n : m_nodes) {
        if (n.k8sObjects.contains(wanted) && (best.isEmpty() || n.id < best))
            best = n.id;
    }
    return best;
}

void Topology::merge(const Topology &other)
{
    for (const TopologyNode &n : other.m_nodes)
        addNode(n);
    for (const TopologyEdge &e : other.m_edges)
        addEdge(e.from, e.to);
}

namespace {

void putField(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    const quint32 len = static_cast<quint32>(utf8.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(static_cast<char>((len >> shift) & 0xFF));
    out.append(utf8);
}

void putList(QByteArray &out, const QStringList &list)
{
    putField(out, QString::number(list.size()));
    for (const QString &s : list)
        putField(out, s);
}

} // namespace

QByteArray Topology::hash() const
{
    std::vector<const TopologyNode *> nodes;
    nodes.reserve(m_nodes.size());
    for (const TopologyNode &n : m_nodes)
        nodes.push_back(&n);
    std::sort(nodes.begin(), nodes.end(), [](const auto *a, const auto *b) { return a->id < b->id; });
    std::vector<TopologyEdge> edges = m_edges;
    std::sort(edges.begin(), edges.end(), [](const TopologyEdge &a, const TopologyEdge &b) {
        return a.from != b.from ? a.from < b.from : a.to < b.to;
    });
    // Length-prefixed fields, so no two different topologies serialise alike.
    QByteArray out("HPTOPO1");
    putField(out, QString::number(nodes.size()));
    for (const TopologyNode *n : nodes) {
        for (const QString &f : {n->id, n->kind, n->name, n->ns, n->owner, n->system, n->environment,
                                 QString::number(n->tier), QString::number(n->dataBearing),
                                 QString::number(n->customerFacing), QString::number(n->securitySensitive)})
            putField(out, f);
        putList(out, n->terraformAddresses);
        putList(out, n->k8sObjects);
    }
    putField(out, QString::number(edges.size()));
    for (const TopologyEdge &e : edges) {
        putField(out, e.from);
        putField(out, e.to);
    }
    return Sha256::digest(out).toHex();
}

} // namespace hp
