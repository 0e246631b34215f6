#include "cli/commands.h"
#include "cli/views.h"
#include "demo/demobuilder.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

// init, demo, users, agents, whoami: the store and who may do what in it.
namespace hp::cli {

namespace {

Result<Role> roleArg(const QString &text)
{
    if (std::optional<Role> r = parseRole(text))
        return *r;
    return usageError(
        QStringLiteral("unknown role '%1'; roles are reviewer, lead, auditor, admin").arg(text));
}

int okLine(Context &ctx, QJsonObject object, const QString &text)
{
    return ctx.done(std::move(object), text + QLatin1Char('\n'));
}

// users grant / users revoke: LOGIN ROLE.
int changeRole(Context &ctx, bool grant)
{
    Result<Role> role = roleArg(ctx.args().positionals.at(1));
    if (!role.ok())
        return ctx.fail(role.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString login = ctx.args().positionals.at(0);
    const Status st =
        grant ? s->store->grant(s->actor, login, *role) : s->store->revoke(s->actor, login, *role);
    if (!st.ok())
        return ctx.fail(st.error());
    return okLine(ctx,
                  {{QStringLiteral("login"), login}, {QStringLiteral("role"), toString(*role)}},
                  grant ? QStringLiteral("granted %1 to %2").arg(toString(*role), login)
                        : QStringLiteral("revoked %1 from %2").arg(toString(*role), login));
}

} // namespace

int cmdInit(Context &ctx)
{
    const QString admin = ctx.args().value(QStringLiteral("admin"));
    if (admin.isEmpty())
        return ctx.fail(
            usageError(QStringLiteral("init needs --admin LOGIN (the store's first admin)")));
    Result<Actor> actor = ctx.actor();
    if (!actor.ok())
        return ctx.fail(actor.error());
    const QString location = ctx.storeLocation();
    // The default location's folder may not exist yet on a fresh account; an
    // explicit --db names a folder the caller chose, which must exist.
    if (!ctx.globals().dbGiven && qEnvironmentVariableIsEmpty("HOLDPOINT_DB"))
        QDir().mkpath(QFileInfo(location).absolutePath());
    CreateOptions options;
    options.adminLogin = admin;
    options.group = ctx.args().value(QStringLiteral("group"));
    Result<std::unique_ptr<Store>> store = createStore(location, options, *actor, ctx.clock());
    if (!store.ok())
        return ctx.fail(store.error());
    const StoreInfo info = (*store)->info();
    QJsonObject o{{QStringLiteral("location"), info.location},
                  {QStringLiteral("admin"), admin},
                  {QStringLiteral("group"), options.group},
                  {QStringLiteral("store_id"), info.storeId},
                  {QStringLiteral("schema_version"), info.schemaVersion}};
    return okLine(ctx, o,
                  QStringLiteral("created store %1 (admin %2%3)")
                      .arg(info.location, admin,
                           options.group.isEmpty()
                               ? QString()
                               : QStringLiteral(", shared with group ") + options.group));
}

int cmdDemo(Context &ctx)
{
    if (!ctx.globals().dbGiven && qEnvironmentVariableIsEmpty("HOLDPOINT_DB"))
        return ctx.fail(
            usageError(QStringLiteral("demo needs --db PATH: say where the demo store goes")));
    Result<Actor> actor = ctx.actor();
    if (!actor.ok())
        return ctx.fail(actor.error());
    Result<demo::DemoSummary> built = demo::buildDemoStore(ctx.storeLocation(), *actor);
    if (!built.ok())
        return ctx.fail(built.error());
    const demo::DemoSummary &s = *built;
    QJsonObject o{{QStringLiteral("location"), s.location},
                  {QStringLiteral("lead"), s.lead},
                  {QStringLiteral("admin"), s.admin},
                  {QStringLiteral("changes"), s.changes},
                  {QStringLiteral("current_changes"), s.currentChanges},
                  {QStringLiteral("replaced"), s.replaced}};
    return okLine(
        ctx, o,
        QStringLiteral("%1 demo store %2: %3 changes (%4 current), admin %5; you (%6) are a "
                       "lead.\nOpen it with: holdpoint --db %2")
            .arg(s.replaced ? QStringLiteral("replaced") : QStringLiteral("created"), s.location)
            .arg(s.changes)
            .arg(s.currentChanges)
            .arg(s.admin, s.lead));
}

int cmdUsersAdd(Context &ctx)
{
    RoleSet roles;
    for (const QString &r : ctx.args().all(QStringLiteral("role"))) {
        Result<Role> role = roleArg(r);
        if (!role.ok())
            return ctx.fail(role.error());
        roles.add(*role);
    }
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString login = ctx.args().positionals.at(0);
    if (Status st = s->store->addUser(s->actor, login, roles); !st.ok())
        return ctx.fail(st.error());
    return okLine(ctx,
                  {{QStringLiteral("login"), login},
                   {QStringLiteral("roles"), QJsonArray::fromStringList(roles.names())}},
                  QStringLiteral("added %1%2")
                      .arg(login, roles.empty() ? QStringLiteral(" (no role)")
                                                : QStringLiteral(" as ") +
                                                      roles.names().join(QStringLiteral(", "))));
}

int cmdUsersGrant(Context &ctx)
{
    return changeRole(ctx, true);
}

int cmdUsersRevoke(Context &ctx)
{
    return changeRole(ctx, false);
}

int cmdUsersList(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<std::vector<PrincipalInfo>> users = s->store->users();
    if (!users.ok())
        return ctx.fail(users.error());
    QJsonArray array;
    QString text = QStringLiteral("%1 %2 %3\n")
                       .arg(QStringLiteral("LOGIN").leftJustified(20),
                            QStringLiteral("KIND").leftJustified(6), QStringLiteral("ROLES"));
    for (const PrincipalInfo &p : *users) {
        array.append(principalJson(p));
        QString roles =
            p.roles.empty() ? QStringLiteral("-") : p.roles.names().join(QLatin1Char(','));
        if (p.registeredAgent)
            roles += QStringLiteral("  (agent, operator %1)").arg(oneLine(p.operatorLogin));
        text +=
            QStringLiteral("%1 %2 %3\n")
                .arg(oneLine(p.login).leftJustified(20), toString(p.kind).leftJustified(6), roles);
    }
    return ctx.done({{QStringLiteral("users"), array}}, text);
}

int cmdAgentsAdd(Context &ctx)
{
    const QString op = ctx.args().value(QStringLiteral("operator"));
    if (op.isEmpty())
        return ctx.fail(
            usageError(QStringLiteral("agents add needs --operator LOGIN (a known user)")));
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString login = ctx.args().positionals.at(0);
    if (Status st = s->store->addAgent(s->actor, login, op); !st.ok())
        return ctx.fail(st.error());
    return okLine(ctx, {{QStringLiteral("login"), login}, {QStringLiteral("operator"), op}},
                  QStringLiteral("registered agent %1, operated by %2").arg(login, op));
}

int cmdAgentsList(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<std::vector<AgentRegistration>> agents = s->store->agents();
    if (!agents.ok())
        return ctx.fail(agents.error());
    QJsonArray array;
    QString text = agents->empty() ? QStringLiteral("no registered agents\n") : QString();
    for (const AgentRegistration &a : *agents) {
        array.append(agentJson(a));
        text += QStringLiteral("%1 operator %2 (registered by %3, %4)\n")
                    .arg(oneLine(a.login).leftJustified(20), oneLine(a.operatorLogin),
                         oneLine(a.registeredBy), isoTime(a.registeredAt));
    }
    return ctx.done({{QStringLiteral("agents"), array}}, text);
}

int cmdAgentsRemove(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString login = ctx.args().positionals.at(0);
    if (Status st = s->store->removeAgent(s->actor, login); !st.ok())
        return ctx.fail(st.error());
    return okLine(ctx, {{QStringLiteral("login"), login}},
                  QStringLiteral("removed agent registration of %1").arg(login));
}

int cmdWhoami(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<PrincipalInfo> p = s->store->principal(s->actor.login);
    if (!p.ok())
        return ctx.fail(p.error());
    const PrincipalInfo &who = *p;
    // principal() describes unknown logins too (a human without roles), so
    // whether the store knows this login comes from the user list.
    Result<std::vector<PrincipalInfo>> users = s->store->users();
    if (!users.ok())
        return ctx.fail(users.error());
    bool known = who.registeredAgent;
    for (const PrincipalInfo &u : *users)
        known |= u.login == who.login;
    QJsonObject o = principalJson(who);
    o.insert(QStringLiteral("known"), known);
    o.insert(QStringLiteral("store"), s->store->info().location);
    o.insert(QStringLiteral("demo"), s->store->info().demo);
    QString text = QStringLiteral("login    %1\nroles    %2\n")
                       .arg(oneLine(who.login), who.roles.empty()
                                                    ? QStringLiteral("none")
                                                    : who.roles.names().join(QStringLiteral(", ")));
    if (who.registeredAgent)
        text +=
            QStringLiteral("agent    registered, operator %1\n").arg(oneLine(who.operatorLogin));
    else
        text += QStringLiteral(
            "agent    not registered (a submission from you is flagged UNREGISTERED_AGENT)\n");
    if (!known)
        text += QStringLiteral(
            "note     not a user of this store yet; an admin adds you with 'users add'\n");
    text += QStringLiteral("store    %1%2\n")
                .arg(s->store->info().location,
                     s->store->info().demo ? QStringLiteral(" (DEMO)") : QString());
    return ctx.done(o, text);
}

} // namespace hp::cli
