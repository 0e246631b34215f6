#include "storage/pgstore.h"

#include "policy/policy.h"
#include "review/reviewrules.h"

#include <QSet>

#include <algorithm>

// The policy engine in team mode (DESIGN §5): the stored versions (version 1
// is the shipped default, inserted by `db init` / `db migrate`), the facts
// the policy reads, verdicts computed like a local store's, timer events
// (hp_tick) and consumption of approvals (hp_consume).
namespace hp {

namespace {

// What computeVerdict falls back to when no rule matches.
PolicyRule fallbackRule()
{
    PolicyRule r;
    r.approvals = 2;
    r.rolesAny = {Role::Lead};
    return r;
}

bool leadOnly(const PolicyRule &rule)
{
    return !rule.rolesAny.isEmpty() && !rule.rolesAny.contains(Role::Reviewer);
}

// The stored requirement asks more than the rule: a reviewer's assessment
// raised it (or the submitter asked more than its own assessment implies).
bool stricter(const PgRequirement &stored, const PolicyRule &rule)
{
    return stored.approvals > rule.approvals || (stored.lead && !leadOnly(rule)) ||
           (stored.fullReview && !rule.fullReview);
}

PolicyRule merged(const PgRequirement &stored, PolicyRule rule)
{
    rule.approvals = std::max(rule.approvals, stored.approvals);
    if (stored.lead)
        rule.rolesAny = {Role::Lead};
    rule.fullReview = rule.fullReview || stored.fullReview;
    if (stored.slaSeconds > 0 && (rule.slaSeconds == 0 || stored.slaSeconds < rule.slaSeconds))
        rule.slaSeconds = stored.slaSeconds;
    return rule;
}

bool approvedLatest(const ChangeDetail &d)
{
    return std::any_of(d.decisions.begin(), d.decisions.end(), [&](const DecisionRecord &r) {
        return r.action == DecisionAction::Approve && r.revision == d.summary.latestRevision;
    });
}

} // namespace

Result<std::vector<StoredPolicy>> PgStore::loadPolicies(bool latestOnly)
{
    auto q =
        m_db.exec(QStringLiteral(
                      "SELECT version, hash, body, coalesce(change_id, ''), adopted_by, adopted_at "
                      "FROM policies ORDER BY version %1")
                      .arg(latestOnly ? QStringLiteral("DESC LIMIT 1") : QStringLiteral("ASC")));
    if (!q)
        return q.error();
    std::vector<StoredPolicy> out;
    while (q->next()) {
        StoredPolicy p;
        p.version = q->value(0).toInt();
        p.hash = q->value(1).toString().toLatin1();
        p.changeId = q->value(3).toString();
        p.adoptedBy = q->value(4).toString();
        p.adoptedAt = QDateTime::fromString(q->value(5).toString(), Qt::ISODateWithMs);
        if (m_policy && m_policy->hash == p.hash && m_policy->version == p.version) {
            out.push_back(*m_policy);
            continue;
        }
        Result<Policy> read = PolicyReader::read(
            q->value(2).toByteArray(),
            QStringLiteral("policy version %1 in %2").arg(p.version).arg(m_info.location));
        if (!read)
            return makeError(ExitCode::StoreProblem, read.error().reason, read.error().message);
        if (read->hash != p.hash)
            return makeError(ExitCode::StoreProblem, QStringLiteral("policy_hash"),
                             QStringLiteral("policy version %1 in %2 no longer matches its hash")
                                 .arg(p.version)
                                 .arg(m_info.location));
        p.policy = std::move(*read);
        out.push_back(std::move(p));
    }
    if (out.empty())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("no_policy"),
            QStringLiteral("the store %1 has no policy: the owner runs `holdpointctl db migrate`")
                .arg(m_info.location));
    return out;
}

Result<std::shared_ptr<const StoredPolicy>> PgStore::currentPolicy()
{
    auto latest = loadPolicies(true);
    if (!latest)
        return latest.error();
    const StoredPolicy &front = latest->front();
    if (!m_policy || m_policy->hash != front.hash || m_policy->version != front.version)
        m_policy = std::make_shared<const StoredPolicy>(std::move(latest->front()));
    return m_policy;
}

Result<StoredPolicy> PgStore::policyInForce()
{
    auto current = currentPolicy();
    if (!current)
        return current.error();
    return **current;
}

Result<std::vector<StoredPolicy>> PgStore::policyVersions()
{
    return loadPolicies(false);
}

