#include "storage/pgstore.h"

#include "policy/policy.h"
#include "review/coveragerequirements.h"
#include "risk/assessmentjson.h"

#include <QCoreApplication>
#include <QSysInfo>

// Assessments in team mode (DESIGN §3 Assessment, §4, §5): computed by the
// client exactly as a local store computes them (Assessor under the risk
// settings of the policy in force, the catalog in force, the agent's other
// destructive changes), stored by hp_submit, and confirmed by a reviewer's
// client with hp_reassess before any approval counts (see pgstore.h).
namespace hp {

namespace {

int destructiveCount(const Assessment &a)
{
    int n = 0;
    for (const ChangedContribution &c : a.changed) {
        if (c.action == PlanAction::Delete || c.action == PlanAction::Replace)
            ++n;
    }
    return n;
}

const RevisionInfo *latestOf(const ChangeDetail &change)
{
    return change.revisions.empty() ? nullptr : &change.revisions.back();
}

// A reviewer's client vouches for a policy change only when the document it
// would adopt reads (the server adopts the bytes without parsing YAML).
Status checkPolicyChange(const QString &changeId, const std::vector<Artifact> &artifacts)
{
    if (artifacts.size() != 1 || artifacts.front().kind != ArtifactKind::FilePair ||
        artifacts.front().parts.size() != 2)
        return makeError(
            ExitCode::Usage, QStringLiteral("bad_policy_change"),
            QStringLiteral(
                "policy change %1 must hold exactly one file-pair artifact (policy.yaml)")
                .arg(changeId));
    Result<Policy> read = PolicyReader::read(artifacts.front().content(),
                                             QStringLiteral("policy change %1").arg(changeId));
    if (!read)
        return read.error();
    return {};
}

} // namespace

PgAssessed pgAssess(const Policy &policy, ChangeKind kind, const std::vector<Artifact> &artifacts,
                    const AssessmentMeta &meta, const CatalogInForce *catalog)
{
    PgAssessed out;
    out.assessment = Assessor(policy.risk).assess(artifacts, meta, catalog);
    out.body = assessmentBytes(out.assessment);
    out.coverage = requiredCoverage(artifacts, &out.assessment);
    if (kind == ChangeKind::Policy) {
        // DESIGN §5 fixed rule: two leads, whatever the policy says.
        out.approvals = 2;
        out.lead = true;
        out.rolesAny = {toString(Role::Lead)};
        return out;
    }
    const Assessment &a = out.assessment;
    const PolicyRule *rule = policy.ruleFor(a.riskClass, a.effectiveEnvironment, a.flagCodes());
    if (!rule) {
        // As computeVerdict: no matching rule asks 2 approvals, one from a lead.
        out.approvals = 2;
        out.lead = true;
        out.rolesAny = {toString(Role::Lead)};
        return out;
    }
    out.approvals = rule->approvals;
    out.fullReview = rule->fullReview;
    out.slaSeconds = rule->slaSeconds;
    for (Role role : rule->rolesAny)
        out.rolesAny << toString(role);
    out.lead = !rule->rolesAny.isEmpty() && !rule->rolesAny.contains(Role::Reviewer);
    return out;
}

QVariantList pgAssessmentValues(const PgAssessed &assessed, const QByteArray &policyHash)
{
    const Assessment &a = assessed.assessment;
    return {assessed.body,
            a.score,
            toString(a.riskClass),
            a.flagCodes().join(u','),
            destructiveCount(a),
            a.effectiveEnvironment,
            QString::fromLatin1(a.topologyHash),
            QString::fromLatin1(policyHash),
            assessed.approvals,
            assessed.lead,
            assessed.fullReview,
            pgTextArray(assessed.rolesAny),
            assessed.slaSeconds};
}

// Those who decide confirm on reading: reviewers and leads (auditors may
// call hp_reassess too, but their reads stay reads).
Result<bool> PgStore::readerConfirms()
{
    if (!m_readerRoles) {
        auto q = m_db.exec(
            QStringLiteral("SELECT session_user::text, coalesce((SELECT string_agg(role, ',') "
                           "FROM roles WHERE login = session_user), '')"));
        if (!q)
            return q.error();
        RoleSet roles;
        if (q->next()) {
            m_sessionUser = q->value(0).toString();
            const QStringList names = q->value(1).toString().split(u',', Qt::SkipEmptyParts);
            for (const QString &name : names) {
                if (std::optional<Role> role = parseRole(name))
                    roles.add(*role);
            }
        }
        m_readerRoles = roles;
    }
    return !m_readerRoles->holds(Role::Admin) && m_readerRoles->has(Role::Reviewer);
}

Actor PgStore::readerActor()
{
    return Actor{m_sessionUser, QSysInfo::machineHostName(),
                 QCoreApplication::applicationVersion()};
}

// Resources deleted or replaced by the same agent's other pending or
// approved changes on the same target within the mass-change window.
Result<int> PgStore::otherDestructiveCount(const QString &agent, const QString &target,
                                           const QString &changeId)
{
    if (target.isEmpty())
        return 0;
    const RiskConfig config;
    auto q = m_db.exec(
        QStringLiteral(
            "SELECT coalesce(sum(coalesce((SELECT x.destructive FROM assessments x WHERE "
            "x.change_id = c.id "
            "AND x.revision = c.latest_revision ORDER BY x.sequence DESC LIMIT 1), 0)), 0) "
            "FROM changes c JOIN revisions r ON r.change_id = c.id AND r.number = "
            "c.latest_revision "
            "WHERE c.agent_principal = ? AND c.target = ? AND c.id <> ? "
            "AND c.status IN ('pending', 'approved') "
            "AND r.created_at::timestamptz >= clock_timestamp() - make_interval(secs => ?::double "
            "precision)"),
        {agent, target, changeId, config.massChangeWindowSeconds});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toInt() : 0;
}

Status PgStore::confirmAssessment(const Actor &actor, const ChangeDetail &change,
                                  const QString &reason)
{
    const RevisionInfo *rev = latestOf(change);
    if (!rev)
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_revision"),
                         QStringLiteral("change %1 has no revision").arg(change.summary.id));
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    auto artifacts = loadArtifacts(change.summary.id, rev->number);
    if (!artifacts)
        return artifacts.error();
    if (change.summary.kind == ChangeKind::Policy) {
        if (Status s = checkPolicyChange(change.summary.id, *artifacts); !s)
            return s;
    }
    auto others = otherDestructiveCount(change.summary.agentPrincipal, change.summary.target,
                                        change.summary.id);
    if (!others)
        return others.error();
    AssessmentMeta meta;
    meta.title = rev->title;
    meta.intent = change.intent;
    meta.environment = rev->meta.environment;
    meta.target = rev->meta.target;
    meta.declaredImpact = change.summary.declaredImpact;
    meta.registeredAgent = !change.unregisteredAgent;
    meta.otherDestructiveCount = *others;
    const PgAssessed assessed =
        pgAssess((*policy)->policy, change.summary.kind, *artifacts, meta, catalog->get());
    QVariantList values{change.summary.id, rev->number};
    values << pgAssessmentValues(assessed, (*policy)->hash);
    values << pgTextArray(assessed.coverage) << reason << actor.host << actor.appVersion;
    // One statement: its own transaction, or part of the caller's (an import).
    auto q = m_db.exec(
        QStringLiteral("SELECT r_sequence FROM hp_reassess(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?::text[], ?, ?::text[], ?, ?, ?)"),
        values);
    if (!q)
        return q.error();
    return {};
}

} // namespace hp
