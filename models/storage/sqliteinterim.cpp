#include "storage/sqlitestore.h"

// INTERIM bodies of the policy API (store.h), so the console and the CLI can
// be written against it while the policy engine is wired into storage. Each
// is replaced by real code in models/storage/sqlitepolicy.cpp, which deletes
// it from here. Until then the store behaves as before: the shipped default
// policy is reported, verdicts still follow the interim one-approval rule.
namespace hp {

Result<StoredPolicy> SqliteStore::policyInForce()
{
    Result<Policy> builtin = PolicyReader::builtin();
    if (!builtin)
        return builtin.error();
    StoredPolicy stored;
    stored.version = 1;
    stored.hash = builtin->hash;
    stored.policy = *builtin;
    return stored;
}

Result<std::vector<StoredPolicy>> SqliteStore::policyVersions()
{
    Result<StoredPolicy> current = policyInForce();
    if (!current)
        return current.error();
    return std::vector<StoredPolicy>{*current};
}

Result<ReviewFacts> SqliteStore::reviewFacts(const QString &changeId)
{
    Result<ChangeDetail> detail = loadChange(changeId, false);
    if (!detail)
        return detail.error();
    ReviewFacts facts;
    facts.environment = detail->summary.environment;
    facts.riskClass = detail->summary.riskClass;
    facts.flags = detail->summary.riskFlags;
    return facts;
}

Result<TickResult> SqliteStore::tick(const Actor &)
{
    return TickResult{};
}

} // namespace hp
