#include "storage/pgstore.h"

#include "storage/topologysources.h"

// Topology versions in team mode (DESIGN §3 Topology) through
// hp_import_topology: the lead's client parses the catalog files and sends
// the merged graph's hash with the bytes as imported; the server stores a
// version when the hash is new, under the lead role, audited. Readers
// re-parse the stored bytes and refuse a version whose bytes do not give its
// hash, so a wrong hash sent with psql is caught by every client.
namespace hp {

namespace {

TopologyVersion versionFrom(const QSqlQuery &q)
{
    TopologyVersion v;
    v.version = q.value(0).toInt();
    v.hash = q.value(1).toString().toLatin1();
    v.importedBy = q.value(2).toString();
    v.importedAt = QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs);
    v.nodes = q.value(4).toInt();
    v.edges = q.value(5).toInt();
    return v;
}

} // namespace

Result<TopologyImportResult> PgStore::importTopology(const Actor &actor,
                                                     const std::vector<TopologySource> &sources)
{
    if (sources.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_sources"),
                         QStringLiteral("a topology import needs at least one catalog file"));
    auto topology = readTopologySources(sources);
    if (!topology)
        return topology.error();
    TopologyImportResult result;
    TopologyVersion &v = result.version;
    v.hash = topology->hash();
    v.nodes = static_cast<int>(topology->nodes().size());
    v.edges = static_cast<int>(topology->edges().size());
    v.sources = sources;
    QStringList names;
    std::vector<QByteArray> bytes;
    for (const TopologySource &s : sources) {
        names << s.name;
        bytes.push_back(s.content);
    }
    const Status done = m_db.inTransaction([&]() -> Status {
        auto q = m_db.exec(QStringLiteral("SELECT r_version, r_unchanged, r_imported_by, r_imported_at "
                                          "FROM hp_import_topology(?, ?, ?, ?::text[], ?::bytea[], ?, ?)"),
                           {QString::fromLatin1(v.hash), v.nodes, v.edges, pgTextArray(names),
                            pgByteaArray(bytes), actor.host, actor.appVersion});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ExitCode::StoreProblem, QStringLiteral("topology_import"),
                             QStringLiteral("hp_import_topology returned nothing"));
        v.version = q->value(0).toInt();
        result.unchanged = q->value(1).toBool();
        v.importedBy = q->value(2).toString();
        v.importedAt = QDateTime::fromString(q->value(3).toString(), Qt::ISODateWithMs);
        return {};
    });
    if (Status s = auditRefusal(actor, QStringLiteral("topology.import"), {}, done); !s)
        return s.error();
    if (result.unchanged) {
        auto current = currentTopology(false);
        if (!current)
            return current.error();
        if (*current)
            result.version = **current;
    }
    return result;
}

Result<std::optional<TopologyVersion>> PgStore::currentTopology(bool withSources)
{
    auto q = m_db.exec(QStringLiteral("SELECT version, hash, imported_by, imported_at, nodes, edges "
                                      "FROM topologies ORDER BY version DESC LIMIT 1"));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<TopologyVersion>();
    TopologyVersion v = versionFrom(*q);
    if (withSources) {
        auto s = m_db.exec(QStringLiteral("SELECT name, bytes FROM topology_sources WHERE version = ? "
                                          "ORDER BY idx"),
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
    return cachedCatalogInForce(m_catalog, [this](bool withSources) { return currentTopology(withSources); },
                                m_info.location);
}

Result<Topology> PgStore::topologyInForce()
{
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    return *catalog ? (*catalog)->topology : Topology();
}

} // namespace hp
