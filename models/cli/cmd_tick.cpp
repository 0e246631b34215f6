#include "cli/commands.h"
#include "cli/views.h"

#include <QJsonArray>

// tick (DESIGN §5, §8): writes the due timer events now (SLA breach
// escalation, expiry, approval lapse), each exactly once and audited; safe to
// run from cron and concurrently with the console and other writers.
namespace hp::cli {

int cmdTick(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<TickResult> r = s->store->tick(s->actor);
    if (!r.ok())
        return ctx.fail(r.error());
    return ctx.done({{QStringLiteral("escalated"), r->escalated},
                     {QStringLiteral("expired"), r->expired},
                     {QStringLiteral("approvals_lapsed"), r->approvalsLapsed},
                     {QStringLiteral("changes"), QJsonArray::fromStringList(r->changes)}},
                    QStringLiteral("tick: %1 escalated, %2 expired, %3 approvals lapsed\n")
                        .arg(r->escalated)
                        .arg(r->expired)
                        .arg(r->approvalsLapsed));
}

} // namespace hp::cli
