#pragma once

#include "plan/plandata.h"

#include <QString>

#include <vector>

// Cascades (DESIGN §4 flag CASCADE): a resource that is replaced or updated
// makes an attribute unknown until apply; a dependent whose configuration
// references that attribute gets an unknown value in turn (its
// after_unknown), and so an update it would not otherwise have. Each link
// names both ends: the upstream resource and attribute, the dependent and
// the attribute forced to change.
namespace hp {

struct CascadeLink
{
    QString upstreamAddress;
    PlanAction upstreamAction = PlanAction::Update;
    QString upstreamAttribute;   // "id"; empty when the whole object is referenced
    QString dependentAddress;
    PlanAction dependentAction = PlanAction::Update;
    QString dependentAttribute;  // "input.db_endpoint"
    QString reference;           // as the configuration writes it

    // "terraform_data.api_service.input.db_endpoint is forced to change: it
    // references terraform_data.database.id, unknown until the replace is applied"
    QString describe() const;
    bool operator==(const CascadeLink &other) const = default;
};

// Every cascade among the plan's resource changes, in the order of the
// dependents, then of their attributes.
std::vector<CascadeLink> findCascades(const Plan &plan);

} // namespace hp
