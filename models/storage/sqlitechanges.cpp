#include "storage/sqlitestore.h"

#include "review/reviewrules.h"

#include <QHash>

// Reading changes. Verdicts are always recomputed from decisions and events
// (review/reviewrules.h); the status column is a cache for nobody but SQL.
namespace hp {

namespace {

const QString kChangeColumns = QStringLiteral(
    "id, kind, title, agent_principal, agent_name, agent_version, agent_run_id, operator, intent, "
    "declared_impact, environment, target, unregistered, latest_revision, created_at, updated_at");
const QString kRevisionColumns = QStringLiteral(
    "change_id, number, submitter, created_at, title, kind, environment, target, content_hash");
const QString kDecisionColumns = QStringLiteral(
    "change_id, id, revision, principal, roles, action, reason, created_at, counts, uncounted");
const QString kTimerColumns = QStringLiteral("change_id, revision, created_at");
const QString kEventColumns =
    QStringLiteral("change_id, kind, revision, principal, reason, created_at");

QDateTime timeOf(const QVariant &v)
{
    return QDateTime::fromString(v.toString(), Qt::ISODateWithMs).toUTC();
}

RoleSet rolesOf(const QString &text)
{
    RoleSet roles;
    const QStringList names = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &name : names) {
        if (const auto r = parseRole(name))
            roles.add(*r);
    }
    return roles;
}

ChangeDetail changeFrom(const QSqlQuery &q)
{
    ChangeDetail d;
    ChangeSummary &s = d.summary;
    s.id = q.value(0).toString();
    s.kind = parseChangeKind(q.value(1).toString()).value_or(ChangeKind::Infra);
    s.title = q.value(2).toString();
    s.agentPrincipal = q.value(3).toString();
    s.agentName = q.value(4).toString();
    d.agentVersion = q.value(5).toString();
    d.agentRunId = q.value(6).toString();
    s.operatorLogin = q.value(7).toString();
    d.intent = q.value(8).toString();
    if (!q.value(9).isNull())
        s.declaredImpact = parseImpact(q.value(9).toString());
    s.environment = q.value(10).toString();
    s.target = q.value(11).toString();
    d.unregisteredAgent = q.value(12).toInt() != 0;
    s.latestRevision = q.value(13).toInt();
    s.createdAt = timeOf(q.value(14));
    s.updatedAt = timeOf(q.value(15));
    return d;
}

RevisionInfo revisionFrom(const QSqlQuery &q)
{
    RevisionInfo r;
    r.number = q.value(1).toInt();
    r.submitter = q.value(2).toString();
    r.createdAt = timeOf(q.value(3));
    r.title = q.value(4).toString();
    r.meta.kind = parseChangeKind(q.value(5).toString()).value_or(ChangeKind::Infra);
    r.meta.environment = q.value(6).toString();
    r.meta.target = q.value(7).toString();
    r.contentHash = q.value(8).toByteArray();
    return r;
}

DecisionRecord decisionFrom(const QSqlQuery &q)
{
    DecisionRecord d;
    d.id = q.value(1).toLongLong();
    d.revision = q.value(2).toInt();
    d.principal = q.value(3).toString();
    d.roles = rolesOf(q.value(4).toString());
    d.action = parseDecisionAction(q.value(5).toString()).value_or(DecisionAction::Comment);
    d.reason = q.value(6).toString();
    d.at = timeOf(q.value(7));
    d.counts = q.value(8).toInt() != 0;
    d.uncounted = parseUncountedReason(q.value(9).toString()).value_or(UncountedReason::None);
    return d;
}

ChangeEvent eventFrom(const QSqlQuery &q)
{
    ChangeEvent e;
    e.kind = parseChangeEventKind(q.value(1).toString()).value_or(ChangeEventKind::Withdrawn);
    e.revision = q.value(2).toInt();
    e.principal = q.value(3).toString();
    e.reason = q.value(4).toString();
    e.at = timeOf(q.value(5));
    return e;
}

// An SLA breach the system actor escalated, read back as a change event.
ChangeEvent timerFrom(const QSqlQuery &q)
{
    ChangeEvent e;
    e.kind = ChangeEventKind::Escalated;
    e.revision = q.value(1).toInt();
    e.principal = QStringLiteral("system");
    e.at = timeOf(q.value(2));
    return e;
}

bool matches(const ListFilter &filter, const Verdict &v)
{
    if (filter.pendingOnly && v.status != ChangeStatus::Pending)
        return false;
    return !filter.status || *filter.status == v.status;
}

} // namespace

