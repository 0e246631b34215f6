#include "storage/pgstore.h"

#include "topology/catalogreader.h"

// Topology versions in team mode (DESIGN §3 Topology), as a local store keeps
// them: a lead imports catalog files; the merged graph's hash decides whether
// anything changed; a new version is stored with its sources by
// hp_import_topology, and the lead's client reassesses every pending change
// against it in the same transaction (hp_reassess, reason "topology").
namespace hp {

namespace {

Result<Topology> parseSources(const std::vector<TopologySource> &sources)
{
    std::vector<std::pair<QString, QByteArray>> streams;
    streams.reserve(sources.size());
    for (const TopologySource &s : sources)
        streams.emplace_back(s.name, s.content);
    return CatalogReader::readStreams(streams);
}

} // namespace

Result<TopologyImportResult> PgStore::importTopology(const Actor &actor, const std::vector<TopologySource> &sources)
{
    if (sources.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_sources"),
                         QStringLiteral("a topology import needs at least one catalog file"));
    auto topology = parseSources(sources);
    if (!topology)
        return topology.error();
    const QByteArray hash = topology->hash();
    QStringList names;
    std::vector<QByteArray> bytes;
    for (const TopologySource &s : sources) {
        names << s.name;
        bytes.push_back(s.content);
    }
    TopologyImportResult result;
    const Status done = m_db.inTransaction([&]() -> Status {
        result = TopologyImportResult{};
        auto q = m_db.exec(QStringLiteral("SELECT hp_import_topology(?, ?, ?, ?::text[], ?::bytea[], ?, ?)"),
                           {QString::fromLatin1(hash), static_cast<int>(topology->nodes().size()),
                            static_cast<int>(topology->edges().size()), pgTextArray(names), pgByteaArray(bytes),
                            actor.host, actor.appVersion});
        if (!q)
            return q.error();
        result.unchanged = !q->next() || q->value(0).toInt() == 0;
        if (result.unchanged)
            return {};
        m_catalog = std::make_shared<const CatalogInForce>(CatalogInForce{*topology, hash});
        auto pending = loadChanges(QStringLiteral(" WHERE c.status = 'pending' ORDER BY c.created_at, c.id"), {});
        if (!pending)
            return pending.error();
        for (const PgLoadedChange &c : *pending) {
            if (Status s = confirmAssessment(actor, c.detail, QStringLiteral("topology")); !s)
                return s;
            ++result.reassessed;
        }
        return {};
    });
    if (Status s = auditRefusal(actor, QStringLiteral("topology.import"), {}, done); !s) {
        m_catalog.reset();
        return s.error();
    }
    auto current = currentTopology(true);
    if (!current)
        return current.error();
    if (*current)
        result.version = **current;
    return result;
}

Result<std::optional<TopologyVersion>> PgStore::currentTopology(bool withSources)
{
    auto q = m_db.exec(QStringLiteral("SELECT version, hash, imported_by, imported_at, nodes, edges FROM topologies "
                                      "ORDER BY version DESC LIMIT 1"));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<TopologyVersion>();
    TopologyVersion v;
    v.version = q->value(0).toInt();
    v.hash = q->value(1).toString().toLatin1();
    v.importedBy = q->value(2).toString();
    v.importedAt = QDateTime::fromString(q->value(3).toString(), Qt::ISODateWithMs);
    v.nodes = q->value(4).toInt();
    v.edges = q->value(5).toInt();
    if (withSources) {
        auto s = m_db.exec(QStringLiteral("SELECT name, bytes FROM topology_sources WHERE version = ? ORDER BY idx"),
                           {v.version});
        if (!s)
            return s.error();
        while (s->next())
            v.sources.push_back(TopologySource{s->value(0).toString(), s->value(1).toByteArray()});
    }
    return std::optional<TopologyVersion>(std::move(v));
}

Result<std::shared_ptr<const CatalogInForce>> PgStore::catalogInForce()
{
    auto current = currentTopology(false);
    if (!current)
        return current.error();
    if (!*current)
        return std::shared_ptr<const CatalogInForce>();
    if (m_catalog && m_catalog->hash == (*current)->hash)
        return m_catalog;
    auto withSources = currentTopology(true);
    if (!withSources || !*withSources)
        return withSources ? notYet(QStringLiteral("a topology that vanished while read")) : withSources.error();
    const TopologyVersion &v = **withSources;
    auto topology = parseSources(v.sources);
    if (!topology)
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_topology"),
                         QStringLiteral("topology version %1 in %2 no longer reads: %3")
                             .arg(v.version)
                             .arg(m_info.location, topology.error().message),
                         topology.error().path);
    if (topology->hash() != v.hash)
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_topology"),
                         QStringLiteral("topology version %1 in %2 does not match its hash %3")
                             .arg(v.version)
                             .arg(m_info.location, QString::fromLatin1(v.hash)));
    m_catalog = std::make_shared<const CatalogInForce>(CatalogInForce{std::move(*topology), v.hash});
    return m_catalog;
}

Result<Topology> PgStore::topologyInForce()
{
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    return *catalog ? (*catalog)->topology : Topology();
}

} // namespace hp
