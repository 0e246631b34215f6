#include "cli/commands.h"
#include "cli/output.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>

// topology import / topology show (DESIGN §3 Topology, §8): Backstage catalog
// files read as bytes and handed to the store, which checks the lead role,
// validates and hashes them, stores a new version and reassesses every
// pending change, all in one transaction.
namespace hp::cli {

namespace {

// The same cap as one artifact (DESIGN §3): a catalog is text a person wrote.
constexpr qint64 kMaxCatalogBytes = 64LL * 1024 * 1024;

Error unreadable(const QString &path, const QString &why)
{
    return makeError(ExitCode::Usage, QStringLiteral("unreadable_file"),
                     QStringLiteral("%1: %2").arg(path, why), path);
}

Result<TopologySource> readSource(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return unreadable(path, QStringLiteral("cannot read: ") + f.errorString());
    if (f.size() > kMaxCatalogBytes)
        return unreadable(path, QStringLiteral("%1 bytes is over the cap of %2 bytes per catalog file")
                                    .arg(f.size())
                                    .arg(kMaxCatalogBytes));
    QByteArray bytes = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return unreadable(path, QStringLiteral("read failed: ") + f.errorString());
    return TopologySource{path, std::move(bytes)};
}

// Every *.yaml / *.yml below `dir` (hidden files and folders left out), in
// path order so the same folder always gives the same sources.
Result<QStringList> catalogFiles(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, {QStringLiteral("*.yaml"), QStringLiteral("*.yml")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    if (files.isEmpty())
        return unreadable(dir, QStringLiteral("no *.yaml or *.yml files in this folder"));
    std::sort(files.begin(), files.end());
    return files;
}

Result<std::vector<TopologySource>> readSources(const QStringList &paths)
{
    std::vector<TopologySource> sources;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            return unreadable(path, QStringLiteral("no such file or folder"));
        QStringList files{path};
        if (info.isDir()) {
            Result<QStringList> found = catalogFiles(path);
            if (!found.ok())
                return found.error();
            files = *found;
        }
        for (const QString &file : files) {
            Result<TopologySource> s = readSource(file);
            if (!s.ok())
                return s.error();
            sources.push_back(std::move(*s));
        }
    }
    return sources;
}

QJsonObject versionJson(const TopologyVersion &v)
{
    QJsonArray names;
    for (const TopologySource &s : v.sources)
        names.append(s.name);
    return QJsonObject{{QStringLiteral("version"), v.version},
                       {QStringLiteral("hash"), QString::fromLatin1(v.hash)},
                       {QStringLiteral("imported_by"), v.importedBy},
                       {QStringLiteral("imported_at"), isoTime(v.importedAt)},
                       {QStringLiteral("nodes"), v.nodes},
                       {QStringLiteral("edges"), v.edges},
                       {QStringLiteral("sources"), names}};
}

QString importText(const TopologyImportResult &r)
{
    const TopologyVersion &v = r.version;
    if (r.unchanged)
        return QStringLiteral("unchanged: topology version %1 (hash %2) is already in force; "
                              "nothing stored\n")
            .arg(v.version)
            .arg(QString::fromLatin1(v.hash));
    return QStringLiteral("imported topology version %1\n  hash %2\n  %3 nodes, %4 edges from "
                          "%5 file(s)\n  reassessed %6 pending change(s)\n")
        .arg(v.version)
        .arg(QString::fromLatin1(v.hash))
        .arg(v.nodes)
        .arg(v.edges)
        .arg(v.sources.size())
        .arg(r.reassessed);
}

QJsonObject nodeJson(const TopologyNode &n)
{
    const QJsonObject annotations{
        {QStringLiteral("terraform_addresses"), QJsonArray::fromStringList(n.terraformAddresses)},
        {QStringLiteral("k8s_objects"), QJsonArray::fromStringList(n.k8sObjects)},
        {QStringLiteral("environment"), n.environment},
        {QStringLiteral("tier"), n.tier},
        {QStringLiteral("data_bearing"), n.dataBearing},
        {QStringLiteral("customer_facing"), n.customerFacing},
        {QStringLiteral("security_sensitive"), n.securitySensitive}};
    return QJsonObject{{QStringLiteral("id"), n.id},
                       {QStringLiteral("kind"), n.kind},
                       {QStringLiteral("name"), n.name},
                       {QStringLiteral("namespace"), n.ns},
                       {QStringLiteral("owner"), n.owner},
                       {QStringLiteral("system"), n.system},
                       {QStringLiteral("tier"), n.tier},
                       {QStringLiteral("environment"), n.environment},
                       {QStringLiteral("annotations"), annotations},
                       {QStringLiteral("source"), n.source}};
}

QString nodeText(const TopologyNode &n)
{
    QStringList facts;
    if (!n.owner.isEmpty())
        facts << QStringLiteral("owner ") + oneLine(n.owner);
    facts << (n.tier > 0 ? QStringLiteral("tier %1").arg(n.tier) : QStringLiteral("tier unknown"));
    if (!n.environment.isEmpty())
        facts << QStringLiteral("environment ") + oneLine(n.environment);
    for (const auto &[set, word] : {std::pair{n.dataBearing, "data-bearing"},
                                    std::pair{n.customerFacing, "customer-facing"},
                                    std::pair{n.securitySensitive, "security-sensitive"}}) {
        if (set)
            facts << QLatin1String(word);
    }
    QString out = QStringLiteral("  %1  [%2] %3\n")
                      .arg(oneLine(n.id), oneLine(n.kind), facts.join(QStringLiteral(", ")));
    for (const QString &a : n.terraformAddresses)
        out += QStringLiteral("      terraform %1\n").arg(oneLine(a));
    for (const QString &k : n.k8sObjects)
        out += QStringLiteral("      k8s %1\n").arg(oneLine(k));
    return out;
}

QString showText(const TopologyVersion &v, const Topology &t)
{
    QStringList names;
    for (const TopologySource &s : v.sources)
        names << oneLine(s.name);
    QString out = QStringLiteral("topology version %1\n  hash %2\n  imported by %3 at %4\n  "
                                 "sources %5\n  %6 nodes, %7 edges\nnodes\n")
                      .arg(v.version)
                      .arg(QString::fromLatin1(v.hash), oneLine(v.importedBy), isoTime(v.importedAt),
                           names.join(QStringLiteral(", ")))
                      .arg(t.nodes().size())
                      .arg(t.edges().size());
    for (const TopologyNode &n : t.nodes())
        out += nodeText(n);
    out += QStringLiteral("edges (dependent → dependency)\n");
    for (const TopologyEdge &e : t.edges())
        out += QStringLiteral("  %1 → %2\n").arg(oneLine(e.from), oneLine(e.to));
    return out;
}

} // namespace

int cmdTopologyImport(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<std::vector<TopologySource>> sources = readSources(ctx.args().positionals);
    if (!sources.ok())
        return ctx.fail(sources.error());
    Result<TopologyImportResult> r = s->store->importTopology(s->actor, *sources);
    if (!r.ok())
        return ctx.fail(r.error());
    QJsonObject o = versionJson(r->version);
    o.insert(QStringLiteral("unchanged"), r->unchanged);
    o.insert(QStringLiteral("reassessed"), r->reassessed);
    return ctx.done(o, importText(*r));
}

int cmdTopologyShow(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<std::optional<TopologyVersion>> current = s->store->currentTopology(true);
    if (!current.ok())
        return ctx.fail(current.error());
    const QString schema = QStringLiteral("holdpoint.topology/1");
    if (!current->has_value())
        return ctx.done(QJsonObject{{QStringLiteral("version"), 0},
                                    {QStringLiteral("nodes"), QJsonArray()},
                                    {QStringLiteral("edges"), QJsonArray()}},
                        QStringLiteral("no topology imported yet; a lead imports one with "
                                       "'holdpointctl topology import PATH...'\n"),
                        schema);
    const TopologyVersion &v = **current;
    // The graph the store hashed, read again from its stored sources; a
    // damaged catalog is a store problem (exit 9).
    Result<Topology> topology = s->store->topologyInForce();
    if (!topology.ok())
        return ctx.fail(topology.error());
    QJsonArray nodes, edges;
    for (const TopologyNode &n : topology->nodes())
        nodes.append(nodeJson(n));
    for (const TopologyEdge &e : topology->edges())
        edges.append(QJsonObject{{QStringLiteral("from"), e.from}, {QStringLiteral("to"), e.to}});
    QJsonObject o = versionJson(v);
    o.insert(QStringLiteral("nodes"), nodes);
    o.insert(QStringLiteral("edges"), edges);
    o.insert(QStringLiteral("node_count"), v.nodes);
    o.insert(QStringLiteral("edge_count"), v.edges);
    return ctx.done(o, showText(v, *topology), schema);
}

} // namespace hp::cli
