#include "storage/pgsetup.h"

#include "domain/ulid.h"
#include "policy/policy.h"
#include "storage/migrations.h"
#include "storage/pgconnection.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <map>

namespace hp {

namespace {

const QString kDir = QStringLiteral(":/holdpoint/schema/postgresql");

std::map<int, QString> scripts()
{
    return migrations::scriptsIn(kDir);
}

// A statement ends with ';' at the end of a line outside a $$ body; lines
// starting with "--" outside a body are comments.
QStringList statements(const QString &script)
{
    QStringList out;
    QString current;
    bool inBody = false;
    const QStringList lines = script.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (!inBody && (trimmed.isEmpty() || trimmed.startsWith(QLatin1String("--"))))
            continue;
        current += line + u'\n';
        if (line.count(QLatin1String("$$")) % 2 == 1)
            inBody = !inBody;
        if (!inBody && trimmed.endsWith(u';')) {
            out << current.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

Result<std::unique_ptr<PgConnection>> connectAsOwner(const QString &location, const QString &what)
{
    auto parsed = parsePgLocation(location);
    if (!parsed)
        return parsed.error();
    auto connection = std::make_unique<PgConnection>(*parsed);
    if (Status s = connection->open(); !s)
        return s.error();
    auto who = connection->identity();
    if (!who)
        return who.error();
    if (!who->owner && !who->superuser)
        return makeError(ExitCode::Denied, QStringLiteral("owner_only"),
                         QStringLiteral("%1 runs as the owner of the database %2; %3 is not")
                             .arg(what, parsed->database, who->sessionUser));
    return connection;
}

Result<int> currentVersion(PgConnection &db)
{
    auto q = db.exec(QStringLiteral("SELECT to_regclass('holdpoint.schema_version') IS NOT NULL"));
    if (!q)
        return q.error();
    if (!q->next() || !q->value(0).toBool())
        return 0;
    auto v = db.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM holdpoint.schema_version"));
    if (!v)
        return v.error();
    return v->next() ? v->value(0).toInt() : 0;
}

Status applyFrom(PgConnection &db, int from)
{
    for (const auto &[version, path] : scripts()) {
        if (version <= from)
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ExitCode::StoreProblem, QStringLiteral("migration"),
                             QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        const QStringList all = statements(QString::fromUtf8(file.readAll()));
        for (const QString &sql : all) {
            if (auto q = db.exec(sql); !q)
                return makeError(ExitCode::StoreProblem, QStringLiteral("migration"),
                                 QStringLiteral("schema migration %1 failed: %2")
                                     .arg(path, q.error().message));
        }
        if (auto q = db.exec(QStringLiteral("INSERT INTO holdpoint.schema_version (version, applied_at) "
                                            "VALUES (?, to_char(clock_timestamp() AT TIME ZONE 'UTC', "
                                            "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"),
                             {version});
            !q)
            return q.error();
    }
    return {};
}

// Version 1 of the policy is the shipped default, the same bytes and hash
// as a local store's version 1; inserted once, by the owner.
Status insertDefaultPolicy(PgConnection &db)
{
    auto count = db.exec(QStringLiteral("SELECT count(*) FROM holdpoint.policies"));
    if (!count)
        return count.error();
    if (count->next() && count->value(0).toLongLong() > 0)
        return {};
    Result<Policy> builtin = PolicyReader::builtin();
    if (!builtin)
        return builtin.error();
    auto q = db.exec(QStringLiteral("INSERT INTO holdpoint.policies (version, hash, body, adopted_at, "
                                    "adopted_by, change_id) VALUES (1, ?, ?, holdpoint.hp_now(), "
                                    "session_user, NULL)"),
                     {QString::fromLatin1(builtin->hash), builtin->source});
    if (!q)
        return q.error();
    return {};
}

} // namespace

int pgLatestSchemaVersion()
{
    const auto all = scripts();
    return all.empty() ? 0 : all.rbegin()->first;
}

Result<PgSetupResult> initTeamStore(const QString &location, const QString &adminLogin,
                                    const Actor &actor)
{
    auto db = connectAsOwner(location, QStringLiteral("db init"));
    if (!db)
        return db.error();
    auto version = currentVersion(**db);
    if (!version)
        return version.error();
    if (*version > 0)
        return makeError(ExitCode::StoreProblem, QStringLiteral("exists"),
                         QStringLiteral("%1 already holds a Holdpoint store (schema %2); use "
                                        "`holdpointctl db migrate` to upgrade it")
                             .arg((*db)->location().uri)
                             .arg(*version));
    PgSetupResult result{(*db)->location().uri,
                         Ulid::generate(QDateTime::currentMSecsSinceEpoch()), 0,
                         pgLatestSchemaVersion()};
    const Status done = (*db)->inTransaction([&]() -> Status {
        if (Status s = applyFrom(**db, 0); !s)
            return s;
        if (Status s = insertDefaultPolicy(**db); !s)
            return s;
        if (auto q = (*db)->exec(QStringLiteral("INSERT INTO holdpoint.meta (id, store_id, created_at) "
                                                "VALUES (1, ?, holdpoint.hp_now())"),
                                 {result.storeId});
            !q)
            return q.error();
        if (adminLogin.isEmpty())
            return {};
        if (auto q = (*db)->exec(QStringLiteral("SELECT holdpoint.hp_bootstrap(?, ?, ?)"),
                                 {adminLogin, actor.host, actor.appVersion});
            !q)
            return q.error();
        return {};
    });
    if (!done)
        return done.error();
    return result;
}

Result<PgSetupResult> migrateTeamStore(const QString &location)
{
    auto db = connectAsOwner(location, QStringLiteral("db migrate"));
    if (!db)
        return db.error();
    auto version = currentVersion(**db);
    if (!version)
        return version.error();
    if (*version == 0)
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_store"),
                         QStringLiteral("%1 holds no Holdpoint store; create it with "
                                        "`holdpointctl db init --admin LOGIN`")
                             .arg((*db)->location().uri));
    const int latest = pgLatestSchemaVersion();
    if (*version > latest)
        return makeError(ExitCode::StoreProblem, QStringLiteral("schema_too_new"),
                         QStringLiteral("%1 has schema %2, newer than this Holdpoint knows (%3)")
                             .arg((*db)->location().uri)
                             .arg(*version)
                             .arg(latest));
    PgSetupResult result{(*db)->location().uri, {}, *version, latest};
    if (Status s = (*db)->inTransaction([&]() -> Status {
            if (Status applied = applyFrom(**db, *version); !applied)
                return applied;
            return insertDefaultPolicy(**db);
        });
        !s)
        return s.error();
    if (auto q = (*db)->exec(QStringLiteral("SELECT store_id FROM holdpoint.meta WHERE id = 1"));
        q && q->next())
        result.storeId = q->value(0).toString();
    return result;
}

} // namespace hp
