#include "cli/assessmentview.h"
#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/planview.h"
#include "cli/views.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QThread>

// list, show, wait, decide, withdraw: reading changes and deciding on them.
namespace hp::cli {

namespace {

constexpr qint64 kPollMs = 200;
// The verdict also depends on the clock (expiry), so wait re-reads the change
// now and then even when no other connection has committed.
constexpr qint64 kRereadMs = 5000;

QJsonObject waitJson(const ChangeDetail &d, qint64 waitedMs)
{
    return QJsonObject{{QStringLiteral("id"), d.summary.id},
                       {QStringLiteral("revision"), d.summary.latestRevision},
                       {QStringLiteral("status"), toString(d.summary.verdict.status)},
                       {QStringLiteral("verdict"), verdictJson(d.summary.verdict)},
                       {QStringLiteral("waited_ms"), waitedMs}};
}

int finishWait(Context &ctx, const ChangeDetail &d, qint64 waitedMs)
{
    const QJsonObject o = waitJson(d, waitedMs);
    const QString text =
        QStringLiteral("%1 %2 after %3\n")
            .arg(d.summary.id, statusText(d.summary.verdict), formatDuration(waitedMs));
    if (std::optional<Error> e = verdictExit(d))
        return ctx.outcome(o, text, *e);
    return ctx.done(o, text);
}

// The latest assessment of the latest revision, and how many assessments the
// change has had (a new topology or policy adds one). A store that cannot
// read them is a store problem (exit 9), not a note.
Status addAssessment(Store &store, const ChangeDetail &d, QJsonObject &o, QString &text)
{
    Result<std::vector<StoredAssessment>> all = store.assessments(d.summary.id);
    if (!all)
        return all.error();
    const StoredAssessment *latest = nullptr;
    for (const StoredAssessment &a : *all) // ascending: the last of the latest revision wins
        if (a.revision == d.summary.latestRevision)
            latest = &a;
    o.insert(QStringLiteral("assessments"), static_cast<int>(all->size()));
    if (!latest) {
        o.insert(QStringLiteral("assessment"), QJsonValue());
        text += QStringLiteral("no assessment of revision %1\n").arg(d.summary.latestRevision);
        return {};
    }
    o.insert(QStringLiteral("assessment"), assessmentJson(*latest));
    text += assessmentText(*latest);
    if (all->size() > 1)
        text += QStringLiteral("  (%1 assessments of this change; this is the latest)\n").arg(all->size());
    return {};
}

} // namespace

int cmdList(Context &ctx)
{
    ListFilter filter;
    if (ctx.args().has(QStringLiteral("status"))) {
        const QString s = ctx.args().value(QStringLiteral("status"));
        filter.status = parseChangeStatus(s);
        if (!filter.status)
            return ctx.fail(
                usageError(QStringLiteral("--status '%1': expected pending, approved, rejected, "
                                          "expired, withdrawn, applied or failed")
                               .arg(s)));
    }
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<std::vector<ChangeSummary>> changes = s->store->listChanges(filter);
    if (!changes.ok())
        return ctx.fail(changes.error());
    QJsonArray array;
    for (const ChangeSummary &c : *changes)
        array.append(summaryJson(c));
    return ctx.done({{QStringLiteral("changes"), array}}, listText(*changes));
}

int cmdShow(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<ChangeDetail> d = s->store->change(ctx.args().positionals.at(0));
    if (!d.ok())
        return ctx.fail(d.error());
    // The plan summaries are read back from the stored artifacts, so show
    // reports what was stored, including a plan that never parsed.
    QJsonObject o = detailJson(*d);
    QString text = detailText(*d);
    QJsonArray plans;
    const std::vector<PlanReport> reports = storedPlans(*s->store, *d);
    if (!reports.empty())
        text += QStringLiteral("plans (revision %1)\n").arg(reports.front().revision);
    for (const PlanReport &r : reports) {
        plans.append(planReportJson(r));
        text += planReportText(r);
    }
    o.insert(QStringLiteral("plans"), plans);
    if (Status a = addAssessment(*s->store, *d, o, text); !a)
        return ctx.fail(a.error());
    return ctx.done(o, text);
}

int cmdWait(Context &ctx)
{
    Result<qint64> timeout = parseDurationMs(ctx.args().has(QStringLiteral("timeout"))
                                                 ? ctx.args().value(QStringLiteral("timeout"))
                                                 : QStringLiteral("30m"));
    if (!timeout.ok())
        return ctx.fail(timeout.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString id = ctx.args().positionals.at(0);
    QElapsedTimer elapsed, sinceRead; // sinceRead: invalid until the first read
    elapsed.start();
    qint64 seenVersion = -1;
    for (;;) {
        const qint64 version = s->store->dataVersion();
        const bool timedOut = elapsed.elapsed() >= *timeout;
        if (timedOut || version != seenVersion || !sinceRead.isValid() ||
            sinceRead.hasExpired(kRereadMs)) {
            seenVersion = version;
            sinceRead.start();
            Result<ChangeDetail> d = s->store->change(id);
            if (!d.ok())
                return ctx.fail(d.error());
            if (timedOut || d->summary.verdict.status != ChangeStatus::Pending)
                return finishWait(ctx, *d, elapsed.elapsed());
        }
        const qint64 left = std::max<qint64>(1, *timeout - elapsed.elapsed());
        QThread::msleep(static_cast<unsigned long>(std::min(kPollMs, left)));
    }
}

int cmdDecide(Context &ctx)
{
    if (ctx.args().has(QStringLiteral("batch")))
        return cmdDecideBatch(ctx);
    if (ctx.args().positionals.size() < 2)
        return ctx.fail(usageError(QStringLiteral(
            "missing argument; usage: holdpointctl decide ID ACTION [--reason R], or decide "
            "--batch FILE")));
    const QString actionText = ctx.args().positionals.at(1);
    const std::optional<DecisionAction> action = parseDecisionAction(actionText);
    if (!action)
        return ctx.fail(usageError(QStringLiteral("unknown decision '%1'; expected approve, "
                                                  "reject, escalate, comment, withdraw or override")
                                       .arg(actionText)));
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    DecideRequest request;
    request.changeId = ctx.args().positionals.at(0);
    request.action = *action;
    request.reason = ctx.args().value(QStringLiteral("reason"));
    Result<DecideResult> r = s->store->decide(s->actor, request);
    if (!r.ok())
        return ctx.fail(r.error());
    QJsonObject o{{QStringLiteral("id"), request.changeId},
                  {QStringLiteral("decision_id"), r->decisionId},
                  {QStringLiteral("action"), toString(*action)},
                  {QStringLiteral("counts"), r->counts},
                  {QStringLiteral("uncounted"), toString(r->uncounted)},
                  {QStringLiteral("before"), toString(r->before)},
                  {QStringLiteral("status"), toString(r->verdict.status)},
                  {QStringLiteral("verdict"), verdictJson(r->verdict)}};
    QString text = QStringLiteral("%1 recorded on %2").arg(toString(*action), request.changeId);
    if (*action == DecisionAction::Approve)
        text += r->counts
                    ? QStringLiteral(" (counts)")
                    : QStringLiteral(" (recorded, not counted: %1)").arg(toString(r->uncounted));
    text += QStringLiteral("; status %1 → %2, approvals %3")
                .arg(toString(r->before), statusText(r->verdict), approvalsText(r->verdict));
    if (!r->verdict.needs.isEmpty())
        text += QStringLiteral("; ") + oneLine(r->verdict.needs);
    return ctx.done(o, text + QLatin1Char('\n'));
}

int cmdWithdraw(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString id = ctx.args().positionals.at(0);
    Result<Verdict> v =
        s->store->withdrawChange(s->actor, id, ctx.args().value(QStringLiteral("reason")));
    if (!v.ok())
        return ctx.fail(v.error());
    return ctx.done({{QStringLiteral("id"), id},
                     {QStringLiteral("status"), toString(v->status)},
                     {QStringLiteral("verdict"), verdictJson(*v)}},
                    QStringLiteral("withdrew %1; status %2\n").arg(id, toString(v->status)));
}

} // namespace hp::cli
