#include "storage/pgstore.h"

#include "review/reviewrules.h"
#include "storage/artifactrows.h"

#include <QHash>

#include <algorithm>

// Reading changes. Rows, revisions, decisions, events and the latest
// assessment of a set of changes are read in one query each (a list costs
// the same few round trips as one change); the verdict is then computed in
// C++ by computeVerdict under the policy in force with the clock, as a local
// store does (pgpolicy.cpp evaluate), never read from the status column.
namespace hp {

namespace {

QDateTime timeOf(const QVariant &text)
{
    return QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
}

// Columns 0..29 of every change query.
const QString kChangeSelect = QStringLiteral(
    "SELECT c.id, c.kind, c.title, c.agent_principal, c.agent_name, c.operator, c.environment, "
    "c.target, coalesce(c.declared_impact, ''), c.latest_revision, c.created_at, c.updated_at, "
    "c.status, c.escalated, c.required_approvals, c.lead_required, c.full_review, c.sla_seconds, "
    "c.intent, c.agent_version, c.agent_run_id, c.unregistered, "
    "a.score, a.class, a.flags, a.sequence, a.environment, coalesce(a.confirmed, false), "
    "a.policy_hash, "
    "a.topology_hash FROM changes c LEFT JOIN LATERAL (SELECT x.score, x.class, x.flags, "
    "x.sequence, "
    "x.environment, x.confirmed, x.policy_hash, x.topology_hash FROM assessments x WHERE "
    "x.change_id = c.id AND x.revision = c.latest_revision "
    "ORDER BY x.sequence DESC LIMIT 1) a ON true");

PgLoadedChange changeFrom(const QSqlQuery &q)
{
    PgLoadedChange out;
    ChangeSummary &s = out.detail.summary;
    s.id = q.value(0).toString();
    s.kind = parseChangeKind(q.value(1).toString()).value_or(ChangeKind::Infra);
    s.title = q.value(2).toString();
    s.agentPrincipal = q.value(3).toString();
    s.agentName = q.value(4).toString();
    s.operatorLogin = q.value(5).toString();
    s.environment = q.value(6).toString();
    s.target = q.value(7).toString();
    s.declaredImpact = parseImpact(q.value(8).toString());
    s.latestRevision = q.value(9).toInt();
    s.createdAt = timeOf(q.value(10));
    s.updatedAt = timeOf(q.value(11));
    out.storedStatus = parseChangeStatus(q.value(12).toString()).value_or(ChangeStatus::Pending);
    out.storedEscalated = q.value(13).toBool();
    out.requirement.approvals = q.value(14).toInt();
    out.requirement.lead = q.value(15).toBool();
    out.requirement.fullReview = q.value(16).toBool();
    out.requirement.slaSeconds = q.value(17).toLongLong();
    out.detail.intent = q.value(18).toString();
    out.detail.agentVersion = q.value(19).toString();
    out.detail.agentRunId = q.value(20).toString();
    out.detail.unregisteredAgent = q.value(21).toBool();
    if (!q.value(22).isNull()) {
        s.riskScore = q.value(22).toInt();
        s.riskClass = parseImpact(q.value(23).toString());
        s.riskFlags = q.value(24).toString().split(u',', Qt::SkipEmptyParts);
        s.assessmentSequence = q.value(25).toInt();
        out.effectiveEnvironment = q.value(26).toString();
        out.confirmed = q.value(27).toBool();
        out.assessedPolicyHash = q.value(28).toString().toLatin1();
        out.assessedTopologyHash = q.value(29).toString().toLatin1();
    }
    return out;
}

DecisionRecord decisionFrom(const QSqlQuery &q)
{
    DecisionRecord r;
    r.id = q.value(1).toLongLong();
    r.revision = q.value(2).toInt();
    r.principal = q.value(3).toString();
    const QStringList roles = q.value(4).toString().split(u',', Qt::SkipEmptyParts);
    for (const QString &name : roles) {
        if (std::optional<Role> role = parseRole(name))
            r.roles.add(*role);
    }
    r.action = parseDecisionAction(q.value(5).toString()).value_or(DecisionAction::Comment);
    r.reason = q.value(6).toString();
    r.at = timeOf(q.value(7));
    r.counts = q.value(8).toBool();
    r.uncounted = parseUncountedReason(q.value(9).toString()).value_or(UncountedReason::None);
    return r;
}

bool matches(const ListFilter &filter, const Verdict &v)
{
    if (filter.pendingOnly && v.status != ChangeStatus::Pending)
        return false;
    return !filter.status || *filter.status == v.status;
}

} // namespace

Result<std::vector<PgLoadedChange>> PgStore::loadChanges(const QString &where,
                                                         const QVariantList &values)
{
    auto q = m_db.exec(kChangeSelect + where, values);
    if (!q)
        return q.error();
    std::vector<PgLoadedChange> out;
    while (q->next())
        out.push_back(changeFrom(*q));
    if (out.empty())
        return out;
    QStringList ids;
    QHash<QString, size_t> index;
    for (size_t i = 0; i < out.size(); ++i) {
        ids << out[i].detail.summary.id;
        index.insert(ids.back(), i);
        out[i].detail.contributors << out[i].detail.summary.agentPrincipal
                                   << out[i].detail.summary.operatorLogin;
    }
    const QVariantList idArray{pgTextArray(ids)};
    if (Status s = loadRevisions(out, index, idArray); !s)
        return s.error();
    if (Status s = loadDecisionsAndEvents(out, index, idArray); !s)
        return s.error();
    return out;
}

Status PgStore::loadRevisions(std::vector<PgLoadedChange> &changes,
                              const QHash<QString, size_t> &index, const QVariantList &ids)
{
    auto q = m_db.exec(
        QStringLiteral("SELECT change_id, number, submitter, created_at, content_hash, title, "
                       "kind, environment, target FROM revisions "
                       "WHERE change_id = ANY (?::text[]) ORDER BY change_id, number"),
        ids);
    if (!q)
        return q.error();
    while (q->next()) {
        ChangeDetail &d = changes[index.value(q->value(0).toString())].detail;
        RevisionInfo r;
        r.number = q->value(1).toInt();
        r.submitter = q->value(2).toString();
        r.createdAt = timeOf(q->value(3));
        r.contentHash = q->value(4).toByteArray();
        r.title = q->value(5).toString();
        r.meta.kind = parseChangeKind(q->value(6).toString()).value_or(ChangeKind::Infra);
        r.meta.environment = q->value(7).toString();
        r.meta.target = q->value(8).toString();
        if (!d.contributors.contains(r.submitter))
            d.contributors << r.submitter;
        d.revisions.push_back(std::move(r));
    }
    auto a = m_db.exec(
        QStringLiteral(
            "SELECT change_id, revision, idx, kind, name, sha256, size, parts FROM "
            "artifacts WHERE change_id = ANY (?::text[]) ORDER BY change_id, revision, idx"),
        ids);
    if (!a)
        return a.error();
    while (a->next()) {
        ChangeDetail &d = changes[index.value(a->value(0).toString())].detail;
        ArtifactInfo info;
        info.index = a->value(2).toInt();
        info.kind = parseArtifactKind(a->value(3).toString()).value_or(ArtifactKind::UnifiedDiff);
        info.name = a->value(4).toString();
        info.sha256 = a->value(5).toByteArray();
        info.size = a->value(6).toLongLong();
        info.parts = a->value(7).toInt();
        const int revision = a->value(1).toInt();
        if (revision >= 1 && revision <= static_cast<int>(d.revisions.size()))
            d.revisions[static_cast<size_t>(revision - 1)].artifacts.push_back(info);
    }
    return {};
}

Status PgStore::loadDecisionsAndEvents(std::vector<PgLoadedChange> &changes,
                                       const QHash<QString, size_t> &index, const QVariantList &ids)
{
    auto q = m_db.exec(
        QStringLiteral("SELECT change_id, id, revision, principal, roles, action, reason, "
                       "created_at, counts, uncounted FROM decisions "
                       "WHERE change_id = ANY (?::text[]) ORDER BY id"),
        ids);
    if (!q)
        return q.error();
    while (q->next())
        changes[index.value(q->value(0).toString())].detail.decisions.push_back(decisionFrom(*q));
    // Change events, then the SLA breaches the system actor escalated (read
    // back as Escalated events, as a local store does).
    auto e =
        m_db.exec(QStringLiteral(
                      "SELECT change_id, kind, revision, principal, reason, created_at, 0 AS o, id "
                      "FROM change_events WHERE change_id = ANY (?::text[]) "
                      "UNION ALL SELECT change_id, 'escalated', revision, 'system', '', "
                      "created_at, 1, 0 FROM timer_events WHERE change_id = ANY (?::text[]) "
                      "AND kind = 'sla_breach' AND escalated ORDER BY o, id"),
                  {ids.front(), ids.front()});
    if (!e)
        return e.error();
    while (e->next()) {
        ChangeEvent ev;
        const QString kind = e->value(1).toString();
        ev.kind = kind == QLatin1String("escalated")
                      ? ChangeEventKind::Escalated
                      : parseChangeEventKind(kind).value_or(ChangeEventKind::Withdrawn);
        ev.revision = e->value(2).toInt();
        ev.principal = e->value(3).toString();
        ev.reason = e->value(4).toString();
        ev.at = timeOf(e->value(5));
        changes[index.value(e->value(0).toString())].detail.events.push_back(std::move(ev));
    }
    return {};
}

Result<std::vector<ChangeSummary>> PgStore::listChanges(const ListFilter &filter)
{
    // The status column prefilters; the computed verdict decides (the clock
    // may have expired a change whose timer event is not written yet).
    QString where;
    QVariantList values;
    if (filter.status && *filter.status == ChangeStatus::Expired)
        where = QStringLiteral(" WHERE c.status IN ('pending', 'approved', 'expired')");
    else if (filter.status) {
        where = QStringLiteral(" WHERE c.status = ?");
        values << toString(*filter.status);
    } else if (filter.pendingOnly) {
        where = QStringLiteral(" WHERE c.status = 'pending'");
    }
    auto loaded =
        loadChanges(where + QStringLiteral(" ORDER BY c.created_at DESC, c.id DESC"), values);
    if (!loaded)
        return loaded.error();
    std::vector<ChangeSummary> out;
    const QDateTime at = filter.asWritten ? QDateTime() : m_clock();
    for (PgLoadedChange &c : *loaded) {
        if (Status s = evaluate(c, at); !s)
            return s.error();
        if (!matches(filter, c.detail.summary.verdict))
            continue;
        out.push_back(std::move(c.detail.summary));
        if (filter.limit > 0 && static_cast<int>(out.size()) >= filter.limit)
            break;
    }
    return out;
}

Result<PgLoadedChange> PgStore::loadOne(const QString &changeId)
{
    auto loaded = loadChanges(QStringLiteral(" WHERE c.id = ?"), {changeId});
    if (!loaded)
        return loaded.error();
    if (loaded->empty())
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                         QStringLiteral("no change %1").arg(changeId));
    return std::move(loaded->front());
}

