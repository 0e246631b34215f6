#include "storage/sqlitestore.h"

#include "review/reviewrules.h"
#include "storage/historyrow.h"

// The executor's report (DESIGN §8 `report`) and the History rows (§9).
//
// history() streams: five queries ordered by change id (changes, revisions,
// decisions, events, assessments) are merged like sorted runs, so one change
// is in memory at a time and there is no query per row. Verdicts are
// recomputed from decisions and events (reviewrules), never read from the
// status cache.
namespace hp {

namespace {

// A forward cursor over a query ordered by change id (column 0).
struct Run
{
    QSqlQuery q;
    bool valid = false;
    QString key;
    void advance()
    {
        valid = q.next();
        key = valid ? q.value(0).toString() : QString();
    }
    // Calls `take` for every row of `id`; skips rows of ids before it.
    template<class F> void each(const QString &id, F &&take)
    {
        while (valid && key < id)
            advance();
        while (valid && key == id) {
            take(q);
            advance();
        }
    }
};

RoleSet rolesFrom(const QString &text)
{
    RoleSet roles;
    for (QStringView name : QStringView(text).split(u',', Qt::SkipEmptyParts)) {
        if (const auto r = parseRole(name))
            roles.add(*r);
    }
    return roles;
}

// Fills the parts of `d` the verdict needs from the runs at `id`.
void readChange(ChangeDetail &d, Run &revisions, Run &decisions, Run &events)
{
    revisions.each(d.summary.id, [&](const QSqlQuery &q) {
        RevisionInfo r;
        r.number = q.value(1).toInt();
        r.submitter = q.value(2).toString();
        r.createdAt = parseStoreTime(q.value(3).toString());
        r.contentHash = q.value(4).toByteArray();
        d.revisions.push_back(std::move(r));
    });
    decisions.each(d.summary.id, [&](const QSqlQuery &q) {
        DecisionRecord r;
        r.id = q.value(1).toLongLong();
        r.revision = q.value(2).toInt();
        r.principal = q.value(3).toString();
        r.roles = rolesFrom(q.value(4).toString());
        r.action = parseDecisionAction(q.value(5).toString()).value_or(DecisionAction::Comment);
        r.at = parseStoreTime(q.value(6).toString());
        d.decisions.push_back(std::move(r));
    });
    events.each(d.summary.id, [&](const QSqlQuery &q) {
        ChangeEvent e;
        e.kind = parseChangeEventKind(q.value(1).toString()).value_or(ChangeEventKind::Withdrawn);
        e.revision = q.value(2).toInt();
        e.principal = q.value(3).toString();
        e.at = parseStoreTime(q.value(4).toString());
        d.events.push_back(std::move(e));
    });
}

// Judged under the policy in force as written (decided changes: the timer
// events that decided them are written).
std::optional<HistoryRow> rowOf(ChangeDetail &d, const HistoryAssessment &a, const Policy &policy)
{
    ReviewFacts facts;
    facts.environment = d.summary.environment;
    if (a.revision == d.summary.latestRevision || d.summary.latestRevision == 0)
        facts.riskClass = a.riskClass;
    computeVerdict(d, policy, facts, QDateTime());
    return historyRowOf(d, a);
}

} // namespace

// Rows whose decidedAt lies in [from, to] (either end open when invalid),
// ascending by change id (ULIDs: submission order).
Result<std::vector<HistoryRow>> SqliteStore::history(const HistoryQuery &query)
{
    const QString sql[] = {
        QStringLiteral("SELECT id, title, agent_principal, agent_name, operator, environment, "
                       "created_at, updated_at FROM changes ORDER BY id"),
        QStringLiteral("SELECT change_id, number, submitter, created_at, content_hash FROM "
                       "revisions ORDER BY change_id, number"),
        QStringLiteral("SELECT change_id, id, revision, principal, roles, action, created_at FROM "
                       "decisions ORDER BY change_id, id"),
        QStringLiteral("SELECT change_id, kind, revision, principal, created_at FROM change_events "
                       "ORDER BY change_id, id"),
        QStringLiteral("SELECT change_id, revision, score, class FROM assessments "
                       "ORDER BY change_id, revision, sequence"),
    };
    std::vector<Run> runs;
    for (const QString &text : sql) {
        auto q = exec(text);
        if (!q)
            return q.error();
        runs.push_back(Run{std::move(*q), false, QString()});
        runs.back().advance();
    }
    Run &changes = runs[0];
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    std::vector<HistoryRow> out;
    for (; changes.valid; changes.advance()) {
        const QSqlQuery &q = changes.q;
        ChangeDetail d;
        d.summary.id = changes.key;
        d.summary.title = q.value(1).toString();
        d.summary.agentPrincipal = q.value(2).toString();
        d.summary.agentName = q.value(3).toString();
        d.summary.operatorLogin = q.value(4).toString();
        d.summary.environment = q.value(5).toString();
        d.summary.createdAt = parseStoreTime(q.value(6).toString());
        d.summary.updatedAt = parseStoreTime(q.value(7).toString());
        readChange(d, runs[1], runs[2], runs[3]);
        HistoryAssessment latest; // the last row is the latest revision's latest sequence
        runs[4].each(d.summary.id, [&](const QSqlQuery &a) {
            latest.revision = a.value(1).toInt();
            latest.score = a.value(2).toInt();
            latest.riskClass = parseImpact(a.value(3).toString());
        });
        std::optional<HistoryRow> row = rowOf(d, latest, (*policy)->policy);
        if (row && inHistoryRange(query, row->decidedAt))
            out.push_back(std::move(*row));
    }
    return out;
}

Result<Verdict> SqliteStore::reportOutcome(const Actor &actor, const QString &changeId,
                                           bool applied, const QString &reason)
{
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
    Result<Verdict> result = auditRefusal<Verdict>(actor, QStringLiteral("change.report"), changeId,
                                 inTransaction<Verdict>([&]() -> Result<Verdict> {
                                     auto loaded = loadChange(changeId, false);
                                     if (!loaded)
                                         return loaded.error();
                                     auto who = loadPrincipal(actor.login);
                                     if (!who)
                                         return who.error();
                                     return reportInTransaction(actor, *loaded, *who, applied,
                                                                reason);
                                 }));
    // Reporting on a rejected, expired or withdrawn change is refused too,
    // and every refused attempt is on the trail (DESIGN §7).
    if (!result && (result.error().code == ExitCode::Rejected || result.error().code == ExitCode::ExpiredOrWithdrawn)) {
        if (Status recorded = recordDenied(actor, QStringLiteral("change.report"), changeId, result.error()); !recorded)
            return recorded.error();
    }
    return result;
}

namespace {

// Who may report: the executor acts for the change's agent, so the agent
// principal, its operator or a lead. Admins decide and report nothing.
std::optional<Error> reportRefusal(const ChangeDetail &d, const PrincipalInfo &who)
{
    const ChangeSummary &s = d.summary;
    const bool executor = who.login == s.agentPrincipal || who.login == s.operatorLogin ||
                          who.roles.holds(Role::Lead);
    if (who.roles.holds(Role::Admin) || !executor)
        return makeError(ExitCode::Denied, QStringLiteral("not_executor"),
                         QStringLiteral("only the agent of change %1, its operator (%2) or a lead "
                                        "may report its outcome")
                             .arg(s.id, s.operatorLogin));
    switch (s.verdict.status) {
    case ChangeStatus::Approved:
        return std::nullopt;
    case ChangeStatus::Applied:
    case ChangeStatus::Failed:
        return makeError(ExitCode::Denied, QStringLiteral("already_reported"),
                         QStringLiteral("change %1 was already reported %2; an outcome is "
                                        "reported once")
                             .arg(s.id, toString(s.verdict.status)));
    case ChangeStatus::Rejected:
        return makeError(ExitCode::Rejected, QStringLiteral("rejected"),
                         QStringLiteral("change %1 was rejected: it must not be applied").arg(s.id));
    case ChangeStatus::Expired:
    case ChangeStatus::Withdrawn:
        return makeError(ExitCode::ExpiredOrWithdrawn, toString(s.verdict.status),
                         QStringLiteral("change %1 is %2: it must not be applied")
                             .arg(s.id, toString(s.verdict.status)));
    case ChangeStatus::Pending:
        break;
    }
    return makeError(ExitCode::Denied, QStringLiteral("not_approved"),
                     QStringLiteral("change %1 is pending: only an approved change can be "
                                    "reported applied or failed")
                         .arg(s.id));
}

} // namespace

Result<Verdict> SqliteStore::reportInTransaction(const Actor &actor, ChangeDetail &detail,
                                                 const PrincipalInfo &who, bool applied,
                                                 const QString &reason)
{
    if (std::optional<Error> refused = reportRefusal(detail, who))
        return *refused;
    const ChangeStatus before = detail.summary.verdict.status;
    const RevisionInfo &latest = detail.revisions.back();
    const QString time = auditTime(now());
    const ChangeEventKind kind = applied ? ChangeEventKind::Applied : ChangeEventKind::Failed;
    if (auto q = exec(QStringLiteral("INSERT INTO change_events (change_id, revision, kind, "
                                     "principal, reason, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
                      {detail.summary.id, latest.number, toString(kind), actor.login, reason, time});
        !q)
        return q.error();
    detail.events.push_back(ChangeEvent{kind, latest.number, actor.login, reason, parseTime(time)});
    auto policy = currentPolicy();
    if (!policy)
        return policy.error();
    if (Status s = evaluate(detail, **policy, QString(), now()); !s)
        return s.error();
    const Verdict after = detail.summary.verdict;
    if (Status s = updateStatusCache(detail.summary.id, after); !s)
        return s.error();
    AuditRecord entry;
    entry.action = QStringLiteral("change.report");
    entry.changeId = detail.summary.id;
    entry.revision = latest.number;
    entry.contentHash = latest.contentHash;
    entry.reason = reason;
    entry.statusBefore = before;
    entry.statusAfter = after.status;
    entry.payload = QJsonObject{{QStringLiteral("outcome"), toString(kind)}};
    if (Status s = appendAudit(actor, entry); !s)
        return s.error();
    return after;
}

} // namespace hp
