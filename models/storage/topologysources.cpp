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

} // namespace hp