// A reviewer's read confirms an assessment an agent's client computed
// (pgassess.cpp) before the verdict is shown, so what a reviewer sees is what
// their own client computed.
Result<ChangeDetail> PgStore::change(const QString &changeId)
{
    auto loaded = loadOne(changeId);
    if (!loaded)
        return loaded.error();
    auto confirmer = readerConfirms();
    if (!confirmer)
        return confirmer.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    // Confirmed under the policy and topology in force, or confirm now while approvals
    // can still come; a contributor's client confirms nothing (the server
    // would not count it).
    auto catalog = catalogInForce();
    if (!catalog)
        return catalog.error();
    const QByteArray topologyHash = *catalog ? (*catalog)->hash : QByteArray();
    const bool fresh = loaded->confirmed && loaded->assessedPolicyHash == (*policy)->hash &&
                       loaded->assessedTopologyHash == topologyHash;
    if (*confirmer && !fresh && loaded->storedStatus == ChangeStatus::Pending &&
        !contributorsOf(loaded->detail).contains(m_sessionUser)) {
        if (Status s = confirmAssessment(readerActor(), loaded->detail); !s)
            return s.error();
        loaded = loadOne(changeId);
        if (!loaded)
            return loaded.error();
    }
    if (Status s = evaluate(*loaded, m_clock()); !s)
        return s.error();
    return std::move(loaded->detail);
}

