#include "storage/sqlitestore.h"

#include "risk/assessmentjson.h"
#include "storage/artifactrows.h"

#include <QHash>
#include <QJsonArray>

#include <cmath>

// Assessments (DESIGN §3 Assessment, §4): computed inside the transaction
// that stores a revision or a new topology, stored as a new row (the next
// sequence of that revision; rows are never edited) and audited.
namespace hp {

namespace {

const QString kAssessmentColumns = QStringLiteral(
    "change_id, revision, sequence, topology_hash, policy_hash, computed_at, body");

int destructiveCount(const Assessment &a)
{
    int n = 0;
    for (const ChangedContribution &c : a.changed) {
        if (c.action == PlanAction::Delete || c.action == PlanAction::Replace)
            ++n;
    }
    return n;
}

// Audit integers only (DESIGN §7): terms in thousandths.
qint64 thousandths(double term)
{
    return std::llround(term * 1000.0);
}

QJsonObject assessmentPayload(const StoredAssessment &s, const QString &reason)
{
    const Assessment &a = s.assessment;
    return QJsonObject{{QStringLiteral("sequence"), s.sequence},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("score"), a.score},
                       {QStringLiteral("class"), toString(a.riskClass)},
                       {QStringLiteral("changed_term_milli"), thousandths(a.changedTerm)},
                       {QStringLiteral("impact_term_milli"), thousandths(a.impactTerm)},
                       {QStringLiteral("flags"), QJsonArray::fromStringList(a.flagCodes())},
                       {QStringLiteral("topology_hash"), QString::fromLatin1(s.topologyHash)},
                       {QStringLiteral("policy_hash"), QString::fromLatin1(s.policyHash)}};
}

const RevisionInfo *findRevision(const ChangeDetail &change, int number)
{
    for (const RevisionInfo &r : change.revisions) {
        if (r.number == number)
            return &r;
    }
    return nullptr;
}

// What the revision says about itself; intent and declared impact are the
// change's (a revision that leaves them out inherits them).
AssessmentMeta metaOf(const ChangeDetail &change, const RevisionInfo &rev, int otherDestructive)
{
    AssessmentMeta meta;
    meta.title = rev.title;
    meta.intent = change.intent;
    meta.environment = rev.meta.environment;
    meta.target = rev.meta.target;
    meta.declaredImpact = change.summary.declaredImpact;
    meta.registeredAgent = !change.unregisteredAgent;
    meta.otherDestructiveCount = otherDestructive;
    return meta;
}

} // namespace

Result<std::vector<Artifact>> SqliteStore::loadArtifacts(const QString &changeId, int revision)
{
    auto q = exec(artifactsOfRevisionSql(), {changeId, revision});
    if (!q)
        return q.error();
    return artifactsFromRows(*q);
}

Result<int> SqliteStore::otherDestructiveCount(const ChangeDetail &change)
{
    const ChangeSummary &s = change.summary;
    if (s.target.isEmpty())
        return 0;
    const RiskConfig config;
    const QString since = auditTime(now().addSecs(-config.massChangeWindowSeconds));
    // The latest assessment of each other change's latest revision.
    auto q = exec(QStringLiteral(
                      "SELECT COALESCE((SELECT x.destructive FROM assessments x WHERE x.change_id = c.id "
                      "AND x.revision = c.latest_revision ORDER BY x.sequence DESC LIMIT 1), 0) "
                      "FROM changes c JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision "
                      "WHERE c.agent_principal = ? AND c.target = ? AND c.id <> ? "
                      "AND c.status IN ('pending', 'approved') AND r.created_at >= ?"),
                  {s.agentPrincipal, s.target, s.id, since});
    if (!q)
        return q.error();
    int total = 0;
    while (q->next())
        total += q->value(0).toInt();
    return total;
}

Result<StoredAssessment> SqliteStore::assessRevision(const Actor &actor, const QString &changeId, int revision,
                                                     const CatalogInForce *catalog, const QString &reason,
                                                     const std::vector<Artifact> *known)
{
    auto detail = loadChange(changeId, false);
    if (!detail)
        return detail.error();
    const RevisionInfo *rev = findRevision(*detail, revision);
    if (!rev)
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_revision"),
                         QStringLiteral("change %1 has no revision %2").arg(changeId).arg(revision));
    Result<std::vector<Artifact>> artifacts = known ? Result<std::vector<Artifact>>(std::vector<Artifact>())
                                                    : loadArtifacts(changeId, revision);
    if (!artifacts)
        return artifacts.error();
    auto others = otherDestructiveCount(*detail);
    if (!others)
        return others.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    StoredAssessment stored;
    stored.changeId = changeId;
    stored.revision = revision;
    // The risk settings and hash are those of the policy in force.
    stored.assessment = Assessor((*policy)->policy.risk)
                            .assess(known ? *known : *artifacts, metaOf(*detail, *rev, *others), catalog);
    stored.topologyHash = stored.assessment.topologyHash;
    stored.policyHash = (*policy)->hash;
    stored.computedAt = now();
    stored.json = assessmentBytes(stored.assessment);
    if (Status s = insertAssessment(stored); !s)
        return s.error();
    AuditRecord record;
    record.action = QStringLiteral("assessment");
    record.changeId = changeId;
    record.revision = revision;
    record.contentHash = rev->contentHash;
    record.policyHash = QByteArray::fromHex(stored.policyHash);
    record.reason = reason;
    record.payload = assessmentPayload(stored, reason);
    if (Status s = appendAudit(actor, record); !s)
        return s.error();
    return stored;
}

