#include "storage/pgstore.h"

#include "domain/ulid.h"
#include "intake/contenthash.h"
#include "policy/policy.h"

// Submissions through hp_submit. The client hashes the content (§3.1) for
// the idempotency comparison; the server hashes every artifact itself, takes
// the submitter from session_user and the operator from the agent's
// registration. The client assesses the revision as a local store does and
// passes the assessment, the policy's requirement and the coverage items a
// full review must see (a reviewer's client confirms them, pgassess.cpp).
namespace hp {

namespace {

struct SubmitArrays
{
    QStringList kinds;
    QStringList names;
    std::vector<int> partArtifact;
    std::vector<QByteArray> partBytes;
};

SubmitArrays arraysOf(const std::vector<Artifact> &artifacts)
{
    SubmitArrays out;
    for (size_t i = 0; i < artifacts.size(); ++i) {
        out.kinds << toString(artifacts[i].kind);
        out.names << artifacts[i].name;
        for (const QByteArray &part : artifacts[i].parts) {
            out.partArtifact.push_back(static_cast<int>(i) + 1);
            out.partBytes.push_back(part);
        }
    }
    return out;
}

QVariant textOrNull(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : pgNull(QMetaType::QString);
}

} // namespace

// What the revision says about itself for the assessment, as a local store
// reads it after storing the revision: a revision inherits the change's kind,
// environment, target, intent and declared impact unless it names them.
Result<PgSubmission> PgStore::planSubmission(const SubmitRequest &request)
{
    const Proposal &p = request.proposal;
    PgSubmission out;
    out.meta.kind = p.kind.value_or(ChangeKind::Infra);
    out.meta.environment = p.environment.value_or(QString());
    out.meta.target = p.target.value_or(QString());
    out.assessMeta.title = p.title.value_or(QString());
    out.assessMeta.intent = p.intent.value_or(QString());
    out.assessMeta.declaredImpact = p.declaredImpact;
    out.agent = QString();
    if (!request.reviseId.isEmpty()) {
        auto loaded = loadOne(request.reviseId);
        if (!loaded)
            return loaded.error();
        const ChangeDetail &c = loaded->detail;
        const RevisionInfo &latest = c.revisions.back();
        out.meta.kind = p.kind.value_or(latest.meta.kind);
        out.meta.environment = p.environment.value_or(latest.meta.environment);
        out.meta.target = p.target.value_or(latest.meta.target);
        out.assessMeta.title = p.title && !p.title->trimmed().isEmpty() ? *p.title : latest.title;
        out.assessMeta.intent = p.intent.value_or(c.intent);
        out.assessMeta.declaredImpact =
            p.declaredImpact ? p.declaredImpact : c.summary.declaredImpact;
        out.assessMeta.registeredAgent = !c.unregisteredAgent;
        out.agent = c.summary.agentPrincipal;
        out.changeTarget = c.summary.target;
    } else {
        auto q = m_db.exec(QStringLiteral("SELECT session_user::text, EXISTS (SELECT 1 FROM agents "
                                          "WHERE login = session_user)"));
        if (!q)
            return q.error();
        if (q->next()) {
            out.agent = q->value(0).toString();
            out.assessMeta.registeredAgent = q->value(1).toBool();
        }
        out.changeTarget = out.meta.target;
    }
    out.assessMeta.environment = out.meta.environment;
    out.assessMeta.target = out.meta.target;
    return out;
}

namespace {

// What a local store refuses before storing anything. require_registered_agents
// is checked by the client (the server does not read the policy document); an
// unregistered agent is flagged `unregistered` by the server whatever it sends.
Status checkSubmission(const SubmitRequest &request, const PgSubmission &planned,
                       const StoredPolicy &policy)
{
    const Proposal &p = request.proposal;
    if (request.reviseId.isEmpty() && (!p.title || p.title->trimmed().isEmpty()))
        return makeError(ExitCode::Usage, QStringLiteral("missing_title"),
                         QStringLiteral("a new change needs a title"), QStringLiteral("title"));
    if (p.artifacts.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_artifacts"),
                         QStringLiteral("a submission needs at least one artifact"));
    if (request.reviseId.isEmpty() && !planned.assessMeta.registeredAgent &&
        policy.policy.requireRegisteredAgents)
        return makeError(
            ExitCode::Denied, QStringLiteral("unregistered_agent"),
            QStringLiteral(
                "the policy in force (version %1) requires registered agents: %2 is not "
                "registered (an admin runs `holdpointctl agents add %2 --operator LOGIN`)")
                .arg(policy.version)
                .arg(planned.agent));
    return {};
}

// hp_submit's arguments up to the artifacts' parts.
QVariantList proposalValues(const QString &newId, const SubmitRequest &request,
                            const PgSubmission &planned, const QByteArray &contentHash,
                            const std::vector<Artifact> &artifacts)
{
    const Proposal &p = request.proposal;
    const SubmitArrays arrays = arraysOf(artifacts);
    return {newId,
            request.reviseId,
            toString(planned.meta.kind),
            planned.assessMeta.title,
            textOrNull(p.agentName),
            textOrNull(p.agentVersion),
            textOrNull(p.agentRunId),
            textOrNull(p.operatorLogin),
            textOrNull(p.intent),
            p.declaredImpact ? QVariant(toString(*p.declaredImpact)) : pgNull(QMetaType::QString),
            planned.meta.environment,
            planned.meta.target,
            p.idempotencyKey.isEmpty() ? pgNull(QMetaType::QString) : QVariant(p.idempotencyKey),
            contentHash,
            pgTextArray(arrays.kinds),
            pgTextArray(arrays.names),
            pgIntArray(arrays.partArtifact),
            pgByteaArray(arrays.partBytes)};
}

} // namespace

Result<SubmitResult> PgStore::submit(const Actor &actor, const SubmitRequest &request)
{
    auto planned = planSubmission(request);
    if (!planned)
        return planned.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    if (Status s = checkSubmission(request, *planned, **policy); !s)
        return s.error();
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    std::vector<Artifact> artifacts = request.proposal.artifacts;
    hashArtifacts(artifacts);
    SubmitResult result;
    result.contentHash = contentHash(planned->meta, artifacts);
    const QString newId = Ulid::generate(m_clock().toMSecsSinceEpoch());
    auto others = otherDestructiveCount(planned->agent, planned->changeTarget,
                                        request.reviseId.isEmpty() ? newId : request.reviseId);
    if (!others)
        return others.error();
    planned->assessMeta.otherDestructiveCount = *others;
    const Policy &rules = (*policy)->policy;
    const PgAssessed assessed =
        pgAssess(rules, planned->meta.kind, artifacts, planned->assessMeta, catalog->get());
    QVariantList values = proposalValues(newId, request, *planned, result.contentHash, artifacts);
    values << pgAssessmentValues(assessed, (*policy)->hash);
    values << rules.expirySeconds << rules.approvalTtlSeconds
           << (rules.onSlaBreach == SlaBreachAction::Escalate) << (*policy)->version
           << pgTextArray(assessed.coverage) << actor.host << actor.appVersion;
    const QString action = request.reviseId.isEmpty() ? QStringLiteral("change.submit")
                                                      : QStringLiteral("change.revise");
    const Status done =
        call(QStringLiteral(
                 "SELECT r_change, r_revision, r_created FROM hp_submit(?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?::integer[], ?::bytea[], "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, "
                 "?, ?, ?, ?, ?::text[], ?, ?)"),
             values, [&](QSqlQuery &q) -> Status {
                 if (!q.next())
                     return makeError(ExitCode::StoreProblem, QStringLiteral("submit"),
                                      QStringLiteral("hp_submit returned nothing"));
                 result.changeId = q.value(0).toString();
                 result.revision = q.value(1).toInt();
                 result.created = q.value(2).toBool();
                 return {};
             });
    if (Status s = auditRefusal(actor, action, request.reviseId, done); !s)
        return s.error();
    return finishSubmission(result);
}

// The verdict and the stored assessment the CLI prints, read back.
Result<SubmitResult> PgStore::finishSubmission(SubmitResult result)
{
    auto loaded = loadOne(result.changeId);
    if (!loaded)
        return loaded.error();
    if (Status s = evaluate(*loaded, m_clock()); !s)
        return s.error();
    result.verdict = loaded->detail.summary.verdict;
    result.unregisteredAgent = loaded->detail.unregisteredAgent;
    auto stored = assessment(result.changeId, result.revision);
    if (!stored)
        return stored.error();
    result.assessment = std::move(*stored);
    return result;
}

} // namespace hp
