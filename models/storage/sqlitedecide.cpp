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
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
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
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    auto environment = effectiveEnvironmentOf(detail.summary.id);
    if (!environment)
        return environment.error();
    auto facts = factsOf(detail, (*policy)->policy, *environment);
    if (!facts)
        return facts.error();
    const ActionCheck check = checkAction(detail, *who, request.action, request.reason, (*policy)->policy, *facts);
    if (!check.allowed)
        return check.denial;

    DecideResult result;
    result.before = detail.summary.verdict.status;
    const QString time = auditTime(now());
    auto id = insertDecision(actor, detail, *who, request, check, time);
    if (!id)
        return id.error();
    // detail now holds the new decision; coverage is judged at its time.
    if (Status s = evaluate(detail, **policy, *environment, now()); !s)
        return s.error();
    result.verdict = detail.summary.verdict;
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
                                {QStringLiteral("escalated"), result.verdict.escalated},
                                {QStringLiteral("decided_at"), time}};
    if (Status s = appendAudit(actor, entry); !s)
        return s.error();
    if (result.before == ChangeStatus::Rejected && result.verdict.status == ChangeStatus::Pending) {
        if (Status s = recordReopening(actor, detail, request.reason, result.decisionId, time); !s)
            return s.error();
    }
    if (Status s = updateStatusCache(detail.summary.id, result.verdict); !s)
        return s.error();
    if (detail.summary.kind == ChangeKind::Policy && result.before == ChangeStatus::Pending &&
        result.verdict.status == ChangeStatus::Approved) {
        if (Status s = adoptPolicy(actor, detail); !s)
            return s.error();
    }
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
                 "created_at, counts, uncounted, policy_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
             {detail.summary.id, latest.number, actor.login, who.roles.names().join(u','),
              toString(request.action), request.reason, time, check.counts ? 1 : 0,
              toString(check.uncounted), QString::fromLatin1(detail.summary.verdict.policyHash)});
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
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
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
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    if (Status s = evaluate(detail, **policy, QString(), now()); !s)
        return s.error();
    const Verdict after = detail.summary.verdict;
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
    if (Status s = tickBeforeWrite(actor); !s)
        return s;
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

Result<Verdict> SqliteStore::consumeApproval(const Actor &actor, const QString &changeId, int revision,
                                             const QString &detail)
{
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
    return auditRefusal<Verdict>(actor, QStringLiteral("check.consume"), changeId,
                                 inTransaction<Verdict>([&]() -> Result<Verdict> {
        auto loaded = loadChange(changeId, false);
        if (!loaded)
            return loaded.error();
        const Verdict &v = loaded->summary.verdict;
        const RevisionInfo &latest = latestOf(*loaded);
        if (v.status != ChangeStatus::Approved || latest.number != revision)
            return makeError(ExitCode::Denied, QStringLiteral("not_approved"),
                             QStringLiteral("change %1 revision %2 is not approved (%3): nothing to consume")
                                 .arg(changeId).arg(revision).arg(toString(v.status)));
        for (const ChangeEvent &e : loaded->events) {
            if (e.kind == ChangeEventKind::Consumed && e.revision == revision)
                return makeError(ExitCode::Denied, QStringLiteral("consumed"),
                                 QStringLiteral("the approval of change %1 revision %2 was already consumed "
                                                "by %3 at %4: an approval is used once")
                                     .arg(changeId).arg(revision).arg(e.principal, auditTime(e.at)));
        }
        const QString time = auditTime(now());
        if (auto q = exec(QStringLiteral("INSERT INTO change_events (change_id, revision, kind, principal, reason, "
                                         "created_at) VALUES (?, ?, 'consumed', ?, ?, ?)"),
                          {changeId, revision, actor.login, detail, time});
            !q)
            return q.error();
        if (auto q = exec(QStringLiteral("INSERT INTO checks (change_id, revision, principal, passed, reason_code, "
                                         "detail, created_at) VALUES (?, ?, ?, 1, 'ok', ?, ?)"),
                          {changeId, revision, actor.login, detail, time});
            !q)
            return q.error();
        AuditRecord entry;
        entry.action = QStringLiteral("check");
        entry.changeId = changeId;
        entry.revision = revision;
        entry.contentHash = latest.contentHash;
        entry.reasonCode = QStringLiteral("ok");
        entry.reason = detail;
        entry.payload = QJsonObject{{QStringLiteral("passed"), true}, {QStringLiteral("consumed"), true}};
        if (Status s = appendAudit(actor, entry); !s)
            return s.error();
        return v;
    }));
}

} // namespace hp