// Sets `stored.sequence` to the next one of its revision and inserts the row.
Status SqliteStore::insertAssessment(StoredAssessment &stored)
{
    auto seq = exec(QStringLiteral("SELECT COALESCE(MAX(sequence), 0) + 1 FROM assessments "
                                   "WHERE change_id = ? AND revision = ?"),
                    {stored.changeId, stored.revision});
    if (!seq)
        return seq.error();
    stored.sequence = seq->next() ? seq->value(0).toInt() : 1;
    const Assessment &a = stored.assessment;
    auto q = exec(QStringLiteral("INSERT INTO assessments (change_id, revision, sequence, topology_hash, "
                                 "policy_hash, score, class, flags, destructive, body, computed_at, environment) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                  {stored.changeId, stored.revision, stored.sequence, QString::fromLatin1(stored.topologyHash),
                   QString::fromLatin1(stored.policyHash), a.score, toString(a.riskClass),
                   a.flagCodes().join(u','), destructiveCount(a), stored.json, auditTime(stored.computedAt),
                   a.effectiveEnvironment});
    if (!q)
        return q.error();
    return {};
}

Result<std::vector<StoredAssessment>> SqliteStore::loadAssessments(const QString &where,
                                                                   const QVariantList &values)
{
    auto q = exec(QStringLiteral("SELECT %1 FROM assessments WHERE %2").arg(kAssessmentColumns, where), values);
    if (!q)
        return q.error();
    std::vector<StoredAssessment> out;
    while (q->next()) {
        StoredAssessment s;
        s.changeId = q->value(0).toString();
        s.revision = q->value(1).toInt();
        s.sequence = q->value(2).toInt();
        s.topologyHash = q->value(3).toString().toLatin1();
        s.policyHash = q->value(4).toString().toLatin1();
        s.computedAt = parseTime(q->value(5));
        s.json = q->value(6).toByteArray();
        auto body = assessmentFromBytes(s.json);
        if (!body)
            return makeError(ExitCode::StoreProblem, body.error().reason,
                             QStringLiteral("assessment %1 of change %2 revision %3 in %4: %5")
                                 .arg(s.sequence)
                                 .arg(s.changeId)
                                 .arg(s.revision)
                                 .arg(m_path, body.error().message));
        s.assessment = std::move(*body);
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::optional<StoredAssessment>> SqliteStore::assessment(const QString &changeId, int revision)
{
    auto detail = loadChange(changeId, false);
    if (!detail)
        return detail.error();
    if (revision <= 0)
        revision = detail->summary.latestRevision;
    auto rows = loadAssessments(
        QStringLiteral("change_id = ? AND revision = ? ORDER BY sequence DESC LIMIT 1"), {changeId, revision});
    if (!rows)
        return rows.error();
    if (rows->empty())
        return std::optional<StoredAssessment>();
    return std::optional<StoredAssessment>(std::move(rows->front()));
}

Result<std::vector<StoredAssessment>> SqliteStore::assessments(const QString &changeId)
{
    if (auto detail = loadChange(changeId, false); !detail)
        return detail.error();
    return loadAssessments(QStringLiteral("change_id = ? ORDER BY revision, sequence"), {changeId});
}

Status SqliteStore::fillRisk(std::vector<ChangeSummary *> &summaries, QHash<QString, QString> *environments,
                             const QString &onlyWhere)
{
    // The latest row of each change's latest revision, and that revision's
    // time, in one query (no body parsing: the list stays fast).
    const bool one = summaries.size() == 1;
    const QString sql = QStringLiteral(
        "SELECT c.id, r.created_at, a.score, a.class, a.flags, a.sequence, a.environment FROM changes c "
        "JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision "
        "LEFT JOIN assessments a ON a.change_id = c.id AND a.revision = c.latest_revision "
        "AND a.sequence = (SELECT MAX(sequence) FROM assessments x WHERE x.change_id = c.id "
        "AND x.revision = c.latest_revision)%1")
            .arg(one ? QStringLiteral(" WHERE c.id = ?")
                     : onlyWhere.isEmpty()
                         ? QString()
                         : QStringLiteral(" WHERE c.id IN (SELECT id FROM changes WHERE %1)").arg(onlyWhere));
    auto q = one ? exec(sql, {summaries.front()->id}) : exec(sql);
    if (!q)
        return q.error();
    QHash<QString, ChangeSummary *> byId;
    for (ChangeSummary *s : summaries)
        byId.insert(s->id, s);
    while (q->next()) {
        ChangeSummary *s = byId.value(q->value(0).toString(), nullptr);
        if (!s)
            continue;
        if (!q->value(2).isNull()) {
            s->riskScore = q->value(2).toInt();
            s->riskClass = parseImpact(q->value(3).toString());
            s->riskFlags = q->value(4).toString().split(u',', Qt::SkipEmptyParts);
            s->assessmentSequence = q->value(5).toInt();
            if (environments)
                environments->insert(s->id, q->value(6).toString());
        }
        // The deadline is the verdict's SLA deadline (computeVerdict sets it).
    }
    return {};
}

} // namespace hp
