#include "cli/context.h"

#include "domain/identity.h"

#include <unistd.h>

namespace hp::cli {

Context::Context(GlobalOptions globals, ParsedArgs args, Output &out, Clock clock)
    : m_globals(std::move(globals))
    , m_args(std::move(args))
    , m_out(out)
    , m_clock(std::move(clock))
{}

QString Context::storeLocation() const
{
    return m_globals.dbGiven ? m_globals.db : defaultStoreLocation();
}

Result<std::unique_ptr<Store>> Context::openStore() const
{
    const QString location = storeLocation();
    if (location.isEmpty())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_store"),
                         QStringLiteral("no store location: give --db PATH or set HOLDPOINT_DB"));
    return hp::openStore(location, m_clock);
}

Result<Actor> Context::actor() const
{
    const QString login = currentLogin();
    if (login.isEmpty())
        return makeError(ExitCode::Denied, QStringLiteral("no_login"),
                         QStringLiteral("the effective user id %1 has no login in the passwd "
                                        "database; Holdpoint acts only as a named OS login")
                             .arg(geteuid()));
    return Actor{login, currentHost(), appVersion()};
}

Result<Session> Context::session() const
{
    Result<Actor> who = actor();
    if (!who.ok())
        return who.error();
    Result<std::unique_ptr<Store>> store = openStore();
    if (!store.ok())
        return store.error();
    // Team mode: the database login is the principal (DESIGN §3), whoever
    // the OS says runs this process.
    if (const QString login = (*store)->sessionLogin(); !login.isEmpty())
        who->login = login;
    return Session{std::move(*store), *who};
}

QString Context::schema() const
{
    return QStringLiteral("holdpoint.%1/1").arg(m_args.command.join(QLatin1Char('.')));
}

int Context::done(QJsonObject object, const QString &text)
{
    return done(std::move(object), text, schema());
}

int Context::done(QJsonObject object, const QString &text, const QString &schemaName)
{
    if (m_globals.json) {
        object.insert(QStringLiteral("schema"), schemaName);
        m_out.json(object);
    } else {
        m_out.text(text);
    }
    return 0;
}

int Context::outcome(QJsonObject object, const QString &text, const Error &why)
{
    if (m_globals.json) {
        object.insert(QStringLiteral("schema"), schema());
        m_out.json(object);
    } else {
        m_out.text(text);
    }
    return m_out.error(why, m_globals.json);
}

int Context::fail(const Error &e)
{
    return m_out.error(e, m_globals.json);
}

Error usageError(const QString &message)
{
    return makeError(ExitCode::Usage, QStringLiteral("usage"), message);
}

} // namespace hp::cli
