#pragma once

#include "risk/assessor.h"
#include "storage/store.h"

#include <functional>
#include <memory>
#include <optional>

// Topology versions as both stores keep them (DESIGN §3 Topology): catalog
// files are stored as imported and re-read to rebuild the graph, and a
// version whose bytes no longer give its hash is refused.
namespace hp {

// The merged topology of catalog files (CatalogReader's errors, with
// file:line:column, on a bad one).
Result<Topology> readTopologySources(const std::vector<TopologySource> &sources);

// The catalog of a stored version read with its sources, checked against its
// hash; `store` names the store in the error.
Result<CatalogInForce> catalogOfVersion(const TopologyVersion &version, const QString &store);

// The catalog in force, kept in `cache` and re-read (with its sources, then
// checked) only when the version in force has another hash; null when no
// topology was imported. `current(withSources)` reads the version in force.
Result<std::shared_ptr<const CatalogInForce>> cachedCatalogInForce(
    std::shared_ptr<const CatalogInForce> &cache,
    const std::function<Result<std::optional<TopologyVersion>>(bool withSources)> &current,
    const QString &store);

} // namespace hp
