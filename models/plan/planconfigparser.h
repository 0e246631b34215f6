#pragma once

#include "intake/strictjson.h"
#include "plan/plandata.h"
#include "plan/plandocument.h"
#include "plan/secretcollector.h"

#include <QHash>

#include <utility>
#include <vector>

// Internal to models/plan: the parts of a plan that describe configuration
// and state rather than changes: `configuration` (resources with their
// references and depends_on, variables, outputs, module calls, recursively),
// `prior_state` (depends_on; sensitive values) and `planned_values`
// (sensitive values only). Provider configuration is ignored.
namespace hp {

struct ConfigParseState
{
    PlanConfiguration &config;
    SecretCollector &secrets;
    // Defaults of configuration variables, rendered once the redactor exists:
    // (index into config.variables, value).
    std::vector<std::pair<int, JsonElement>> defaults;
};

Status parseConfiguration(const JsonObject &configuration, ConfigParseState &state);

// prior_state: every resource's depends_on by address, and its sensitive
// values (sensitive_values masks, sensitive outputs) into `secrets`.
Status parsePriorState(const JsonObject &priorState, QHash<QString, QStringList> &dependsOn,
                       SecretCollector &secrets);

// planned_values: sensitive values only.
Status parsePlannedValues(const JsonObject &plannedValues, SecretCollector &secrets);

} // namespace hp
