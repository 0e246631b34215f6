#include "storage/sqlitestore.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <map>

// Principals, roles and agent registrations (DESIGN §3): only an admin
// administers, nobody grants to or revokes from themselves, admin is
// exclusive, agents hold no roles. Refusals are audited.
namespace hp {

namespace {

QString roleList(const RoleSet &roles)
{
    return roles.names().join(u',');
}

Error refusal(const QString &reason, const QString &message)
{
    return makeError(ExitCode::Denied, reason, message);
}

} // namespace

Status SqliteStore::checkLogin(const QString &login, const QString &what)
{
    // POSIX portable user names, plus '@' for directory-style logins.
    static const QRegularExpression valid(
        QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}\\$?$"));
    if (!valid.match(login).hasMatch())
        return makeError(ExitCode::Usage, QStringLiteral("invalid_login"),
                         QStringLiteral("%1 \"%2\" is not a valid login name").arg(what, login));
    return {};
}

Result<std::optional<PrincipalInfo>> SqliteStore::findPrincipal(const QString &login)
{
    auto q = exec(QStringLiteral("SELECT kind FROM principals WHERE login = ?"), {login});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<PrincipalInfo>();
    PrincipalInfo p;
    p.login = login;
    p.kind = parsePrincipalKind(q->value(0).toString()).value_or(PrincipalKind::Human);
    auto roles = exec(QStringLiteral("SELECT role FROM roles WHERE login = ?"), {login});
    if (!roles)
        return roles.error();
    while (roles->next()) {
        if (const auto r = parseRole(roles->value(0).toString()))
            p.roles.add(*r);
    }
    auto agent = exec(QStringLiteral("SELECT operator FROM agents WHERE login = ?"), {login});
    if (!agent)
        return agent.error();
    if (agent->next()) {
        p.registeredAgent = true;
        p.operatorLogin = agent->value(0).toString();
    }
    return std::optional<PrincipalInfo>(p);
}

Result<PrincipalInfo> SqliteStore::loadPrincipal(const QString &login)
{
    auto found = findPrincipal(login);
    if (!found)
        return found.error();
    if (*found)
        return **found;
    PrincipalInfo unknown;
    unknown.login = login;
    return unknown;
}

Result<PrincipalInfo> SqliteStore::principal(const QString &login)
{
    return loadPrincipal(login);
}

Result<std::vector<PrincipalInfo>> SqliteStore::users()
{
    std::map<QString, PrincipalInfo> byLogin;
    auto q = exec(QStringLiteral("SELECT login, kind FROM principals ORDER BY login"));
    if (!q)
        return q.error();
    while (q->next()) {
        PrincipalInfo &p = byLogin[q->value(0).toString()];
        p.login = q->value(0).toString();
        p.kind = parsePrincipalKind(q->value(1).toString()).value_or(PrincipalKind::Human);
    }
    auto roles = exec(QStringLiteral("SELECT login, role FROM roles"));
    if (!roles)
        return roles.error();
    while (roles->next()) {
        const auto r = parseRole(roles->value(1).toString());
        const auto it = byLogin.find(roles->value(0).toString());
        if (r && it != byLogin.end())
            it->second.roles.add(*r);
    }
    auto agents = exec(QStringLiteral("SELECT login, operator FROM agents"));
    if (!agents)
        return agents.error();
    while (agents->next()) {
        const auto it = byLogin.find(agents->value(0).toString());
        if (it != byLogin.end()) {
            it->second.registeredAgent = true;
            it->second.operatorLogin = agents->value(1).toString();
        }
    }
    std::vector<PrincipalInfo> out;
    out.reserve(byLogin.size());
    for (auto &[login, p] : byLogin)
        out.push_back(std::move(p));
    return out;
}

Result<std::vector<AgentRegistration>> SqliteStore::agents()
{
    auto q = exec(QStringLiteral(
        "SELECT login, operator, registered_by, registered_at FROM agents ORDER BY login"));
    if (!q)
        return q.error();
    std::vector<AgentRegistration> out;
    while (q->next()) {
        out.push_back(AgentRegistration{q->value(0).toString(), q->value(1).toString(),
                                        q->value(2).toString(), parseTime(q->value(3))});
    }
    return out;
}

Status SqliteStore::requireAdmin(const Actor &actor, const QString &what)
{
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    if (!who->roles.holds(Role::Admin))
        return refusal(QStringLiteral("missing_role"),
                       QStringLiteral("only an admin can %1").arg(what));
    return {};
}

Status SqliteStore::insertRole(const Actor &actor, const QString &login, Role role)
{
    if (auto q =
            exec(QStringLiteral(
                     "INSERT INTO roles (login, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"),
                 {login, toString(role), actor.login, auditTime(now())});
        !q)
        return q.error();
    AuditRecord record;
    record.action = QStringLiteral("role.grant");
    record.payload =
        QJsonObject{{QStringLiteral("login"), login}, {QStringLiteral("role"), toString(role)}};
    return appendAudit(actor, record);
}

Status SqliteStore::addUser(const Actor &actor, const QString &login, const RoleSet &roles)
{
    return auditRefusal<void>(actor, QStringLiteral("user.add"), {}, inTransaction<void>([&] {
                                  return addUserInTransaction(actor, login, roles);
                              }));
}

Status SqliteStore::addUserInTransaction(const Actor &actor, const QString &login,
                                         const RoleSet &roles)
{
    if (Status s = requireAdmin(actor, QStringLiteral("add users")); !s)
        return s;
    if (Status s = checkLogin(login, QStringLiteral("user")); !s)
        return s;
    auto existing = findPrincipal(login);
    if (!existing)
        return existing.error();
    if (*existing)
        return makeError(
            ExitCode::Usage, QStringLiteral("exists"),
            QStringLiteral("%1 is already known (%2); use `holdpointctl users grant` to add roles")
                .arg(login, toString((*existing)->kind)));
    if (roles.holds(Role::Admin) && roles.bits() != RoleSet::of({Role::Admin}).bits())
        return refusal(QStringLiteral("admin_exclusive"),
                       QStringLiteral("admin is exclusive: %1 cannot also hold %2")
                           .arg(login, roleList(roles)));
    const QString time = auditTime(now());
    if (auto q =
            exec(QStringLiteral(
                     "INSERT INTO principals (login, kind, created_at) VALUES (?, 'human', ?)"),
                 {login, time});
        !q)
        return q.error();
    const QStringList names = roles.names();
    for (const QString &name : names) {
        if (auto q = exec(
                QStringLiteral(
                    "INSERT INTO roles (login, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"),
                {login, name, actor.login, time});
            !q)
            return q.error();
    }
    AuditRecord record;
    record.action = QStringLiteral("user.add");
    record.payload = QJsonObject{{QStringLiteral("login"), login},
                                 {QStringLiteral("roles"), QJsonArray::fromStringList(names)}};
    return appendAudit(actor, record);
}

Status SqliteStore::grant(const Actor &actor, const QString &login, Role role)
{
    return auditRefusal<void>(actor, QStringLiteral("role.grant"), {}, inTransaction<void>([&] {
                                  return grantInTransaction(actor, login, role);
                              }));
}

Status SqliteStore::grantInTransaction(const Actor &actor, const QString &login, Role role)
{
    if (Status s = requireAdmin(actor, QStringLiteral("grant roles")); !s)
        return s;
    if (login == actor.login)
        return refusal(QStringLiteral("self_grant"),
                       QStringLiteral("nobody grants a role to themselves"));
    auto target = findPrincipal(login);
    if (!target)
        return target.error();
    if (!*target)
        return makeError(
            ExitCode::NotFound, QStringLiteral("unknown_user"),
            QStringLiteral("no user %1; add it with `holdpointctl users add %1`").arg(login));
    const PrincipalInfo &p = **target;
    if (p.kind == PrincipalKind::Agent)
        return refusal(QStringLiteral("agent_roles"),
                       QStringLiteral("%1 is a registered agent: agents hold no roles").arg(login));
    if (role == Role::Admin && !p.roles.empty() && !p.roles.holds(Role::Admin))
        return refusal(QStringLiteral("admin_exclusive"),
                       QStringLiteral("admin is exclusive: %1 holds %2; revoke those first")
                           .arg(login, roleList(p.roles)));
    if (role != Role::Admin && p.roles.holds(Role::Admin))
        return refusal(
            QStringLiteral("admin_exclusive"),
            QStringLiteral("%1 is an admin, and an admin holds no other role").arg(login));
    if (p.roles.holds(role))
        return {}; // already granted: nothing to record
    return insertRole(actor, login, role);
}

Status SqliteStore::revoke(const Actor &actor, const QString &login, Role role)
{
    return auditRefusal<void>(actor, QStringLiteral("role.revoke"), {}, inTransaction<void>([&] {
                                  return revokeInTransaction(actor, login, role);
                              }));
}

Status SqliteStore::revokeInTransaction(const Actor &actor, const QString &login, Role role)
{
    if (Status s = requireAdmin(actor, QStringLiteral("revoke roles")); !s)
        return s;
    if (login == actor.login)
        return refusal(QStringLiteral("self_grant"),
                       QStringLiteral("nobody revokes their own roles"));
    auto target = findPrincipal(login);
    if (!target)
        return target.error();
    if (!*target || !(*target)->roles.holds(role))
        return makeError(ExitCode::NotFound, QStringLiteral("not_granted"),
                         QStringLiteral("%1 does not hold the role %2").arg(login, toString(role)));
    if (auto q = exec(QStringLiteral("DELETE FROM roles WHERE login = ? AND role = ?"),
                      {login, toString(role)});
        !q)
        return q.error();
    AuditRecord record;
    record.action = QStringLiteral("role.revoke");
    record.payload =
        QJsonObject{{QStringLiteral("login"), login}, {QStringLiteral("role"), toString(role)}};
    return appendAudit(actor, record);
}

Status SqliteStore::addAgent(const Actor &actor, const QString &login, const QString &operatorLogin)
{
    return auditRefusal<void>(actor, QStringLiteral("agent.add"), {}, inTransaction<void>([&] {
                                  return addAgentInTransaction(actor, login, operatorLogin);
                              }));
}

Status SqliteStore::addAgentInTransaction(const Actor &actor, const QString &login,
                                          const QString &operatorLogin)
{
    if (Status s = requireAdmin(actor, QStringLiteral("register agents")); !s)
        return s;
    if (Status s = checkLogin(login, QStringLiteral("agent")); !s)
        return s;
    if (login == operatorLogin)
        return makeError(
            ExitCode::Usage, QStringLiteral("operator_self"),
            QStringLiteral(
                "an agent cannot be its own operator: name the person accountable for %1")
                .arg(login));
    auto op = findPrincipal(operatorLogin);
    if (!op)
        return op.error();
    if (!*op || (*op)->kind != PrincipalKind::Human)
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_operator"),
                         QStringLiteral("the operator %1 is not a known user; add it first with "
                                        "`holdpointctl users add %1`")
                             .arg(operatorLogin));
    auto existing = findPrincipal(login);
    if (!existing)
        return existing.error();
    const QString time = auditTime(now());
    if (*existing) {
        const PrincipalInfo &p = **existing;
        if (p.registeredAgent)
            return makeError(
                ExitCode::Usage, QStringLiteral("exists"),
                QStringLiteral(
                    "%1 is already registered with operator %2; remove it first to change "
                    "its operator")
                    .arg(login, p.operatorLogin));
        if (!p.roles.empty())
            return refusal(
                QStringLiteral("agent_roles"),
                QStringLiteral("%1 holds roles (%2) and agents hold none; revoke them first")
                    .arg(login, roleList(p.roles)));
        if (auto q = exec(QStringLiteral("UPDATE principals SET kind = 'agent' WHERE login = ?"),
                          {login});
            !q)
            return q.error();
    } else if (auto q = exec(
                   QStringLiteral(
                       "INSERT INTO principals (login, kind, created_at) VALUES (?, 'agent', ?)"),
                   {login, time});
               !q) {
        return q.error();
    }
    if (auto q = exec(QStringLiteral("INSERT INTO agents (login, operator, registered_by, "
                                     "registered_at) VALUES (?, ?, ?, ?)"),
                      {login, operatorLogin, actor.login, time});
        !q)
        return q.error();
    AuditRecord record;
    record.action = QStringLiteral("agent.add");
    record.payload =
        QJsonObject{{QStringLiteral("login"), login}, {QStringLiteral("operator"), operatorLogin}};
    return appendAudit(actor, record);
}

