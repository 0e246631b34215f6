#include "storage/sqlitestore.h"

#include "review/coveragerequirements.h"
#include "risk/assessmentjson.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

// The policy engine in the store (DESIGN §5): versions of the policy (never
// edited; version 1 is the shipped default), the facts the policy reads about
// a change, and the verdict of every read computed under the policy in force
// with the clock. Adoption of a new version happens inside the transaction
// that approves a change of kind policy (sqlitedecide.cpp calls adoptPolicy).
namespace hp {

namespace {

const QString kPolicyColumns =
    QStringLiteral("version, hash, source, change_id, adopted_by, adopted_at");

// `targets:` glob → environment, first match in order (DESIGN §4).
QString targetEnvironment(const RiskConfig &risk, const QString &target)
{
    if (target.isEmpty())
        return {};
    for (const auto &[glob, environment] : risk.targets) {
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(
            glob, QRegularExpression::UnanchoredWildcardConversion));
        if (QRegularExpression(QRegularExpression::anchoredPattern(re.pattern())).match(target).hasMatch())
            return environment;
    }
    return {};
}

// For a revision never assessed (or assessed before schema 3): the heavier of
// the declared environment and the one the target maps to.
QString fallbackEnvironment(const RiskConfig &risk, const ChangeSummary &s)
{
    const QString mapped = targetEnvironment(risk, s.target);
    if (mapped.isEmpty())
        return s.environment;
    if (s.environment.isEmpty())
        return mapped;
    return risk.environmentWeight(mapped) > risk.environmentWeight(s.environment) ? mapped
                                                                                 : s.environment;
}

bool approvedLatest(const ChangeDetail &d)
{
    for (const DecisionRecord &r : d.decisions) {
        if (r.action == DecisionAction::Approve && r.revision == d.summary.latestRevision)
            return true;
    }
    return false;
}

} // namespace

Status SqliteStore::insertDefaultPolicy(const QString &by, const QString &time)
{
    auto count = exec(QStringLiteral("SELECT count(*) FROM policies"));
    if (!count)
        return count.error();
    if (count->next() && count->value(0).toLongLong() > 0)
        return {};
    Result<Policy> builtin = PolicyReader::builtin();
    if (!builtin)
        return builtin.error();
    auto q = exec(QStringLiteral("INSERT INTO policies (%1) VALUES (1, ?, ?, '', ?, ?)").arg(kPolicyColumns),
                  {QString::fromLatin1(builtin->hash), builtin->source, by, time});
    if (!q)
        return q.error();
    return {};
}

Result<std::vector<StoredPolicy>> SqliteStore::loadPolicies(bool latestOnly)
{
    auto q = exec(QStringLiteral("SELECT %1 FROM policies ORDER BY version %2")
                      .arg(kPolicyColumns, latestOnly ? QStringLiteral("DESC LIMIT 1") : QStringLiteral("ASC")));
    if (!q)
        return q.error();
    std::vector<StoredPolicy> out;
    while (q->next()) {
        StoredPolicy p;
        p.version = q->value(0).toInt();
        p.hash = q->value(1).toString().toLatin1();
        p.changeId = q->value(3).toString();
        p.adoptedBy = q->value(4).toString();
        p.adoptedAt = parseTime(q->value(5));
        if (m_policy && m_policy->hash == p.hash && m_policy->version == p.version) {
            out.push_back(*m_policy);
            continue;
        }
        Result<Policy> read = PolicyReader::read(q->value(2).toByteArray(),
                                                 QStringLiteral("policy version %1 in %2").arg(p.version).arg(m_path));
        if (!read)
            return makeError(ExitCode::StoreProblem, read.error().reason, read.error().message);
        if (read->hash != p.hash)
            return makeError(ExitCode::StoreProblem, QStringLiteral("policy_hash"),
                             QStringLiteral("policy version %1 in %2 no longer matches its hash")
                                 .arg(p.version)
                                 .arg(m_path));
        p.policy = std::move(*read);
        out.push_back(std::move(p));
    }
    if (out.empty())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_policy"),
                         QStringLiteral("the store %1 has no policy").arg(m_path));
    return out;
}

Result<std::shared_ptr<const StoredPolicy>> SqliteStore::currentPolicy()
{
    auto latest = loadPolicies(true);
    if (!latest)
        return latest.error();
    if (!m_policy || m_policy->hash != latest->front().hash || m_policy->version != latest->front().version)
        m_policy = std::make_shared<const StoredPolicy>(std::move(latest->front()));
    return m_policy;
}

