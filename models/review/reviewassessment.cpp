#include "review/reviewservice.h"

#include "topology/catalogreader.h"

// ReviewService's reads for the blast radius panel, apart from the queue and
// decision code.
namespace hp {

Result<std::optional<StoredAssessment>> ReviewService::loadAssessment(const QString &changeId, int revision)
{
    return m_store.assessment(changeId, revision);
}

Result<Topology> ReviewService::currentTopology()
{
    Result<std::optional<TopologyVersion>> head = m_store.currentTopology(false);
    if (!head)
        return head.error();
    if (!head->has_value())
        return Topology();
    if ((*head)->hash == m_topologyHash)
        return m_topology;
    Result<std::optional<TopologyVersion>> full = m_store.currentTopology(true);
    if (!full)
        return full.error();
    if (!full->has_value())
        return Topology();
    std::vector<std::pair<QString, QByteArray>> streams;
    for (const TopologySource &source : (*full)->sources)
        streams.emplace_back(source.name, source.content);
    // The store refused invalid catalogs at import: a failure here means the
    // stored sources changed under us, which the caller shows as an error.
    Result<Topology> topology = CatalogReader::readStreams(streams);
    if (!topology)
        return topology.error();
    m_topology = std::move(*topology);
    m_topologyHash = (*full)->hash;
    return m_topology;
}

} // namespace hp
