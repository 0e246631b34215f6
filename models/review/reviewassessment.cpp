#include "review/reviewservice.h"

// ReviewService's reads for the blast radius panel, apart from the queue and
// decision code.
namespace hp {

Result<std::optional<StoredAssessment>> ReviewService::loadAssessment(const QString &changeId, int revision)
{
    return m_store.assessment(changeId, revision);
}

Result<Topology> ReviewService::currentTopology()
{
    // The store parses the stored sources once per version and checks them
    // against the version's hash.
    return m_store.topologyInForce();
}

} // namespace hp
