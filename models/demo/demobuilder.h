#pragma once

#include "domain/result.h"
#include "storage/store.h"

#include <QString>

// `holdpointctl demo --db PATH`: a store full of realistic demo data, written
// through the public Store API as the people and agents of a fictional team,
// with an injected clock so weeks of history spread over time. The person
// running it is a lead (not admin) so every action can be tried; that login is
// never used as an agent or operator.
namespace hp::demo {

struct DemoSummary
{
    QString location;
    QString lead;  // the person running the demo
    QString admin; // the demo's admin login
    int changes = 0;
    int currentChanges = 0;
    bool replaced = false; // an earlier demo store was replaced
};

// Refuses an existing store that is not a demo store (and any existing file
// that is not a store); replaces an existing demo store. The new store is
// built beside the target and renamed over it only when complete.
Result<DemoSummary> buildDemoStore(const QString &location, const Actor &runner);

} // namespace hp::demo
