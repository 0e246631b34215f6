#include "cli/commands.h"

#include <QJsonArray>

// audit verify: walks the hash chain (DESIGN §7) and names every bad seq with
// its class; exit 0 only when clean, else 9.
namespace hp::cli {

int cmdAuditVerify(Context &ctx)
{
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<VerifyReport> report = s->store->verifyAudit();
    if (!report.ok())
        return ctx.fail(report.error());

    QJsonArray problems;
    QString text;
    for (const AuditProblem &p : report->problems) {
        problems.append(QJsonObject{{QStringLiteral("seq"), p.seq},
                                    {QStringLiteral("class"), toString(p.kind)},
                                    {QStringLiteral("detail"), p.detail}});
        text +=
            QStringLiteral("seq %1: %2: %3\n").arg(p.seq).arg(toString(p.kind), oneLine(p.detail));
    }
    const QJsonObject o{{QStringLiteral("entries"), report->entries},
                        {QStringLiteral("head_hash"), hex(report->headHash)},
                        {QStringLiteral("clean"), report->clean()},
                        {QStringLiteral("problems"), problems}};
    if (report->clean()) {
        return ctx.done(o, QStringLiteral("audit trail verified: %1 entries, head %2\n")
                               .arg(report->entries)
                               .arg(hex(report->headHash)));
    }
    text += QStringLiteral("audit trail FAILED verification: %1 problem(s) in %2 entries\n")
                .arg(report->problems.size())
                .arg(report->entries);
    QStringList seqs;
    for (const AuditProblem &p : report->problems)
        seqs << QStringLiteral("%1 (%2)").arg(p.seq).arg(toString(p.kind));
    return ctx.outcome(o, text,
                       makeError(ExitCode::StoreProblem, QStringLiteral("verification_failed"),
                                 QStringLiteral("audit verification failed at seq %1")
                                     .arg(seqs.join(QStringLiteral(", ")))));
}

} // namespace hp::cli