// Coverage is judged against the server's coverage_required rows (what the
// submitter's and every confirming reviewer's client required, united), the
// same list hp_decide checks.
Result<ReviewFacts> PgStore::factsOf(const PgLoadedChange &change, const Policy &policy,
                                     bool withCoverage)
{
    const ChangeDetail &d = change.detail;
    ReviewFacts facts;
    facts.riskClass = d.summary.riskClass;
    facts.flags = d.summary.riskFlags;
    facts.environment =
        change.effectiveEnvironment.isEmpty() ? d.summary.environment : change.effectiveEnvironment;
    const PolicyRule *rule =
        policy.ruleFor(facts.riskClass.value_or(Impact::High), facts.environment, facts.flags);
    const bool full = (rule && rule->fullReview) || change.requirement.fullReview;
    if (!withCoverage && !(full && approvedLatest(d)))
        return facts;
    const QString &id = d.summary.id;
    const int revision = d.summary.latestRevision;
    auto needed = m_db.exec(
        QStringLiteral(
            "SELECT count(*) FROM coverage_required WHERE change_id = ? AND revision = ?"),
        {id, revision});
    if (!needed)
        return needed.error();
    const qint64 items = needed->next() ? needed->value(0).toLongLong() : 0;
    if (items == 0) {
        // Nothing to see: every reviewer's review is complete from the start.
        const QDateTime from =
            d.revisions.empty() ? d.summary.createdAt : d.revisions.back().createdAt;
        for (const DecisionRecord &r : d.decisions)
            facts.coverageCompleteAt.insert(r.principal, from);
        return facts;
    }
    auto seen = m_db.exec(
        QStringLiteral(
            "SELECT v.login, count(*), max(v.seen_at) FROM coverage v JOIN coverage_required r "
            "ON r.change_id = v.change_id AND r.revision = v.revision AND r.item = v.item "
            "WHERE v.change_id = ? AND v.revision = ? GROUP BY v.login"),
        {id, revision});
    if (!seen)
        return seen.error();
    while (seen->next()) {
        if (seen->value(1).toLongLong() == items)
            facts.coverageCompleteAt.insert(
                seen->value(0).toString(),
                QDateTime::fromString(seen->value(2).toString(), Qt::ISODateWithMs));
    }
    return facts;
}

Status PgStore::evaluate(PgLoadedChange &change, const QDateTime &at)
{
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    const Policy &p = (*policy)->policy;
    auto facts = factsOf(change, p, false);
    if (!facts)
        return facts.error();
    ChangeDetail &d = change.detail;
    const PolicyRule *found =
        p.ruleFor(facts->riskClass.value_or(Impact::High), facts->environment, facts->flags);
    const PolicyRule rule = found ? *found : fallbackRule();
    if (d.summary.kind != ChangeKind::Policy && stricter(change.requirement, rule)) {
        // Never weaker than what the server enforces for this revision.
        Policy raised = p;
        raised.rules = {merged(change.requirement, rule)};
        computeVerdict(d, raised, *facts, at);
        d.summary.verdict.rule += QStringLiteral(" (raised by the stored requirement)");
    } else {
        computeVerdict(d, p, *facts, at);
    }
    d.summary.verdict.policyVersion = (*policy)->version;
    return {};
}

Result<ReviewFacts> PgStore::reviewFacts(const QString &changeId)
{
    auto loaded = loadOne(changeId);
    if (!loaded)
        return loaded.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    return factsOf(*loaded, (*policy)->policy, true);
}

// Timer events: the client notices what its clock says is due, the server
// writes each at most once (primary key) and only when its own clock agrees.
Result<TickResult> PgStore::tick(const Actor &actor)
{
    TickResult out;
    const Status done = m_db.inTransaction([&]() -> Status {
        out = TickResult{};
        return runTimers(actor, out);
    });
    if (!done)
        return done.error();
    return out;
}

Status PgStore::runTimers(const Actor &actor, TickResult &out)
{
    auto loaded = loadChanges(QStringLiteral(" WHERE c.status IN ('pending', 'approved') "
                                             "ORDER BY c.created_at, c.id"),
                              {});
    if (!loaded)
        return loaded.error();
    auto breached =
        m_db.exec(QStringLiteral("SELECT change_id FROM timer_events WHERE kind = 'sla_breach'"));
    if (!breached)
        return breached.error();
    QSet<QString> known;
    while (breached->next())
        known.insert(breached->value(0).toString());
    const QDateTime at = m_clock();
    for (const PgLoadedChange &change : *loaded) {
        PgLoadedChange written = change;
        if (Status s = evaluate(written, QDateTime()); !s)
            return s;
        const Verdict &was = written.detail.summary.verdict;
        if (was.status != ChangeStatus::Pending && was.status != ChangeStatus::Approved)
            continue;
        PgLoadedChange clocked = change;
        if (Status s = evaluate(clocked, at); !s)
            return s;
        const Verdict &now = clocked.detail.summary.verdict;
        const QString &id = change.detail.summary.id;
        QString kind;
        if (was.status == ChangeStatus::Pending && now.status == ChangeStatus::Expired)
            kind = QStringLiteral("expiry");
        else if (was.status == ChangeStatus::Approved && now.status == ChangeStatus::Expired)
            kind = QStringLiteral("approval_lapse");
        else if (was.status == ChangeStatus::Pending && now.slaBreached && !known.contains(id))
            kind = QStringLiteral("sla_breach");
        else
            continue;
        auto q = m_db.exec(QStringLiteral("SELECT hp_tick(?, ?, ?, ?)"),
                           {id, kind, actor.host, actor.appVersion});
        if (!q)
            return q.error();
        if (!q->next() || !q->value(0).toBool())
            continue; // not due by the server's clock, or written by someone else first
        if (kind == QLatin1String("expiry"))
            ++out.expired;
        else if (kind == QLatin1String("approval_lapse"))
            ++out.approvalsLapsed;
        else if (now.escalated && !was.escalated)
            ++out.escalated;
        out.changes << id;
    }
    return {};
}

Result<Verdict> PgStore::consumeApproval(const Actor &actor, const QString &changeId, int revision,
                                         const QString &detail)
{
    const Status done = call(QStringLiteral("SELECT hp_consume(?, ?, ?, ?, ?)"),
                             {changeId, revision, detail, actor.host, actor.appVersion});
    if (Status s = auditRefusal(actor, QStringLiteral("check.consume"), changeId, done); !s)
        return s.error();
    return loadVerdict(changeId);
}

} // namespace hp
