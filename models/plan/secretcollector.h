#pragma once

#include "plan/plandocument.h"
#include "plan/plandata.h"
#include "plan/sensitivity.h"

#include <QSet>
#include <QString>

// Internal to models/plan: gathers the sensitive strings of a plan while it
// is parsed (values under a true *_sensitive mask, whole sensitive values),
// then builds the plan's Redactor from them.
namespace hp {

class SecretCollector
{
public:
    // Every string and number inside `value` is a secret.
    void addSubtree(const OptElement &value);
    // The parts of `value` that `mask` marks true (a true mask covers the
    // whole subtree; a mask shaped unlike the value but holding a true marks
    // the whole value, so a malformed mask never reveals anything).
    void addMasked(const OptElement &value, const OptElement &mask);

    Redactor build() const;

private:
    void addLeaf(JsonElement leaf);

    QSet<QString> m_secrets;
};

// Runs every name of `plan` (addresses, keys, references, paths) through
// plan.redactor, so that a secret Terraform copied into one of them (a
// for_each key, say) does not leave the store either.
void redactPlanNames(Plan &plan);

} // namespace hp
