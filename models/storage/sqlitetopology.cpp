#include "storage/sqlitestore.h"

#include "storage/topologysources.h"

#include <QJsonArray>

// Topology versions (DESIGN §3 Topology): a lead imports catalog files; the
// merged graph's hash decides whether anything changed; a new version is
// stored with its sources (bytes as imported, re-read to rebuild it) and
// audited, and every pending change's latest revision gets a new
// assessment, all in one transaction.
namespace hp {

namespace {

QJsonObject importPayload(const TopologyVersion &v)
{
    QJsonArray names;
    for (const TopologySource &s : v.sources)
        names.append(s.name);
    return QJsonObject{{QStringLiteral("version"), v.version},
                       {QStringLiteral("hash"), QString::fromLatin1(v.hash)},
                       {QStringLiteral("nodes"), v.nodes},
                       {QStringLiteral("edges"), v.edges},
                       {QStringLiteral("sources"), names}};
}

} // namespace

Result<TopologyImportResult> SqliteStore::importTopology(const Actor &actor,
                                                         const std::vector<TopologySource> &sources)
{
    return auditRefusal<TopologyImportResult>(
        actor, QStringLiteral("topology.import"), {},
        inTransaction<TopologyImportResult>([&] { return importInTransaction(actor, sources); }));
}

Result<TopologyImportResult> SqliteStore::importInTransaction(const Actor &actor,
                                                              const std::vector<TopologySource> &sources)
{
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    if (!who->roles.has(Role::Lead))
        return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                         QStringLiteral("only a lead can import a topology; %1 is not one").arg(actor.login));
    if (sources.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_sources"),
                         QStringLiteral("a topology import needs at least one catalog file"));
    auto topology = readTopologySources(sources);
    if (!topology)
        return topology.error();
    auto current = currentTopology(false);
    if (!current)
        return current.error();
    TopologyImportResult result;
    const QByteArray hash = topology->hash();
    if (*current && (*current)->hash == hash) {
        result.version = **current;
        result.unchanged = true;
        return result;
    }
    TopologyVersion &v = result.version;
    v.version = *current ? (*current)->version + 1 : 1;
    v.hash = hash;
    v.importedBy = actor.login;
    v.importedAt = now();
    v.nodes = static_cast<int>(topology->nodes().size());
    v.edges = static_cast<int>(topology->edges().size());
    v.sources = sources;
    if (Status s = insertTopologyVersion(actor, v); !s)
        return s.error();
    const CatalogInForce catalog{std::move(*topology), hash};
    auto reassessed = reassessPending(actor, catalog);
    if (!reassessed)
        return reassessed.error();
    result.reassessed = *reassessed;
    return result;
}

Status SqliteStore::insertTopologyVersion(const Actor &actor, const TopologyVersion &v)
{
    if (auto q = exec(QStringLiteral("INSERT INTO topologies (version, hash, imported_by, imported_at, nodes, "
                                     "edges) VALUES (?, ?, ?, ?, ?, ?)"),
                      {v.version, QString::fromLatin1(v.hash), v.importedBy, auditTime(v.importedAt), v.nodes,
                       v.edges});
        !q)
        return q.error();
    for (size_t i = 0; i < v.sources.size(); ++i) {
        if (auto q = exec(QStringLiteral("INSERT INTO topology_sources (version, idx, name, bytes) "
                                         "VALUES (?, ?, ?, ?)"),
                          {v.version, static_cast<int>(i), v.sources[i].name, v.sources[i].content});
            !q)
            return q.error();
    }
    AuditRecord record;
    record.action = QStringLiteral("topology.import");
    record.payload = importPayload(v);
    return appendAudit(actor, record);
}

Result<int> SqliteStore::reassessPending(const Actor &actor, const CatalogInForce &catalog)
{
    ListFilter filter;
    filter.pendingOnly = true;
    auto pending = listChanges(filter);
    if (!pending)
        return pending.error();
    // Oldest first, so the audit reads in the order the changes came in.
    int count = 0;
    for (auto it = pending->rbegin(); it != pending->rend(); ++it) {
        auto stored = assessRevision(actor, it->id, it->latestRevision, &catalog, QStringLiteral("topology"));
        if (!stored)
            return stored.error();
        ++count;
    }
    return count;
}

Result<std::optional<TopologyVersion>> SqliteStore::currentTopology(bool withSources)
{
    auto q = exec(QStringLiteral("SELECT version, hash, imported_by, imported_at, nodes, edges FROM topologies "
                                 "ORDER BY version DESC LIMIT 1"));
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<TopologyVersion>();
    TopologyVersion v;
    v.version = q->value(0).toInt();
    v.hash = q->value(1).toString().toLatin1();
    v.importedBy = q->value(2).toString();
    v.importedAt = parseTime(q->value(3));
    v.nodes = q->value(4).toInt();
    v.edges = q->value(5).toInt();
    if (withSources) {
        auto s = exec(QStringLiteral("SELECT name, bytes FROM topology_sources WHERE version = ? ORDER BY idx"),
                      {v.version});
        if (!s)
            return s.error();
        while (s->next())
            v.sources.push_back(TopologySource{s->value(0).toString(), s->value(1).toByteArray()});
    }
    return std::optional<TopologyVersion>(std::move(v));
}

Result<std::shared_ptr<const CatalogInForce>> SqliteStore::catalogInForce()
{
    return cachedCatalogInForce(m_catalog, [this](bool withSources) { return currentTopology(withSources); },
                                m_path);
}

Result<Topology> SqliteStore::topologyInForce()
{
    Result<std::shared_ptr<const CatalogInForce>> catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    return *catalog ? (*catalog)->topology : Topology();
}

} // namespace hp
