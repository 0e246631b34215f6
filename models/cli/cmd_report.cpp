#include "cli/commands.h"
#include "cli/views.h"

// report: the executor says how applying an approved change went (DESIGN §8).
namespace hp::cli {

int cmdReport(Context &ctx)
{
    const QString outcomeText = ctx.args().value(QStringLiteral("outcome"));
    if (outcomeText != QLatin1String("applied") && outcomeText != QLatin1String("failed"))
        return ctx.fail(usageError(
            QStringLiteral("--outcome '%1': expected applied or failed").arg(outcomeText)));
    const bool applied = outcomeText == QLatin1String("applied");
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString id = ctx.args().positionals.at(0);
    const QString reason = ctx.args().value(QStringLiteral("reason"));
    Result<Verdict> v = s->store->reportOutcome(s->actor, id, applied, reason);
    if (!v.ok())
        return ctx.fail(v.error());
    return ctx.done({{QStringLiteral("id"), id},
                     {QStringLiteral("outcome"), outcomeText},
                     {QStringLiteral("reason"), reason},
                     {QStringLiteral("status"), toString(v->status)},
                     {QStringLiteral("verdict"), verdictJson(*v)}},
                    QStringLiteral("reported %1 %2; status %3\n")
                        .arg(id, outcomeText, toString(v->status)));
}

} // namespace hp::cli
