#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/views.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QThread>

// watch --exec CMD (DESIGN §5, §8): follows the audit trail by seq and runs
// CMD once per event, with one event JSON on its stdin, so teams can page:
//   {"schema": "holdpoint.event/1", "event": "new|escalated|breached|decided", ...}
// CMD is split into argv by QProcess::splitCommand: only double quotes group
// words (single quotes are ordinary characters), no expansion, no pipes; for
// shell features pass `sh -c "…"`.
// watch ticks: each round first writes the due timer events (exactly once,
// audited, like `tick`), so SLA breaches are noticed and paged even when
// nothing else writes. It starts at the head of the trail (--since SEQ: after
// SEQ instead) and, with --once, runs one round and exits.
namespace hp::cli {

namespace {

struct WatchEvent
{
    QString event;
    QJsonObject entry;
};

bool decidedStatus(const QString &status)
{
    return status == QLatin1String("approved") || status == QLatin1String("rejected") ||
           status == QLatin1String("expired") || status == QLatin1String("withdrawn");
}

// The events one audit entry stands for (most stand for none).
std::vector<WatchEvent> eventsOf(const QJsonObject &o)
{
    std::vector<WatchEvent> out;
    if (o.value(u"outcome").toString() != QLatin1String("ok"))
        return out;
    const QString action = o.value(u"action").toString();
    if (action == QLatin1String("change.submit"))
        out.push_back({QStringLiteral("new"), o});
    if (action == QLatin1String("decision.escalate"))
        out.push_back({QStringLiteral("escalated"), o});
    if (action == QLatin1String("change.sla_breach")) {
        out.push_back({QStringLiteral("breached"), o});
        if (o.value(u"payload").toObject().value(u"escalated").toBool())
            out.push_back({QStringLiteral("escalated"), o});
    }
    const QString before = o.value(u"status_before").toString();
    const QString after = o.value(u"status_after").toString();
    if (decidedStatus(after) && after != before)
        out.push_back({QStringLiteral("decided"), o});
    return out;
}

QJsonObject eventJson(const WatchEvent &e, Store &store)
{
    const QJsonObject &o = e.entry;
    const QString id = o.value(u"change").toString();
    QJsonObject out{{QStringLiteral("schema"), QStringLiteral("holdpoint.event/1")},
                    {QStringLiteral("event"), e.event},
                    {QStringLiteral("seq"), o.value(u"seq")},
                    {QStringLiteral("time"), o.value(u"time")},
                    {QStringLiteral("action"), o.value(u"action")},
                    {QStringLiteral("principal"), o.value(u"principal")},
                    {QStringLiteral("id"), id},
                    {QStringLiteral("revision"), o.value(u"revision")},
                    {QStringLiteral("status"), o.value(u"status_after")}};
    if (Result<ChangeDetail> d = store.change(id); d.ok()) {
        out.insert(QStringLiteral("title"), d->summary.title);
        out.insert(QStringLiteral("risk_class"),
                   d->summary.riskClass ? toString(*d->summary.riskClass) : QString());
        out.insert(QStringLiteral("verdict"), verdictJson(d->summary.verdict));
    }
    return out;
}

// Runs CMD with `payload` on stdin; a failing CMD is reported, not fatal.
void runCommand(Context &ctx, const QStringList &argv, const QByteArray &payload)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedChannels);
    p.start(argv.front(), argv.mid(1));
    if (!p.waitForStarted()) {
        ctx.out().note(QStringLiteral("watch: cannot start %1: %2").arg(argv.front(), p.errorString()));
        return;
    }
    p.write(payload);
    p.closeWriteChannel();
    p.waitForFinished(-1);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        ctx.out().note(QStringLiteral("watch: %1 exited %2").arg(argv.front()).arg(p.exitCode()));
}

Result<qint64> headSeq(Store &store)
{
    qint64 head = 0;
    for (qint64 from = 1;; from = head + 1) {
        Result<std::vector<AuditEntry>> page = store.auditEntries(from, 10000);
        if (!page.ok())
            return page.error();
        if (page->empty())
            return head;
        head = page->back().seq;
    }
}

} // namespace

int cmdWatch(Context &ctx)
{
    const QStringList argv = QProcess::splitCommand(ctx.args().value(QStringLiteral("exec")));
    if (argv.isEmpty())
        return ctx.fail(usageError(QStringLiteral("watch needs --exec CMD (the command to run per event)")));
    Result<qint64> interval = parseDurationMs(ctx.args().has(QStringLiteral("interval"))
                                                  ? ctx.args().value(QStringLiteral("interval"))
                                                  : QStringLiteral("1s"));
    if (!interval.ok())
        return ctx.fail(interval.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    qint64 last = 0;
    if (ctx.args().has(QStringLiteral("since"))) {
        bool ok = false;
        last = ctx.args().value(QStringLiteral("since")).toLongLong(&ok);
        if (!ok || last < 0)
            return ctx.fail(usageError(QStringLiteral("--since '%1': expected an audit seq ≥ 0")
                                           .arg(ctx.args().value(QStringLiteral("since")))));
    } else {
        Result<qint64> head = headSeq(*s->store);
        if (!head.ok())
            return ctx.fail(head.error());
        last = *head;
    }
    int sent = 0;
    for (;;) {
        if (Result<TickResult> t = s->store->tick(s->actor); !t.ok())
            return ctx.fail(t.error());
        Result<std::vector<AuditEntry>> entries = s->store->auditEntries(last + 1, 0);
        if (!entries.ok())
            return ctx.fail(entries.error());
        for (const AuditEntry &e : *entries) {
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            for (const WatchEvent &w : eventsOf(o)) {
                runCommand(ctx, argv, QJsonDocument(eventJson(w, *s->store)).toJson(QJsonDocument::Compact) + '\n');
                ++sent;
            }
            last = e.seq;
        }
        if (ctx.args().has(QStringLiteral("once")))
            break;
        QThread::msleep(static_cast<unsigned long>(*interval));
    }
    return ctx.done({{QStringLiteral("events"), sent}, {QStringLiteral("last_seq"), last}},
                    QStringLiteral("watch: %1 events, up to seq %2\n").arg(sent).arg(last));
}

} // namespace hp::cli