Result<std::vector<RevisionInfo>> SqliteStore::loadRevisions(const QString &changeId,
                                                             bool withArtifacts)
{
    auto q = exec(QStringLiteral("SELECT %1 FROM revisions WHERE change_id = ? ORDER BY number")
                      .arg(kRevisionColumns),
                  {changeId});
    if (!q)
        return q.error();
    std::vector<RevisionInfo> out;
    while (q->next())
        out.push_back(revisionFrom(*q));
    if (!withArtifacts)
        return out;
    auto a =
        exec(QStringLiteral("SELECT revision, idx, kind, name, sha256, size, parts FROM artifacts "
                            "WHERE change_id = ? ORDER BY revision, idx"),
             {changeId});
    if (!a)
        return a.error();
    while (a->next()) {
        const int revision = a->value(0).toInt();
        ArtifactInfo info;
        info.index = a->value(1).toInt();
        info.kind = parseArtifactKind(a->value(2).toString()).value_or(ArtifactKind::UnifiedDiff);
        info.name = a->value(3).toString();
        info.sha256 = a->value(4).toByteArray();
        info.size = a->value(5).toLongLong();
        info.parts = a->value(6).toInt();
        for (RevisionInfo &r : out) {
            if (r.number == revision)
                r.artifacts.push_back(info);
        }
    }
    return out;
}

Result<std::vector<DecisionRecord>> SqliteStore::loadDecisions(const QString &changeId)
{
    auto q = exec(QStringLiteral("SELECT %1 FROM decisions WHERE change_id = ? ORDER BY id")
                      .arg(kDecisionColumns),
                  {changeId});
    if (!q)
        return q.error();
    std::vector<DecisionRecord> out;
    while (q->next())
        out.push_back(decisionFrom(*q));
    return out;
}

Result<std::vector<ChangeEvent>> SqliteStore::loadEvents(const QString &changeId)
{
    auto q = exec(QStringLiteral("SELECT %1 FROM change_events WHERE change_id = ? ORDER BY id")
                      .arg(kEventColumns),
                  {changeId});
    if (!q)
        return q.error();
    std::vector<ChangeEvent> out;
    while (q->next())
        out.push_back(eventFrom(*q));
    auto t = exec(QStringLiteral("SELECT %1 FROM timer_events WHERE change_id = ? AND kind = 'sla_breach' "
                                 "AND escalated = 1")
                      .arg(kTimerColumns),
                  {changeId});
    if (!t)
        return t.error();
    while (t->next())
        out.push_back(timerFrom(*t));
    return out;
}

Result<ChangeDetail> SqliteStore::loadChange(const QString &changeId, bool withArtifacts)
{
    ChangeDetail detail;
    {
        auto q = exec(QStringLiteral("SELECT %1 FROM changes WHERE id = ?").arg(kChangeColumns),
                      {changeId});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                             QStringLiteral("no change %1 in %2").arg(changeId, m_path));
        detail = changeFrom(*q);
    }
    auto revisions = loadRevisions(changeId, withArtifacts);
    if (!revisions)
        return revisions.error();
    detail.revisions = std::move(*revisions);
    auto decisions = loadDecisions(changeId);
    if (!decisions)
        return decisions.error();
    detail.decisions = std::move(*decisions);
    auto events = loadEvents(changeId);
    if (!events)
        return events.error();
    detail.events = std::move(*events);
    QHash<QString, QString> environments;
    std::vector<ChangeSummary *> summaries{&detail.summary};
    if (Status s = fillRisk(summaries, &environments); !s)
        return s.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    if (Status s = evaluate(detail, **policy, environments.value(changeId), now()); !s)
        return s.error();
    return detail;
}

Result<ChangeDetail> SqliteStore::change(const QString &changeId)
{
    return loadChange(changeId, true);
}

