#include "storage/sqlitestore.h"

// Timer events of DESIGN §5: an SLA breach (escalated by the system actor when
// on_sla_breach says so), expiry of a pending change, lapse of an approval
// (approved → expired). Verdicts already show them on every read; these
// writes make them durable and audited, exactly once each: whoever notices
// first writes them inside BEGIN IMMEDIATE after re-reading, and the primary
// key of timer_events (change, kind) refuses any second write.
namespace hp {

namespace {

// The principal timer events are written as (audit principal_kind "system").
const QString kSystem = QStringLiteral("system");

Actor systemActor(const Actor &noticedBy)
{
    return Actor{kSystem, noticedBy.host, noticedBy.appVersion};
}

} // namespace

Result<TickResult> SqliteStore::tick(const Actor &actor)
{
    return inTransaction<TickResult>([&] { return runTimers(actor); });
}

Status SqliteStore::tickBeforeWrite(const Actor &actor)
{
    auto ticked = tick(actor);
    if (!ticked)
        return ticked.error();
    return {};
}

Result<TickResult> SqliteStore::runTimers(const Actor &actor)
{
    // Timers only run on changes that are, as written, pending or approved.
    // The status column caches the last verdict a write stored, which may
    // already be a clocked `expired` whose timer event is not written yet;
    // decided history is never read, so a tick costs what is open, not what
    // the store has ever seen.
    static const QString open = QStringLiteral(
        "status IN ('pending', 'approved') OR (status = 'expired' AND NOT EXISTS (SELECT 1 FROM "
        "timer_events t WHERE t.change_id = changes.id AND t.kind IN ('expiry', 'approval_lapse')))");
    QHash<QString, QString> environments;
    auto all = loadAllChanges(environments, open);
    if (!all)
        return all.error();
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    TickResult out;
    const QDateTime at = now();
    // Oldest first, so the trail reads in the order the timers fell due.
    for (auto it = all->rbegin(); it != all->rend(); ++it) {
        ChangeDetail written = *it;
        const QString env = environments.value(written.summary.id);
        if (Status s = evaluate(written, **policy, env, QDateTime()); !s)
            return s.error();
        const ChangeStatus status = written.summary.verdict.status;
        if (status != ChangeStatus::Pending && status != ChangeStatus::Approved)
            continue;
        ChangeDetail clocked = *it;
        if (Status s = evaluate(clocked, **policy, env, at); !s)
            return s.error();
        if (Status s = writeTimer(actor, written, clocked.summary.verdict, out); !s)
            return s.error();
    }
    return out;
}

Status SqliteStore::writeTimer(const Actor &actor, const ChangeDetail &written, const Verdict &clocked,
                               TickResult &out)
{
    const Verdict &was = written.summary.verdict;
    const QString &id = written.summary.id;
    const RevisionInfo &latest = written.revisions.back();
    QString kind;
    QString action;
    QDateTime due;
    bool escalate = false;
    if (was.status == ChangeStatus::Pending && clocked.status == ChangeStatus::Expired) {
        kind = QStringLiteral("expiry");
        action = QStringLiteral("change.expire");
        due = clocked.expiresAt;
    } else if (was.status == ChangeStatus::Approved && clocked.status == ChangeStatus::Expired) {
        kind = QStringLiteral("approval_lapse");
        action = QStringLiteral("change.approval_lapse");
        due = clocked.approvalExpiresAt;
    } else if (was.status == ChangeStatus::Pending && clocked.slaBreached) {
        auto known = exec(QStringLiteral("SELECT 1 FROM timer_events WHERE change_id = ? AND kind = 'sla_breach'"),
                          {id});
        if (!known)
            return known.error();
        if (known->next())
            return {};
        kind = QStringLiteral("sla_breach");
        action = QStringLiteral("change.sla_breach");
        due = clocked.slaDeadline;
        escalate = clocked.escalated && !was.escalated;
    } else {
        return {};
    }
    const QString time = auditTime(now());
    if (auto q = exec(QStringLiteral("INSERT INTO timer_events (change_id, kind, revision, due_at, escalated, "
                                     "created_at) VALUES (?, ?, ?, ?, ?, ?)"),
                      {id, kind, latest.number, auditTime(due), escalate ? 1 : 0, time});
        !q)
        return q.error();
    if (clocked.status == ChangeStatus::Expired) {
        if (auto q = exec(QStringLiteral("INSERT INTO change_events (change_id, revision, kind, principal, reason, "
                                         "created_at) VALUES (?, ?, 'expired', ?, ?, ?)"),
                          {id, latest.number, kSystem, kind, time});
            !q)
            return q.error();
        if (Status s = updateStatusCache(id, clocked); !s)
            return s;
    } else if (escalate) {
        if (Status s = updateStatusCache(id, clocked); !s)
            return s;
    }
    AuditRecord entry;
    entry.action = action;
    entry.principalKind = PrincipalKind::System;
    entry.changeId = id;
    entry.revision = latest.number;
    entry.contentHash = latest.contentHash;
    entry.reasonCode = kind;
    entry.statusBefore = was.status;
    entry.statusAfter = clocked.status;
    entry.payload = QJsonObject{{QStringLiteral("due_at"), auditTime(due)},
                                {QStringLiteral("escalated"), escalate},
                                {QStringLiteral("noticed_by"), actor.login}};
    if (Status s = appendAudit(systemActor(actor), entry); !s)
        return s;
    if (kind == QLatin1String("expiry"))
        ++out.expired;
    else if (kind == QLatin1String("approval_lapse"))
        ++out.approvalsLapsed;
    else if (escalate)
        ++out.escalated;
    out.changes << id;
    return {};
}

} // namespace hp