Result<StoredPolicy> SqliteStore::policyInForce()
{
    auto current = currentPolicy();
    if (!current)
        return current.error();
    return **current;
}

Result<std::vector<StoredPolicy>> SqliteStore::policyVersions()
{
    return loadPolicies(false);
}

Result<QHash<QString, QDateTime>> SqliteStore::coverageComplete(const ChangeDetail &detail)
{
    const QString &id = detail.summary.id;
    const int revision = detail.summary.latestRevision;
    auto artifacts = loadArtifacts(id, revision);
    if (!artifacts)
        return artifacts.error();
    auto assessed = loadAssessments(QStringLiteral("change_id = ? AND revision = ? ORDER BY sequence DESC LIMIT 1"),
                                    {id, revision});
    if (!assessed)
        return assessed.error();
    const QStringList required =
        requiredCoverage(*artifacts, assessed->empty() ? nullptr : &assessed->front().assessment);
    const QSet<QString> needed(required.begin(), required.end());
    auto q = exec(QStringLiteral("SELECT login, item, seen_at FROM coverage WHERE change_id = ? AND revision = ?"),
                  {id, revision});
    if (!q)
        return q.error();
    QHash<QString, QSet<QString>> seen;
    QHash<QString, QDateTime> last;
    while (q->next()) {
        const QString login = q->value(0).toString();
        const QString item = q->value(1).toString();
        if (!needed.contains(item))
            continue;
        seen[login].insert(item);
        const QDateTime at = parseTime(q->value(2));
        if (!last.contains(login) || at > last.value(login))
            last.insert(login, at);
    }
    QHash<QString, QDateTime> complete;
    if (needed.isEmpty()) {
        // Nothing to see: every reviewer's review is complete from the start.
        const QDateTime from = detail.revisions.back().createdAt;
        for (const DecisionRecord &d : detail.decisions)
            complete.insert(d.principal, from);
        return complete;
    }
    for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
        if (it.value().size() == needed.size())
            complete.insert(it.key(), last.value(it.key()));
    }
    return complete;
}

Result<ReviewFacts> SqliteStore::factsOf(const ChangeDetail &detail, const Policy &policy,
                                         const QString &effectiveEnvironment)
{
    ReviewFacts facts;
    facts.riskClass = detail.summary.riskClass;
    facts.flags = detail.summary.riskFlags;
    facts.environment =
        effectiveEnvironment.isEmpty() ? fallbackEnvironment(policy.risk, detail.summary) : effectiveEnvironment;
    const PolicyRule *rule = policy.ruleFor(facts.riskClass.value_or(Impact::High), facts.environment, facts.flags);
    // Coverage is read only where it can matter: a full review demanded and
    // an approval of the latest revision to judge (or a caller asking).
    if (rule && rule->fullReview && approvedLatest(detail)) {
        auto complete = coverageComplete(detail);
        if (!complete)
            return complete.error();
        facts.coverageCompleteAt = std::move(*complete);
    }
    return facts;
}

Status SqliteStore::evaluate(ChangeDetail &detail, const StoredPolicy &policy,
                             const QString &effectiveEnvironment, const QDateTime &at)
{
    auto facts = factsOf(detail, policy.policy, effectiveEnvironment);
    if (!facts)
        return facts.error();
    computeVerdict(detail, policy.policy, *facts, at);
    detail.summary.verdict.policyVersion = policy.version;
    return {};
}

Result<QString> SqliteStore::effectiveEnvironmentOf(const QString &changeId)
{
    auto q = exec(QStringLiteral("SELECT a.environment FROM assessments a JOIN changes c ON c.id = a.change_id "
                                 "AND a.revision = c.latest_revision WHERE a.change_id = ? "
                                 "ORDER BY a.sequence DESC LIMIT 1"),
                  {changeId});
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toString() : QString();
}

Result<ReviewFacts> SqliteStore::reviewFacts(const QString &changeId)
{
    auto detail = loadChange(changeId, false);
    if (!detail)
        return detail.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    auto environment = effectiveEnvironmentOf(changeId);
    if (!environment)
        return environment.error();
    auto facts = factsOf(*detail, (*policy)->policy, *environment);
    if (!facts)
        return facts.error();
    // The console asks before anyone approved: completion is always given here.
    auto complete = coverageComplete(*detail);
    if (!complete)
        return complete.error();
    facts->coverageCompleteAt = std::move(*complete);
    return facts;
}

