#include "storage/pgstore.h"

// Principals, roles and agents. Writes go through hp_add_user, hp_grant,
// hp_revoke, hp_add_agent and hp_remove_agent, which check the admin role of
// session_user, refuse self-grants, keep the PostgreSQL group roles in step
// with the roles table, and audit.
namespace hp {

namespace {

QStringList roleNames(const RoleSet &roles)
{
    return roles.names();
}

RoleSet rolesFrom(const QString &joined)
{
    RoleSet out;
    const QStringList names = joined.split(u',', Qt::SkipEmptyParts);
    for (const QString &name : names) {
        if (std::optional<Role> r = parseRole(name))
            out.add(*r);
    }
    return out;
}

const QString kPrincipalSelect = QStringLiteral(
    "SELECT p.login, p.kind, coalesce((SELECT string_agg(role, ',' ORDER BY role) FROM roles r "
    "WHERE r.login = p.login), ''), coalesce(a.operator, ''), a.login IS NOT NULL "
    "FROM principals p LEFT JOIN agents a ON a.login = p.login");

PrincipalInfo principalFrom(const QSqlQuery &q)
{
    PrincipalInfo p;
    p.login = q.value(0).toString();
    p.kind = parsePrincipalKind(q.value(1).toString()).value_or(PrincipalKind::Human);
    p.roles = rolesFrom(q.value(2).toString());
    p.operatorLogin = q.value(3).toString();
    p.registeredAgent = q.value(4).toBool();
    return p;
}

} // namespace

Result<PrincipalInfo> PgStore::principal(const QString &login)
{
    auto q = m_db.exec(kPrincipalSelect + QStringLiteral(" WHERE p.login = ?"), {login});
    if (!q)
        return q.error();
    if (q->next())
        return principalFrom(*q);
    PrincipalInfo unknown; // as in local mode: a human without roles
    unknown.login = login;
    return unknown;
}

Result<std::vector<PrincipalInfo>> PgStore::users()
{
    auto q = m_db.exec(kPrincipalSelect + QStringLiteral(" ORDER BY p.login"));
    if (!q)
        return q.error();
    std::vector<PrincipalInfo> out;
    while (q->next())
        out.push_back(principalFrom(*q));
    return out;
}

Result<std::vector<AgentRegistration>> PgStore::agents()
{
    auto q = m_db.exec(QStringLiteral(
        "SELECT login, operator, registered_by, registered_at FROM agents ORDER BY login"));
    if (!q)
        return q.error();
    std::vector<AgentRegistration> out;
    while (q->next())
        out.push_back(AgentRegistration{
            q->value(0).toString(), q->value(1).toString(), q->value(2).toString(),
            QDateTime::fromString(q->value(3).toString(), Qt::ISODateWithMs)});
    return out;
}

Status PgStore::addUser(const Actor &actor, const QString &login, const RoleSet &roles)
{
    return auditRefusal(actor, QStringLiteral("user.add"), {},
                        call(QStringLiteral("SELECT hp_add_user(?, ?::text[], ?, ?)"),
                             {login, pgTextArray(roleNames(roles)), actor.host, actor.appVersion}));
}

Status PgStore::grant(const Actor &actor, const QString &login, Role role)
{
    return auditRefusal(actor, QStringLiteral("role.grant"), {},
                        call(QStringLiteral("SELECT hp_grant(?, ?, ?, ?)"),
                             {login, toString(role), actor.host, actor.appVersion}));
}

Status PgStore::revoke(const Actor &actor, const QString &login, Role role)
{
    return auditRefusal(actor, QStringLiteral("role.revoke"), {},
                        call(QStringLiteral("SELECT hp_revoke(?, ?, ?, ?)"),
                             {login, toString(role), actor.host, actor.appVersion}));
}

Status PgStore::addAgent(const Actor &actor, const QString &login, const QString &operatorLogin)
{
    return auditRefusal(actor, QStringLiteral("agent.add"), {},
                        call(QStringLiteral("SELECT hp_add_agent(?, ?, ?, ?)"),
                             {login, operatorLogin, actor.host, actor.appVersion}));
}

Status PgStore::removeAgent(const Actor &actor, const QString &login)
{
    return auditRefusal(actor, QStringLiteral("agent.remove"), {},
                        call(QStringLiteral("SELECT hp_remove_agent(?, ?, ?)"),
                             {login, actor.host, actor.appVersion}));
}

} // namespace hp
