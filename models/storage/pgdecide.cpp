#include "storage/pgstore.h"

// Decisions, withdrawals and checks through hp_decide, hp_withdraw and
// hp_record_check: one transaction each, retried on serialization failures
// and deadlocks; the function locks the change row, then the audit head.
namespace hp {

// One statement, one round trip, one durable commit: hp_decide returns the
// verdict after the decision as well. Prepared once per connection, so a
// reviewer's many decisions (decide --batch, the console) skip re-planning.
Result<DecideResult> PgStore::decide(const Actor &actor, const DecideRequest &request)
{
    auto q = m_db.execPrepared(
        QStringLiteral("hp_decide_call"),
        QStringLiteral("SELECT r_decision, r_counts, r_uncounted, r_before, r_after, r_escalated, "
                       "r_required, r_lead_required, r_counted, r_lead_present "
                       "FROM hp_decide(?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {request.changeId, request.revision, toString(request.action), request.reason, 1, false,
         QString(), actor.host, actor.appVersion});
    if (!q) {
        const Status refused = auditRefusal(
            actor, QStringLiteral("decision.%1").arg(toString(request.action)), request.changeId,
            q.error());
        return refused.error();
    }
    if (!q->next())
        return makeError(ExitCode::StoreProblem, QStringLiteral("decide"),
                         QStringLiteral("hp_decide returned nothing"));
    DecideResult result;
    result.decisionId = q->value(0).toLongLong();
    result.counts = q->value(1).toBool();
    result.uncounted = parseUncountedReason(q->value(2).toString()).value_or(UncountedReason::None);
    result.before = parseChangeStatus(q->value(3).toString()).value_or(ChangeStatus::Pending);
    result.verdict = verdictFrom(*q, 4);
    return result;
}

Result<Verdict> PgStore::withdrawChange(const Actor &actor, const QString &changeId,
                                        const QString &reason)
{
    Verdict after;
    const Status done = call(QStringLiteral("SELECT hp_withdraw(?, ?, ?, ?)"),
                             {changeId, reason, actor.host, actor.appVersion},
                             [&](QSqlQuery &) -> Status {
                                 auto verdict = loadVerdict(changeId);
                                 if (!verdict)
                                     return verdict.error();
                                 after = *verdict;
                                 return {};
                             });
    if (Status s = auditRefusal(actor, QStringLiteral("change.withdraw"), changeId, done); !s)
        return s.error();
    return after;
}

Status PgStore::recordCheck(const Actor &actor, const QString &changeId, int revision, bool passed,
                            const QString &reasonCode, const QString &detail)
{
    return call(QStringLiteral("SELECT hp_record_check(?, ?, ?, ?, ?, ?, ?)"),
                {changeId, revision, passed, reasonCode, detail, actor.host, actor.appVersion});
}

} // namespace hp