Status SqliteStore::removeAgent(const Actor &actor, const QString &login)
{
    return auditRefusal<void>(actor, QStringLiteral("agent.remove"), {}, inTransaction<void>([&] {
                                  return removeAgentInTransaction(actor, login);
                              }));
}

Status SqliteStore::removeAgentInTransaction(const Actor &actor, const QString &login)
{
    if (Status s = requireAdmin(actor, QStringLiteral("remove agents")); !s)
        return s;
    auto existing = findPrincipal(login);
    if (!existing)
        return existing.error();
    if (!*existing || !(*existing)->registeredAgent)
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_agent"),
                         QStringLiteral("%1 is not a registered agent").arg(login));
    const QString operatorLogin = (*existing)->operatorLogin;
    // Its changes keep naming it; from now on its submissions are unregistered.
    if (auto q = exec(QStringLiteral("DELETE FROM agents WHERE login = ?"), {login}); !q)
        return q.error();
    if (auto q = exec(QStringLiteral("DELETE FROM principals WHERE login = ?"), {login}); !q)
        return q.error();
    AuditRecord record;
    record.action = QStringLiteral("agent.remove");
    record.payload =
        QJsonObject{{QStringLiteral("login"), login}, {QStringLiteral("operator"), operatorLogin}};
    return appendAudit(actor, record);
}

} // namespace hp