Result<std::vector<ChangeDetail>> SqliteStore::loadAllChanges(QHash<QString, QString> &environments,
                                                             const QString &onlyWhere)
{
    const QString changesWhere =
        onlyWhere.isEmpty() ? QString() : QStringLiteral(" WHERE %1").arg(onlyWhere);
    // The same selection for the child tables (which all have change_id).
    const QString childWhere =
        onlyWhere.isEmpty()
            ? QString()
            : QStringLiteral(" WHERE change_id IN (SELECT id FROM changes WHERE %1)").arg(onlyWhere);
    const QString childAnd =
        onlyWhere.isEmpty()
            ? QString()
            : QStringLiteral(" AND change_id IN (SELECT id FROM changes WHERE %1)").arg(onlyWhere);
    // Bulk reads grouped in memory: one query per change would not scale to
    // a long history.
    std::vector<ChangeDetail> all;
    QHash<QString, size_t> index;
    auto q = exec(QStringLiteral("SELECT %1 FROM changes%2 ORDER BY created_at DESC, id DESC")
                      .arg(kChangeColumns, changesWhere));
    if (!q)
        return q.error();
    while (q->next()) {
        all.push_back(changeFrom(*q));
        index.insert(all.back().summary.id, all.size() - 1);
    }
    auto each = [&](const QString &sql,
                    const std::function<void(ChangeDetail &, const QSqlQuery &)> &take) -> Status {
        auto rows = exec(sql);
        if (!rows)
            return rows.error();
        while (rows->next()) {
            const auto it = index.constFind(rows->value(0).toString());
            if (it != index.constEnd())
                take(all[*it], *rows);
        }
        return {};
    };
    const Status read[] = {
        each(QStringLiteral("SELECT %1 FROM revisions%2 ORDER BY change_id, number")
                 .arg(kRevisionColumns, childWhere),
             [](ChangeDetail &d, const QSqlQuery &r) { d.revisions.push_back(revisionFrom(r)); }),
        each(QStringLiteral("SELECT %1 FROM decisions%2 ORDER BY id").arg(kDecisionColumns, childWhere),
             [](ChangeDetail &d, const QSqlQuery &r) { d.decisions.push_back(decisionFrom(r)); }),
        each(QStringLiteral("SELECT %1 FROM change_events%2 ORDER BY id").arg(kEventColumns, childWhere),
             [](ChangeDetail &d, const QSqlQuery &r) { d.events.push_back(eventFrom(r)); }),
        each(QStringLiteral("SELECT %1 FROM timer_events WHERE kind = 'sla_breach' AND escalated = 1%2")
                 .arg(kTimerColumns, childAnd),
             [](ChangeDetail &d, const QSqlQuery &r) { d.events.push_back(timerFrom(r)); }),
    };
    for (const Status &s : read) {
        if (!s)
            return s.error();
    }
    std::vector<ChangeSummary *> summaries;
    for (ChangeDetail &d : all)
        summaries.push_back(&d.summary);
    if (Status s = fillRisk(summaries, &environments, onlyWhere); !s)
        return s.error();
    return all;
}

Result<std::vector<ChangeSummary>> SqliteStore::listChanges(const ListFilter &filter)
{
    QHash<QString, QString> environments;
    auto all = loadAllChanges(environments);
    if (!all)
        return all.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    const QDateTime at = filter.asWritten ? QDateTime() : now();
    std::vector<ChangeSummary> out;
    for (ChangeDetail &d : *all) {
        if (Status s = evaluate(d, **policy, environments.value(d.summary.id), at); !s)
            return s.error();
        if (!matches(filter, d.summary.verdict))
            continue;
        out.push_back(std::move(d.summary));
        if (filter.limit > 0 && static_cast<int>(out.size()) >= filter.limit)
            break;
    }
    return out;
}

Result<Artifact> SqliteStore::artifact(const QString &changeId, int revision, int index)
{
    if (revision <= 0) {
        auto latest =
            exec(QStringLiteral("SELECT latest_revision FROM changes WHERE id = ?"), {changeId});
        if (!latest)
            return latest.error();
        if (!latest->next())
            return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                             QStringLiteral("no change %1 in %2").arg(changeId, m_path));
        revision = latest->value(0).toInt();
    }
    Artifact a;
    {
        auto q = exec(QStringLiteral("SELECT kind, name, sha256 FROM artifacts "
                                     "WHERE change_id = ? AND revision = ? AND idx = ?"),
                      {changeId, revision, index});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ExitCode::NotFound, QStringLiteral("unknown_artifact"),
                             QStringLiteral("change %1 revision %2 has no artifact %3")
                                 .arg(changeId)
                                 .arg(revision)
                                 .arg(index));
        a.kind = parseArtifactKind(q->value(0).toString()).value_or(ArtifactKind::UnifiedDiff);
        a.name = q->value(1).toString();
        a.sha256 = q->value(2).toByteArray();
    }
    auto parts = exec(
        QStringLiteral(
            "SELECT bytes FROM artifact_parts WHERE change_id = ? AND revision = ? AND idx = ? "
            "ORDER BY part"),
        {changeId, revision, index});
    if (!parts)
        return parts.error();
    while (parts->next())
        a.parts.push_back(parts->value(0).toByteArray());
    if (a.parts.empty())
        return makeError(ExitCode::StoreProblem, QStringLiteral("artifact_parts"),
                         QStringLiteral("change %1 revision %2 artifact %3 has no stored bytes")
                             .arg(changeId)
                             .arg(revision)
                             .arg(index));
    return a;
}

Status SqliteStore::updateStatusCache(const QString &changeId, const Verdict &verdict)
{
    auto q = exec(
        QStringLiteral("UPDATE changes SET status = ?, escalated = ?, updated_at = ? WHERE id = ?"),
        {toString(verdict.status), verdict.escalated ? 1 : 0, auditTime(now()), changeId});
    if (!q)
        return q.error();
    return {};
}

} // namespace hp
