#include "cli/commands.h"
#include "storage/pgsetup.h"

// db init / db migrate: team-mode set-up by the database owner (DESIGN §6).
namespace hp::cli {

namespace {

Status requireTeamLocation(const QString &location, const QString &command)
{
    if (location.startsWith(QLatin1String("postgresql://")) ||
        location.startsWith(QLatin1String("postgres://")))
        return {};
    return usageError(QStringLiteral("%1 sets up a team store: pass --db postgresql://OWNER@HOST/DB "
                                     "(a local store is created with `holdpointctl init`)")
                          .arg(command));
}

QJsonObject setupObject(const PgSetupResult &r)
{
    return {{QStringLiteral("location"), r.location},
            {QStringLiteral("store_id"), r.storeId},
            {QStringLiteral("from_version"), r.fromVersion},
            {QStringLiteral("schema_version"), r.toVersion}};
}

} // namespace

int cmdDbInit(Context &ctx)
{
    const QString location = ctx.storeLocation();
    if (Status s = requireTeamLocation(location, QStringLiteral("db init")); !s)
        return ctx.fail(s.error());
    Result<Actor> actor = ctx.actor();
    if (!actor.ok())
        return ctx.fail(actor.error());
    const QString admin = ctx.args().value(QStringLiteral("admin"));
    Result<PgSetupResult> done = initTeamStore(location, admin, *actor);
    if (!done.ok())
        return ctx.fail(done.error());
    QJsonObject o = setupObject(*done);
    o.insert(QStringLiteral("admin"), admin);
    return ctx.done(o, QStringLiteral("created team store %1 (schema %2%3)\n")
                           .arg(done->location)
                           .arg(done->toVersion)
                           .arg(admin.isEmpty() ? QString() : QStringLiteral(", admin ") + admin));
}

int cmdDbMigrate(Context &ctx)
{
    const QString location = ctx.storeLocation();
    if (Status s = requireTeamLocation(location, QStringLiteral("db migrate")); !s)
        return ctx.fail(s.error());
    Result<PgSetupResult> done = migrateTeamStore(location);
    if (!done.ok())
        return ctx.fail(done.error());
    return ctx.done(setupObject(*done),
                    done->fromVersion == done->toVersion
                        ? QStringLiteral("team store %1 is at schema %2: nothing to do\n")
                              .arg(done->location)
                              .arg(done->toVersion)
                        : QStringLiteral("migrated team store %1 from schema %2 to %3\n")
                              .arg(done->location)
                              .arg(done->fromVersion)
                              .arg(done->toVersion));
}

} // namespace hp::cli
