#pragma once

#include "intake/strictjson.h"
#include "plan/plandata.h"

#include <simdjson.h>

#include <optional>
#include <vector>

// Internal to models/plan: the parsed plan behind a Plan. Values are views
// into simdjson's tape, so a 20,000-resource plan is not copied into a second
// tree. Nothing here is redacted: only the plan code reads it, and every
// string it hands out passes through the plan's Redactor.
namespace hp {

using JsonElement = simdjson::dom::element;
using OptElement = std::optional<JsonElement>;

// The values of one resource change; nullopt when absent or null.
struct RawChange
{
    OptElement before;
    OptElement after;
    OptElement afterUnknown;
    OptElement beforeSensitive;
    OptElement afterSensitive;
};

class PlanDocument
{
public:
    explicit PlanDocument(StrictJsonOptions options) : json(std::move(options)) {}

    const RawChange *raw(const PlanResourceChange &change) const
    {
        const std::vector<RawChange> &list = change.set == ChangeSet::Planned ? planned
                                           : change.set == ChangeSet::Drift   ? drift
                                                                              : deferred;
        if (change.rawIndex < 0 || change.rawIndex >= static_cast<int>(list.size()))
            return nullptr;
        return &list[static_cast<size_t>(change.rawIndex)];
    }

    StrictJson json;
    std::vector<RawChange> planned;
    std::vector<RawChange> drift;
    std::vector<RawChange> deferred;
};

} // namespace hp
