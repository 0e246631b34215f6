#include "storage/pgstore.h"

#include <algorithm>

// Decisions, withdrawals and checks through hp_decide, hp_withdraw and
// hp_record_check: one transaction each, retried on serialization failures
// and deadlocks; the function locks the change row, then the audit head.
namespace hp {

namespace {

QString needsText(const Verdict &v)
{
    if (v.status != ChangeStatus::Pending)
        return {};
    const int more = std::max(0, v.requiredApprovals - v.countedApprovals);
    const bool leadMissing = v.leadRequired && !v.leadPresent;
    if (more == 0 && !leadMissing)
        return {};
    const int n = std::max(more, 1);
    QString text =
        v.countedApprovals == 0
            ? QStringLiteral("needs %1 %2")
                  .arg(n)
                  .arg(n == 1 ? QStringLiteral("approval") : QStringLiteral("approvals"))
            : QStringLiteral("needs %1 more %2")
                  .arg(n)
                  .arg(n == 1 ? QStringLiteral("approval") : QStringLiteral("approvals"));
    if (leadMissing)
        text += QStringLiteral(", from a lead");
    return text;
}

// The verdict columns hp_decide returns from `first` on: status, escalated,
// required approvals, lead required, counted approvers, lead among them.
Verdict verdictFrom(const QSqlQuery &q, int first)
{
    Verdict v;
    v.status = parseChangeStatus(q.value(first).toString()).value_or(ChangeStatus::Pending);
    v.escalated = q.value(first + 1).toBool();
    v.requiredApprovals = q.value(first + 2).toInt();
    v.leadRequired = q.value(first + 3).toBool();
    v.countedApprovals = q.value(first + 4).toInt();
    v.leadPresent = q.value(first + 5).toBool();
    v.rule = QStringLiteral("stored requirement: %1 counted approval(s)%2")
                 .arg(v.requiredApprovals)
                 .arg(v.leadRequired ? QStringLiteral(", one from a lead") : QString());
    v.needs = needsText(v);
    return v;
}

} // namespace

// One statement, one round trip, one durable commit: hp_decide returns the
// verdict after the decision as well. The server refuses an approval whose
// assessment no reviewer's client confirmed (nothing is written then): this
// client confirms it and asks again (pgstore.h). Prepared once per
// connection, so a reviewer's many decisions (decide --batch, the console)
// skip re-planning.
Result<DecideResult> PgStore::decide(const Actor &actor, const DecideRequest &request)
{
    const QString sql =
        QStringLiteral("SELECT r_decision, r_counts, r_uncounted, r_before, r_after, r_escalated, "
                       "r_required, r_lead_required, r_counted, r_lead_present "
                       "FROM hp_decide(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const QVariantList values{
        request.changeId, request.revision, toString(request.action), request.reason, 1, false,
        QString(),        actor.host,       actor.appVersion};
    auto q = m_db.execPrepared(QStringLiteral("hp_decide_call"), sql, values);
    if (!q && q.error().reason == QLatin1String("unconfirmed_assessment")) {
        auto loaded = loadOne(request.changeId);
        if (!loaded)
            return loaded.error();
        if (Status s = confirmAssessment(actor, loaded->detail); !s)
            return s.error();
        q = m_db.execPrepared(QStringLiteral("hp_decide_call"), sql, values);
    }
    if (!q) {
        const Status refused =
            auditRefusal(actor, QStringLiteral("decision.%1").arg(toString(request.action)),
                         request.changeId, q.error());
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
    const Status done =
        call(QStringLiteral("SELECT hp_withdraw(?, ?, ?, ?)"),
             {changeId, reason, actor.host, actor.appVersion}, [&](QSqlQuery &) -> Status {
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
