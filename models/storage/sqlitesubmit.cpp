#include "storage/sqlitestore.h"

#include "domain/ulid.h"
#include "intake/contenthash.h"
#include "review/reviewrules.h"

#include <QJsonArray>

#include <set>

// Submissions: a new change or a revision of one, with idempotency keys per
// submitting principal (DESIGN §3, §8).
namespace hp {

struct SqliteSubmitPlan
{
    QString submitter;
    bool newChange = true;
    QString changeId;
    int revision = 1;
    QString agentPrincipal;
    QString operatorLogin;
    bool unregistered = false;
    QString title;
    RevisionMeta meta;
    std::vector<Artifact> artifacts; // sha256 filled here, never trusted from input
    QByteArray contentHash;
    std::optional<ChangeStatus> before; // revisions only
    const Proposal *proposal = nullptr;
    QString time; // of this submission: the rows' created_at and the entry's payload
};

namespace {

QVariant nullable(const std::optional<QString> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QVariant nullableText(const QString &v)
{
    return v.isEmpty() ? QVariant() : QVariant(v);
}

Status checkArtifacts(const std::vector<Artifact> &artifacts)
{
    if (artifacts.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_artifacts"),
                         QStringLiteral("a submission needs at least one artifact"));
    std::set<std::pair<QString, QString>> seen;
    for (size_t i = 0; i < artifacts.size(); ++i) {
        const Artifact &a = artifacts[i];
        const size_t wanted = a.kind == ArtifactKind::FilePair ? 2 : 1;
        const QString where = QStringLiteral("artifacts[%1]").arg(i);
        if (a.parts.size() != wanted)
            return makeError(ExitCode::Usage, QStringLiteral("artifact_parts"),
                             QStringLiteral("artifact %1 (%2) must have %3 part(s), not %4")
                                 .arg(a.name, toString(a.kind))
                                 .arg(wanted)
                                 .arg(a.parts.size()),
                             where);
        if (!seen.insert({toString(a.kind), a.name}).second)
            return makeError(ExitCode::Usage, QStringLiteral("duplicate_artifact"),
                             QStringLiteral("two artifacts of kind %1 are named \"%2\"")
                                 .arg(toString(a.kind), a.name),
                             where);
    }
    return {};
}

Error operatorMismatch(const QString &named, const QString &agent, const QString &expected,
                       bool registered)
{
    return makeError(
        ExitCode::Mismatch, QStringLiteral("operator_mismatch"),
        registered
            ? QStringLiteral("the proposal names operator %1, but agent %2 is registered with "
                             "operator %3")
                  .arg(named, agent, expected)
            : QStringLiteral("the proposal names operator %1, but %2 is not a registered agent, "
                             "so it is its own operator (an admin registers agents with "
                             "`holdpointctl agents add`)")
                  .arg(named, agent),
        QStringLiteral("operator"));
}

QJsonObject submissionPayload(const SqliteSubmitPlan &plan);

} // namespace

Result<SubmitResult> SqliteStore::submit(const Actor &actor, const SubmitRequest &request)
{
    const QString action = request.reviseId.isEmpty() ? QStringLiteral("change.submit")
                                                      : QStringLiteral("change.revise");
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
    return auditRefusal<SubmitResult>(
        actor, action, request.reviseId,
        inTransaction<SubmitResult>([&] { return submitInTransaction(actor, request); }));
}

Result<SubmitResult> SqliteStore::submitInTransaction(const Actor &actor,
                                                      const SubmitRequest &request)
{
    auto planned = planSubmission(actor, request);
    if (!planned)
        return planned.error();
    planned->time = auditTime(now());
    const SqliteSubmitPlan &plan = *planned;
    auto replay = idempotentReplay(actor, plan);
    if (!replay)
        return replay.error();
    if (*replay) {
        SubmitResult earlier = **replay;
        auto stored = assessment(earlier.changeId, earlier.revision);
        if (!stored)
            return stored.error();
        earlier.assessment = std::move(*stored);
        return earlier;
    }
    if (plan.newChange) {
        if (Status s = insertChange(plan); !s)
            return s.error();
    }
    if (Status s = insertRevision(plan); !s)
        return s.error();
    auto detail = loadChange(plan.changeId, false);
    if (!detail)
        return detail.error();
    const Verdict verdict = detail->summary.verdict;
    if (Status s = updateStatusCache(plan.changeId, verdict); !s)
        return s.error();
    AuditRecord record;
    record.action =
        plan.newChange ? QStringLiteral("change.submit") : QStringLiteral("change.revise");
    record.principalKind = PrincipalKind::Agent;
    record.changeId = plan.changeId;
    record.revision = plan.revision;
    record.contentHash = plan.contentHash;
    record.statusBefore = plan.before;
    record.statusAfter = verdict.status;
    record.payload = submissionPayload(plan);
    if (Status s = appendAudit(actor, record); !s)
        return s.error();
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    auto assessed =
        assessRevision(actor, plan.changeId, plan.revision, catalog->get(),
                                   QStringLiteral("submit"), &plan.artifacts);
    if (!assessed)
        return assessed.error();
    // The policy's rule follows the class just assessed.
    auto judged = loadChange(plan.changeId, false);
    if (!judged)
        return judged.error();
    SubmitResult result;
    result.assessment = std::move(*assessed);
    result.changeId = plan.changeId;
    result.revision = plan.revision;
    result.contentHash = plan.contentHash;
    result.created = true;
    result.unregisteredAgent = plan.unregistered;
    result.verdict = judged->summary.verdict;
    return result;
}

Result<SqliteSubmitPlan> SqliteStore::planSubmission(const Actor &actor,
                                                     const SubmitRequest &request)
{
    const Proposal &p = request.proposal;
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    if (actor.login.isEmpty())
        return makeError(ExitCode::Denied, QStringLiteral("no_login"),
                         QStringLiteral("the current user has no login name"));
    if (who->roles.holds(Role::Admin))
        return makeError(ExitCode::Denied, QStringLiteral("admin"),
                         QStringLiteral("admins submit nothing"));
    if (who->roles.has(Role::Auditor) && !who->roles.has(Role::Reviewer))
        return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                         QStringLiteral("auditors cannot submit changes"));
    if (Status s = checkArtifacts(p.artifacts); !s)
        return s.error();
    SqliteSubmitPlan plan;
    plan.proposal = &p;
    plan.submitter = actor.login;
    plan.artifacts = p.artifacts;
    const Status planned = request.reviseId.isEmpty() ? planNewChange(plan, actor, *who)
                                                      : planRevision(plan, actor, request.reviseId);
    if (!planned)
        return planned.error();
    hashArtifacts(plan.artifacts);
    plan.contentHash = contentHash(plan.meta, plan.artifacts);
    return plan;
}

Status SqliteStore::planNewChange(SqliteSubmitPlan &plan, const Actor &actor,
                                  const PrincipalInfo &who)
{
    const Proposal &p = *plan.proposal;
    if (!p.title || p.title->trimmed().isEmpty())
        return makeError(ExitCode::Usage, QStringLiteral("missing_title"),
                         QStringLiteral("a new change needs a title"), QStringLiteral("title"));
    plan.agentPrincipal = actor.login;
    plan.unregistered = !who.registeredAgent;
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    if (plan.unregistered && (*policy)->policy.requireRegisteredAgents)
        return makeError(ExitCode::Denied, QStringLiteral("unregistered_agent"),
                         QStringLiteral("the policy in force (version %1) requires registered agents: %2 is not "
                                        "registered (an admin runs `holdpointctl agents add %2 --operator LOGIN`)")
                             .arg((*policy)->version)
                             .arg(actor.login));
    plan.operatorLogin = who.registeredAgent ? who.operatorLogin : actor.login;
    if (p.operatorLogin && *p.operatorLogin != plan.operatorLogin)
        return operatorMismatch(*p.operatorLogin, actor.login, plan.operatorLogin,
                                who.registeredAgent);
    plan.changeId = Ulid::generate(now().toMSecsSinceEpoch());
    plan.title = *p.title;
    plan.meta = RevisionMeta{p.kind.value_or(ChangeKind::Infra), p.environment.value_or(QString()),
                             p.target.value_or(QString())};
    return {};
}

Status SqliteStore::planRevision(SqliteSubmitPlan &plan, const Actor &actor,
                                 const QString &reviseId)
{
    const Proposal &p = *plan.proposal;
    auto existing = loadChange(reviseId, false);
    if (!existing)
        return existing.error();
    const ChangeDetail &c = *existing;
    const ChangeStatus status = c.summary.verdict.status;
    if (status != ChangeStatus::Pending && status != ChangeStatus::Rejected)
        return makeError(
            ExitCode::Denied, QStringLiteral("not_revisable"),
            QStringLiteral("change %1 is %2: only pending or rejected changes take revisions")
                .arg(c.summary.id, toString(status)));
    if (!contributorsOf(c).contains(actor.login))
        return makeError(
            ExitCode::Denied, QStringLiteral("not_contributor"),
            QStringLiteral(
                "only the agent, its operator or an earlier submitter may revise change %1")
                .arg(c.summary.id));
    if (p.operatorLogin && *p.operatorLogin != c.summary.operatorLogin)
        return operatorMismatch(*p.operatorLogin, c.summary.agentPrincipal, c.summary.operatorLogin,
                                !c.unregisteredAgent);
    const RevisionInfo &latest = c.revisions.back();
    plan.newChange = false;
    plan.changeId = c.summary.id;
    plan.revision = latest.number + 1;
    plan.agentPrincipal = c.summary.agentPrincipal;
    plan.operatorLogin = c.summary.operatorLogin;
    plan.unregistered = c.unregisteredAgent;
    plan.title = p.title && !p.title->trimmed().isEmpty() ? *p.title : latest.title;
    plan.meta = RevisionMeta{p.kind.value_or(latest.meta.kind),
                             p.environment.value_or(latest.meta.environment),
                             p.target.value_or(latest.meta.target)};
    plan.before = status;
    return {};
}

Result<std::optional<SubmitResult>> SqliteStore::idempotentReplay(const Actor &actor,
                                                                  const SqliteSubmitPlan &plan)
{
    const QString key = plan.proposal->idempotencyKey;
    if (key.isEmpty())
        return std::optional<SubmitResult>();
    auto q = exec(
        QStringLiteral(
            "SELECT r.change_id, r.number, r.content_hash, c.unregistered FROM revisions r "
            "JOIN changes c ON c.id = r.change_id WHERE r.submitter = ? AND r.idempotency_key = ?"),
        {actor.login, key});
    if (!q)
        return q.error();
    if (!q->next())
        return std::optional<SubmitResult>();
    SubmitResult earlier;
    earlier.changeId = q->value(0).toString();
    earlier.revision = q->value(1).toInt();
    earlier.contentHash = q->value(2).toByteArray();
    earlier.unregisteredAgent = q->value(3).toInt() != 0;
    earlier.created = false;
    const bool sameTarget =
        plan.newChange ? earlier.revision == 1 : earlier.changeId == plan.changeId;
    if (earlier.contentHash != plan.contentHash || !sameTarget)
        return makeError(
            ExitCode::Mismatch, QStringLiteral("idempotency_mismatch"),
            QStringLiteral(
                "idempotency key \"%1\" was already used by %2 for change %3 revision %4 "
                "with other content")
                .arg(key, actor.login, earlier.changeId)
                .arg(earlier.revision),
            QStringLiteral("idempotency_key"));
    auto detail = loadChange(earlier.changeId, false);
    if (!detail)
        return detail.error();
    earlier.verdict = detail->summary.verdict;
    return std::optional<SubmitResult>(earlier);
}

Status SqliteStore::insertChange(const SqliteSubmitPlan &plan)
{
    const Proposal &p = *plan.proposal;
    const QString &time = plan.time;
    auto q = exec(
        QStringLiteral("INSERT INTO changes (id, kind, title, agent_principal, agent_name, "
                       "agent_version, agent_run_id, "
                       "operator, intent, declared_impact, environment, target, unregistered, "
                       "idempotency_key, "
                       "latest_revision, created_at, updated_at, status, escalated) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'pending', 0)"),
        {plan.changeId, toString(plan.meta.kind), plan.title, plan.agentPrincipal,
         p.agentName.value_or(QString()), p.agentVersion.value_or(QString()),
         p.agentRunId.value_or(QString()), plan.operatorLogin, p.intent.value_or(QString()),
         p.declaredImpact ? QVariant(toString(*p.declaredImpact)) : QVariant(),
         plan.meta.environment, plan.meta.target, plan.unregistered ? 1 : 0,
         nullableText(p.idempotencyKey), time, time});
    if (!q)
        return q.error();
    return {};
}

Status SqliteStore::insertRevision(const SqliteSubmitPlan &plan)
{
    const Proposal &p = *plan.proposal;
    const QString &time = plan.time;
    if (auto q = exec(
            QStringLiteral(
                "INSERT INTO revisions (change_id, number, submitter, created_at, title, kind, "
                "environment, target, content_hash, idempotency_key) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            {plan.changeId, plan.revision, plan.submitter, time, plan.title,
             toString(plan.meta.kind), plan.meta.environment, plan.meta.target, plan.contentHash,
             nullableText(p.idempotencyKey)});
        !q)
        return q.error();
    for (size_t i = 0; i < plan.artifacts.size(); ++i) {
        const Artifact &a = plan.artifacts[i];
        const int index = static_cast<int>(i);
        if (auto q = exec(
                QStringLiteral(
                    "INSERT INTO artifacts (change_id, revision, idx, kind, name, sha256, size, "
                    "parts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                {plan.changeId, plan.revision, index, toString(a.kind), a.name, a.sha256,
                 qint64(a.content().size()), static_cast<int>(a.parts.size())});
            !q)
            return q.error();
        for (size_t part = 0; part < a.parts.size(); ++part) {
            if (auto q = exec(
                    QStringLiteral(
                        "INSERT INTO artifact_parts (change_id, revision, idx, part, bytes) "
                        "VALUES (?, ?, ?, ?, ?)"),
                    {plan.changeId, plan.revision, index, static_cast<int>(part), a.parts[part]});
                !q)
                return q.error();
        }
    }
    if (plan.newChange)
        return {};
    auto q = exec(
        QStringLiteral(
            "UPDATE changes SET title = ?, kind = ?, environment = ?, target = ?, "
            "latest_revision = ?, updated_at = ?, agent_version = COALESCE(?, agent_version), "
            "agent_run_id = COALESCE(?, agent_run_id), intent = COALESCE(?, intent), "
            "declared_impact = COALESCE(?, declared_impact) WHERE id = ?"),
        {plan.title, toString(plan.meta.kind), plan.meta.environment, plan.meta.target,
         plan.revision, time, nullable(p.agentVersion), nullable(p.agentRunId), nullable(p.intent),
         p.declaredImpact ? QVariant(toString(*p.declaredImpact)) : QVariant(), plan.changeId});
    if (!q)
        return q.error();
    return {};
}

namespace {

QJsonObject submissionPayload(const SqliteSubmitPlan &plan)
{
    QJsonArray artifacts;
    for (size_t i = 0; i < plan.artifacts.size(); ++i) {
        const Artifact &a = plan.artifacts[i];
        artifacts.append(
            QJsonObject{{QStringLiteral("index"), static_cast<int>(i)},
                        {QStringLiteral("kind"), toString(a.kind)},
                        {QStringLiteral("name"), a.name},
                        {QStringLiteral("sha256"), QString::fromLatin1(a.sha256.toHex())},
                        {QStringLiteral("size"), qint64(a.content().size())}});
    }
    const Proposal &p = *plan.proposal;
    QJsonObject out{{QStringLiteral("title"), plan.title},
                       {QStringLiteral("kind"), toString(plan.meta.kind)},
                       {QStringLiteral("environment"), plan.meta.environment},
                       {QStringLiteral("target"), plan.meta.target},
                       {QStringLiteral("agent"), plan.agentPrincipal},
                       {QStringLiteral("agent_name"), p.agentName.value_or(QString())},
                       {QStringLiteral("operator"), plan.operatorLogin},
                       {QStringLiteral("unregistered"), plan.unregistered},
                       {QStringLiteral("idempotency_key"), p.idempotencyKey},
                       {QStringLiteral("artifacts"), artifacts},
                       {QStringLiteral("created_at"), plan.time}};
    // What the row keeps of the proposal's optional fields: a revision that
    // leaves one out keeps the earlier value, so only given ones are recorded.
    if (p.intent)
        out.insert(QStringLiteral("intent"), *p.intent);
    if (p.agentVersion)
        out.insert(QStringLiteral("agent_version"), *p.agentVersion);
    if (p.agentRunId)
        out.insert(QStringLiteral("run_id"), *p.agentRunId);
    if (p.declaredImpact)
        out.insert(QStringLiteral("declared_impact"), toString(*p.declaredImpact));
    return out;
}

} // namespace

} // namespace hp