Result<Verdict> PgStore::loadVerdict(const QString &changeId)
{
    auto loaded = loadOne(changeId);
    if (!loaded)
        return loaded.error();
    if (Status s = evaluate(*loaded, m_clock()); !s)
        return s.error();
    return loaded->detail.summary.verdict;
}

Result<Artifact> PgStore::artifact(const QString &changeId, int revision, int index)
{
    auto meta =
        m_db.exec(QStringLiteral("SELECT kind, name, sha256 FROM artifacts WHERE change_id = ? "
                                 "AND revision = ? AND idx = ?"),
                  {changeId, revision, index});
    if (!meta)
        return meta.error();
    if (!meta->next())
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_artifact"),
                         QStringLiteral("change %1 revision %2 has no artifact %3")
                             .arg(changeId)
                             .arg(revision)
                             .arg(index));
    Artifact out;
    out.kind = parseArtifactKind(meta->value(0).toString()).value_or(ArtifactKind::UnifiedDiff);
    out.name = meta->value(1).toString();
    out.sha256 = meta->value(2).toByteArray();
    // Only reviewer roles and above may read artifact bytes (DESIGN §6): for
    // anyone else the server refuses this query (exit 8).
    auto parts = m_db.exec(QStringLiteral("SELECT bytes FROM artifact_parts WHERE change_id = ? "
                                          "AND revision = ? AND idx = ? ORDER BY part"),
                           {changeId, revision, index});
    if (!parts)
        return parts.error();
    while (parts->next())
        out.parts.push_back(parts->value(0).toByteArray());
    return out;
}

Result<std::vector<Artifact>> PgStore::loadArtifacts(const QString &changeId, int revision)
{
    auto q = m_db.exec(artifactsOfRevisionSql(), {changeId, revision});
    if (!q)
        return q.error();
    return artifactsFromRows(*q);
}

} // namespace hp
