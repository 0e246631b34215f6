#include "storage/topologysources.h"

#include "topology/catalogreader.h"

namespace hp {

Result<Topology> readTopologySources(const std::vector<TopologySource> &sources)
{
    std::vector<std::pair<QString, QByteArray>> streams;
    streams.reserve(sources.size());
    for (const TopologySource &s : sources)
        streams.emplace_back(s.name, s.content);
    return CatalogReader::readStreams(streams);
}

Result<CatalogInForce> catalogOfVersion(const TopologyVersion &version, const QString &store)
{
    auto topology = readTopologySources(version.sources);
    if (!topology)
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_topology"),
                         QStringLiteral("topology version %1 in %2 no longer reads: %3")
                             .arg(version.version)
                             .arg(store, topology.error().message),
                         topology.error().path);
    if (topology->hash() != version.hash)
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_topology"),
                         QStringLiteral("topology version %1 in %2 does not match its hash %3: a lead "
                                        "imports the catalog again")
                             .arg(version.version)
                             .arg(store, QString::fromLatin1(version.hash)));
    return CatalogInForce{std::move(*topology), version.hash};
}

Result<std::shared_ptr<const CatalogInForce>> cachedCatalogInForce(
    std::shared_ptr<const CatalogInForce> &cache,
    const std::function<Result<std::optional<TopologyVersion>>(bool withSources)> &current,
    const QString &store)
{
    auto head = current(false);
    if (!head)
        return head.error();
    if (!*head)
        return std::shared_ptr<const CatalogInForce>();
    if (cache && cache->hash == (*head)->hash)
        return cache;
    auto withSources = current(true);
    if (!withSources)
        return withSources.error();
    if (!*withSources)
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_topology"),
                         QStringLiteral("the topology in force in %1 vanished while reading it").arg(store));
    auto catalog = catalogOfVersion(**withSources, store);
    if (!catalog)
        return catalog.error();
    cache = std::make_shared<const CatalogInForce>(std::move(*catalog));
    return cache;
}

} // namespace hp