// A change of kind policy was approved: its file-pair's after bytes become
// the next version, then every pending change is reassessed under it.
Status SqliteStore::adoptPolicy(const Actor &actor, const ChangeDetail &change)
{
    auto artifacts = loadArtifacts(change.summary.id, change.summary.latestRevision);
    if (!artifacts)
        return artifacts.error();
    if (artifacts->size() != 1 || artifacts->front().kind != ArtifactKind::FilePair)
        return makeError(ExitCode::Usage, QStringLiteral("bad_policy_change"),
                         QStringLiteral("policy change %1 must hold exactly one file-pair artifact (policy.yaml)")
                             .arg(change.summary.id));
    const QByteArray source = artifacts->front().content();
    Result<Policy> read = PolicyReader::read(source, QStringLiteral("policy change %1").arg(change.summary.id));
    if (!read)
        return read.error();
    auto current = loadPolicies(true);
    if (!current)
        return current.error();
    // Pending under the policy being replaced (the new one may approve some).
    ListFilter filter;
    filter.pendingOnly = true;
    auto pending = listChanges(filter);
    if (!pending)
        return pending.error();
    const int version = current->front().version + 1;
    const QString time = auditTime(now());
    if (auto q = exec(QStringLiteral("INSERT INTO policies (%1) VALUES (?, ?, ?, ?, ?, ?)").arg(kPolicyColumns),
                      {version, QString::fromLatin1(read->hash), source, change.summary.id, actor.login, time});
        !q)
        return q.error();
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    // Oldest first; each gets a new assessment under the new policy, then its
    // verdict re-evaluated, cached and, when its status moved, audited.
    int reassessed = 0;
    for (auto it = pending->rbegin(); it != pending->rend(); ++it) {
        if (it->id == change.summary.id)
            continue;
        auto stored = assessRevision(actor, it->id, it->latestRevision, catalog->get(), QStringLiteral("policy"));
        if (!stored)
            return stored.error();
        if (Status s = recordReevaluation(actor, it->id, it->verdict.status); !s)
            return s;
        ++reassessed;
    }
    AuditRecord entry;
    entry.action = QStringLiteral("policy.adopt");
    entry.changeId = change.summary.id;
    entry.revision = change.summary.latestRevision;
    entry.contentHash = change.revisions.back().contentHash;
    entry.policyHash = QByteArray::fromHex(read->hash);
    entry.statusBefore = ChangeStatus::Approved;
    entry.statusAfter = ChangeStatus::Applied;
    entry.payload = QJsonObject{{QStringLiteral("version"), version},
                                {QStringLiteral("hash"), QString::fromLatin1(read->hash)},
                                {QStringLiteral("previous_hash"), QString::fromLatin1(current->front().hash)},
                                {QStringLiteral("reassessed"), reassessed}};
    // Adopting is applying the policy change: its approval is used up now.
    if (auto q = exec(QStringLiteral("INSERT INTO change_events (change_id, revision, kind, principal, reason, "
                                     "created_at) VALUES (?, ?, 'applied', ?, ?, ?)"),
                      {change.summary.id, change.summary.latestRevision, actor.login,
                       QStringLiteral("adopted as policy version %1").arg(version), time});
        !q)
        return q.error();
    auto applied = loadChange(change.summary.id, false);
    if (!applied)
        return applied.error();
    if (Status s = updateStatusCache(change.summary.id, applied->summary.verdict); !s)
        return s;
    return appendAudit(actor, entry);
}

Status SqliteStore::recordReevaluation(const Actor &actor, const QString &changeId, ChangeStatus before)
{
    auto reread = loadChange(changeId, false);
    if (!reread)
        return reread.error();
    const Verdict &after = reread->summary.verdict;
    if (Status s = updateStatusCache(changeId, after); !s)
        return s;
    if (after.status == before)
        return {};
    AuditRecord entry;
    entry.action = QStringLiteral("change.reevaluate");
    entry.changeId = changeId;
    entry.revision = reread->summary.latestRevision;
    entry.contentHash = reread->revisions.back().contentHash;
    entry.reason = QStringLiteral("policy changed");
    entry.statusBefore = before;
    entry.statusAfter = after.status;
    return appendAudit(actor, entry);
}

} // namespace hp
