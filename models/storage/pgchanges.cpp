#include "storage/pgstore.h"

// Reading changes. The verdict comes from the columns hp_decide and
// hp_submit maintain under the change's row lock (status, escalated, the
// approval requirement) and the counted decisions of the latest revision.
namespace hp {

namespace {

QDateTime timeOf(const QVariant &text)
{
    return QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
}

// Columns 0..17 of every summary query.
const QString kSummarySelect = QStringLiteral(
    "SELECT c.id, c.kind, c.title, c.agent_principal, c.agent_name, c.operator, c.environment, "
    "c.target, coalesce(c.declared_impact, ''), c.latest_revision, c.created_at, c.updated_at, "
    "c.status, c.escalated, c.required_approvals, c.lead_required, "
    "(SELECT count(DISTINCT d.principal) FROM decisions d WHERE d.change_id = c.id "
    "  AND d.revision = c.latest_revision AND d.counts AND d.action = 'approve'), "
    "coalesce((SELECT bool_or(d.roles LIKE '%lead%') FROM decisions d WHERE d.change_id = c.id "
    "  AND d.revision = c.latest_revision AND d.counts AND d.action = 'approve'), false) "
    "FROM changes c");

QString needsText(const Verdict &v)
{
    if (v.status != ChangeStatus::Pending)
        return {};
    const int more = std::max(0, v.requiredApprovals - v.countedApprovals);
    QString text = more == 1 ? QStringLiteral("needs 1 more approval")
                             : QStringLiteral("needs %1 more approvals").arg(more);
    if (v.leadRequired && !v.leadPresent)
        text += more > 0 ? QStringLiteral(", from a lead") : QStringLiteral("needs a lead's approval");
    return text;
}

ChangeSummary summaryFrom(const QSqlQuery &q)
{
    ChangeSummary s;
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
    return s;
}

} // namespace

Verdict PgStore::verdictFrom(const QSqlQuery &q, int first) const
{
    Verdict v;
    v.status = parseChangeStatus(q.value(first).toString()).value_or(ChangeStatus::Pending);
    v.escalated = q.value(first + 1).toBool();
    v.requiredApprovals = q.value(first + 2).toInt();
    v.leadRequired = q.value(first + 3).toBool();
    v.countedApprovals = q.value(first + 4).toInt();
    v.leadPresent = q.value(first + 5).toBool();
    v.rule = QStringLiteral("team mode: %1 counted approval(s)%2")
                 .arg(v.requiredApprovals)
                 .arg(v.leadRequired ? QStringLiteral(", one from a lead") : QString());
    v.needs = needsText(v);
    return v;
}

Result<Verdict> PgStore::loadVerdict(const QString &changeId)
{
    auto q = m_db.exec(kSummarySelect + QStringLiteral(" WHERE c.id = ?"), {changeId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                         QStringLiteral("no change %1").arg(changeId));
    return verdictFrom(*q, 12);
}

Result<std::vector<ChangeSummary>> PgStore::listChanges(const ListFilter &filter)
{
    QString sql = kSummarySelect;
    QVariantList values;
    if (filter.status) {
        sql += QStringLiteral(" WHERE c.status = ?");
        values << toString(*filter.status);
    } else if (filter.pendingOnly) {
        sql += QStringLiteral(" WHERE c.status = 'pending'");
    }
    sql += QStringLiteral(" ORDER BY c.created_at DESC, c.id DESC");
    if (filter.limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);
    auto q = m_db.exec(sql, values);
    if (!q)
        return q.error();
    std::vector<ChangeSummary> out;
    while (q->next()) {
        ChangeSummary s = summaryFrom(*q);
        s.verdict = verdictFrom(*q, 12);
        out.push_back(std::move(s));
    }
    return out;
}

Result<ChangeDetail> PgStore::change(const QString &changeId)
{
    auto q = m_db.exec(kSummarySelect.left(kSummarySelect.lastIndexOf(QLatin1String(" FROM"))) +
                           QStringLiteral(", c.intent, c.agent_version, c.agent_run_id, "
                                          "c.unregistered FROM changes c WHERE c.id = ?"),
                       {changeId});
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                         QStringLiteral("no change %1").arg(changeId));
    ChangeDetail d;
    d.summary = summaryFrom(*q);
    d.summary.verdict = verdictFrom(*q, 12);
    d.intent = q->value(18).toString();
    d.agentVersion = q->value(19).toString();
    d.agentRunId = q->value(20).toString();
    d.unregisteredAgent = q->value(21).toBool();
    d.contributors << d.summary.agentPrincipal << d.summary.operatorLogin;
    if (Status s = loadRevisions(d); !s)
        return s.error();
    if (Status s = loadDecisions(d); !s)
        return s.error();
    return d;
}

Status PgStore::loadRevisions(ChangeDetail &d)
{
    auto q = m_db.exec(QStringLiteral("SELECT number, submitter, created_at, content_hash, title, kind, "
                                      "environment, target FROM revisions WHERE change_id = ? "
                                      "ORDER BY number"),
                       {d.summary.id});
    if (!q)
        return q.error();
    while (q->next()) {
        RevisionInfo r;
        r.number = q->value(0).toInt();
        r.submitter = q->value(1).toString();
        r.createdAt = timeOf(q->value(2));
        r.contentHash = q->value(3).toByteArray();
        r.title = q->value(4).toString();
        r.meta.kind = parseChangeKind(q->value(5).toString()).value_or(ChangeKind::Infra);
        r.meta.environment = q->value(6).toString();
        r.meta.target = q->value(7).toString();
        if (!d.contributors.contains(r.submitter))
            d.contributors << r.submitter;
        d.revisions.push_back(std::move(r));
    }
    auto a = m_db.exec(QStringLiteral("SELECT revision, idx, kind, name, sha256, size, parts FROM "
                                      "artifacts WHERE change_id = ? ORDER BY revision, idx"),
                       {d.summary.id});
    if (!a)
        return a.error();
    while (a->next()) {
        ArtifactInfo info;
        info.index = a->value(1).toInt();
        info.kind = parseArtifactKind(a->value(2).toString()).value_or(ArtifactKind::UnifiedDiff);
        info.name = a->value(3).toString();
        info.sha256 = a->value(4).toByteArray();
        info.size = a->value(5).toLongLong();
        info.parts = a->value(6).toInt();
        const int revision = a->value(0).toInt();
        if (revision >= 1 && revision <= static_cast<int>(d.revisions.size()))
            d.revisions[static_cast<size_t>(revision - 1)].artifacts.push_back(info);
    }
    return {};
}

Status PgStore::loadDecisions(ChangeDetail &d)
{
    auto q = m_db.exec(QStringLiteral("SELECT id, revision, principal, roles, action, reason, "
                                      "created_at, counts, uncounted FROM decisions "
                                      "WHERE change_id = ? ORDER BY id"),
                       {d.summary.id});
    if (!q)
        return q.error();
    while (q->next()) {
        DecisionRecord r;
        r.id = q->value(0).toLongLong();
        r.revision = q->value(1).toInt();
        r.principal = q->value(2).toString();
        const QStringList roles = q->value(3).toString().split(u',', Qt::SkipEmptyParts);
        for (const QString &name : roles) {
            if (std::optional<Role> role = parseRole(name))
                r.roles.add(*role);
        }
        r.action = parseDecisionAction(q->value(4).toString()).value_or(DecisionAction::Comment);
        r.reason = q->value(5).toString();
        r.at = timeOf(q->value(6));
        r.counts = q->value(7).toBool();
        r.uncounted = parseUncountedReason(q->value(8).toString()).value_or(UncountedReason::None);
        d.decisions.push_back(std::move(r));
    }
    return {};
}

Result<Artifact> PgStore::artifact(const QString &changeId, int revision, int index)
{
    auto meta = m_db.exec(QStringLiteral("SELECT kind, name, sha256 FROM artifacts WHERE change_id = ? "
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

} // namespace hp
