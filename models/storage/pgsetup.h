#pragma once

#include "domain/result.h"
#include "storage/store.h"

// Team-mode set-up (DESIGN §6), run by the database owner only:
// `holdpointctl db init [--admin LOGIN]` and `db migrate`. Numbered scripts
// in resources/schema/postgresql/ (embedded as
// :/holdpoint/schema/postgresql/) are applied in one transaction and
// recorded in holdpoint.schema_version. The owner needs CREATEROLE: the
// scripts create the NOLOGIN group roles holdpoint_agent, _reviewer, _lead,
// _auditor, _admin, and the admin functions create and grant logins.
namespace hp {

struct PgSetupResult
{
    QString location;
    QString storeId;
    int fromVersion = 0;
    int toVersion = 0;
};

int pgLatestSchemaVersion();
Result<PgSetupResult> initTeamStore(const QString &location, const QString &adminLogin,
                                    const Actor &actor);
Result<PgSetupResult> migrateTeamStore(const QString &location);

} // namespace hp
