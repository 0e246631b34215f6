#include "storage/sqlitestore.h"

#include "review/reviewrules.h"

// Decisions, withdrawals and checks. A decision is one transaction (DESIGN
// §6): lock, check the revision is current and the principal may act, insert
// the decision, recompute the verdict, append the audit entry.
namespace hp {

namespace {

const RevisionInfo &latestOf(const ChangeDetail &c)
{
    return c.revisions.back();
}

} // namespace

Result<DecideResult> SqliteStore::decide(const Actor &actor, const DecideRequest &request)
{
    const QString action = QStringLiteral("decision.%1").arg(toString(request.action));
    return auditRefusal<DecideResult>(
        actor, action, request.changeId,
        inTransaction<DecideResult>([&] { return decideInTransaction(actor, request); }));
}

Result<DecideResult> SqliteStore::decideInTransaction(const Actor &actor,
                                                      const DecideRequest &request)
{
    auto loaded = loadChange(request.changeId, false);
    if (!loaded)
        return loaded.error();
    ChangeDetail &detail = *loaded;
    const RevisionInfo &latest = latestOf(detail);
    if (request.revision != 0 && request.revision != latest.number)
        return makeError(
            ExitCode::Mismatch, QStringLiteral("outdated_revision"),
            QStringLiteral(
                "change %1 is at revision %2, not %3: decisions act on the latest revision")
                .arg(detail.summary.id)
                .arg(latest.number)
                .arg(request.revision));
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    const ActionCheck check = checkAction(detail, *who, request.action, request.reason);
    if (!check.allowed)
        return check.denial;

    DecideResult result;
    result.before = detail.summary.verdict.status;
    const QString time = auditTime(now());
    auto id = insertDecision(actor, detail, *who, request, check, time);
    if (!id)
        return id.error();
    result.verdict = computeVerdict(detail); // detail now holds the new decision
    result.decisionId = *id;
    result.counts = detail.decisions.back().counts;
    result.uncounted = detail.decisions.back().uncounted;

    AuditRecord entry;
    entry.action = QStringLiteral("decision.%1").arg(toString(request.action));
    entry.changeId = detail.summary.id;
    entry.revision = latest.number;
    entry.contentHash = latest.contentHash;
    entry.reason = request.reason;
    entry.statusBefore = result.before;
    entry.statusAfter = result.verdict.status;
    entry.payload = QJsonObject{{QStringLiteral("decision_id"), result.decisionId},
                                {QStringLiteral("counts"), result.counts},
                                {QStringLiteral("uncounted"), toString(result.uncounted)},
                                {QStringLiteral("escalated"), result.verdict.escalated}};
    if (Status s = appendAudit(actor, entry); !s)
        return s.error();
    if (result.before == ChangeStatus::Rejected && result.verdict.status == ChangeStatus::Pending) {
        if (Status s = recordReopening(actor, detail, request.reason, result.decisionId, time); !s)
            return s.error();
    }
    if (Status s = updateStatusCache(detail.summary.id, result.verdict); !s)
        return s.error();
    return result;
}

Result<qint64> SqliteStore::insertDecision(const Actor &actor, ChangeDetail &detail,
                                           const PrincipalInfo &who, const DecideRequest &request,
                                           const ActionCheck &check, const QString &time)
{
    const RevisionInfo &latest = latestOf(detail);
    auto inserted =
        exec(QStringLiteral(
                 "INSERT INTO decisions (change_id, revision, principal, roles, action, reason, "
                 "created_at, counts, uncounted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
             {detail.summary.id, latest.number, actor.login, who.roles.names().join(u','),
              toString(request.action), request.reason, time, check.counts ? 1 : 0,
              toString(check.uncounted)});
    if (!inserted)
        return inserted.error();
    DecisionRecord record;
    record.id = inserted->lastInsertId().toLongLong();
    record.revision = latest.number;
    record.principal = actor.login;
    record.roles = who.roles;
    record.action = request.action;
    record.reason = request.reason;
    record.at = parseTime(time);
    detail.decisions.push_back(record);
    return record.id;
}

// The last standing reject was withdrawn or overridden: a reopening, as an
// event and in the trail.
Status SqliteStore::recordReopening(const Actor &actor, const ChangeDetail &detail,
                                    const QString &reason, qint64 decisionId, const QString &time)
{
    const RevisionInfo &latest = latestOf(detail);
    if (auto q =
            exec(QStringLiteral(
                     "INSERT INTO change_events (change_id, revision, kind, principal, reason, "
                     "created_at) VALUES (?, ?, 'reopened', ?, ?, ?)"),
                 {detail.summary.id, latest.number, actor.login, reason, time});
        !q)
        return q.error();
    AuditRecord reopen;
    reopen.action = QStringLiteral("change.reopen");
    reopen.changeId = detail.summary.id;
    reopen.revision = latest.number;
    reopen.contentHash = latest.contentHash;
    reopen.reason = reason;
    reopen.statusBefore = ChangeStatus::Rejected;
    reopen.statusAfter = ChangeStatus::Pending;
    reopen.payload = QJsonObject{{QStringLiteral("decision_id"), decisionId}};
    return appendAudit(actor, reopen);
}

Result<Verdict> SqliteStore::withdrawChange(const Actor &actor, const QString &changeId,
                                            const QString &reason)
{
    return auditRefusal<Verdict>(
        actor, QStringLiteral("change.withdraw"), changeId,
        inTransaction<Verdict>([&] { return withdrawInTransaction(actor, changeId, reason); }));
}

Result<Verdict> SqliteStore::withdrawInTransaction(const Actor &actor, const QString &changeId,
                                                   const QString &reason)
{
    auto loaded = loadChange(changeId, false);
    if (!loaded)
        return loaded.error();
    ChangeDetail &detail = *loaded;
    const ChangeStatus before = detail.summary.verdict.status;
    bool submitter = actor.login == detail.summary.agentPrincipal;
    for (const RevisionInfo &r : detail.revisions)
        submitter = submitter || r.submitter == actor.login;
    if (!submitter)
        return makeError(
            ExitCode::Denied, QStringLiteral("not_contributor"),
            QStringLiteral("only the agent that proposed change %1, or a submitter of it, may "
                           "withdraw it")
                .arg(changeId));
    if (before != ChangeStatus::Pending && before != ChangeStatus::Rejected)
        return makeError(
            ExitCode::Denied, QStringLiteral("not_withdrawable"),
            QStringLiteral("change %1 is %2: only pending or rejected changes can be withdrawn")
                .arg(changeId, toString(before)));
    const RevisionInfo &latest = latestOf(detail);
    const QString time = auditTime(now());
    if (auto q =
            exec(QStringLiteral(
                     "INSERT INTO change_events (change_id, revision, kind, principal, reason, "
                     "created_at) VALUES (?, ?, 'withdrawn', ?, ?, ?)"),
                 {changeId, latest.number, actor.login, reason, time});
        !q)
        return q.error();
    detail.events.push_back(ChangeEvent{ChangeEventKind::Withdrawn, latest.number, actor.login,
                                        reason, parseTime(time)});
    const Verdict after = computeVerdict(detail);
    if (Status s = updateStatusCache(changeId, after); !s)
        return s.error();
    AuditRecord entry;
    entry.action = QStringLiteral("change.withdraw");
    entry.changeId = changeId;
    entry.revision = latest.number;
    entry.contentHash = latest.contentHash;
    entry.reason = reason;
    entry.statusBefore = before;
    entry.statusAfter = after.status;
    if (Status s = appendAudit(actor, entry); !s)
        return s.error();
    return after;
}

Status SqliteStore::recordCheck(const Actor &actor, const QString &changeId, int revision,
                                bool passed, const QString &reasonCode, const QString &detail)
{
    return inTransaction<void>([&]() -> Status {
        auto loaded = loadChange(changeId, false);
        if (!loaded)
            return loaded.error();
        const int number = revision > 0 ? revision : latestOf(*loaded).number;
        QByteArray hash;
        for (const RevisionInfo &r : loaded->revisions) {
            if (r.number == number)
                hash = r.contentHash;
        }
        if (hash.isEmpty())
            return makeError(
                ExitCode::NotFound, QStringLiteral("unknown_revision"),
                QStringLiteral("change %1 has no revision %2").arg(changeId).arg(number));
        if (auto q =
                exec(QStringLiteral(
                         "INSERT INTO checks (change_id, revision, principal, passed, reason_code, "
                         "detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                     {changeId, number, actor.login, passed ? 1 : 0, reasonCode, detail,
                      auditTime(now())});
            !q)
            return q.error();
        AuditRecord entry;
        entry.action = QStringLiteral("check");
        entry.changeId = changeId;
        entry.revision = number;
        entry.contentHash = hash;
        entry.reasonCode = reasonCode;
        entry.reason = detail;
        entry.payload = QJsonObject{{QStringLiteral("passed"), passed}};
        return appendAudit(actor, entry);
    });
}

} // namespace hp
