#include "cli/commands.h"

#include "audit/auditexport.h"
#include "audit/checkpoint.h"

#include <QFile>
#include <QSaveFile>
#include <QJsonArray>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

// audit verify: walks the hash chain (DESIGN §7) and names every bad seq with
// its class; exit 0 only when clean, else 9. audit verify --file re-verifies
// an export without a store; audit export writes JSON Lines or CSV.
namespace hp::cli {

namespace {

// Reads and checks the checkpoint of `verify --against F --pubkey K.pub`, then
// adds what the chain lost or rewrote since it to `report`.
Status checkAgainst(Context &ctx, Store &store, VerifyReport &report, QJsonObject &json)
{
    const QString file = ctx.args().value(QStringLiteral("against"));
    const QString pub = ctx.args().value(QStringLiteral("pubkey"));
    if (pub.isEmpty())
        return makeError(ExitCode::Usage, QStringLiteral("usage"),
                         QStringLiteral("--against needs --pubkey K.pub, the public key that signed it"));
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("cannot read %1: %2").arg(file, f.errorString()));
    Result<Checkpoint> cp = checkpoint::parse(f.read(64 * 1024 + 1), file);
    if (!cp)
        return cp.error();
    if (Status sig = checkpoint::verifySignature(*cp, pub); !sig)
        return sig;
    if (cp->storeId != store.info().storeId)
        return makeError(ExitCode::StoreProblem, QStringLiteral("other_store"),
                         QStringLiteral("%1 is a checkpoint of store %2, not of this store (%3)")
                             .arg(file, cp->storeId, store.info().storeId));
    std::optional<AuditEntry> at;
    if (cp->seq > 0) {
        Result<std::vector<AuditEntry>> rows = store.auditEntries(cp->seq, 1);
        if (!rows)
            return rows.error();
        if (!rows->empty() && rows->front().seq == cp->seq)
            at = rows->front();
    }
    for (AuditProblem &p : checkpoint::compare(*cp, report.entries, at))
        report.problems.push_back(std::move(p));
    json = QJsonObject{{QStringLiteral("seq"), cp->seq},
                       {QStringLiteral("head_hash"), hex(cp->headHash)},
                       {QStringLiteral("time"), cp->time.toString(Qt::ISODateWithMs)},
                       {QStringLiteral("key_id"), QString::fromLatin1(cp->keyId)}};
    return {};
}


// The problems of a report as JSON and as text lines.
QJsonArray problemList(const std::vector<AuditProblem> &problems, QString &text)
{
    QJsonArray list;
    for (const AuditProblem &p : problems) {
        list.append(QJsonObject{{QStringLiteral("seq"), p.seq},
                                {QStringLiteral("class"), toString(p.kind)},
                                {QStringLiteral("detail"), p.detail}});
        text += QStringLiteral("seq %1: %2: %3\n").arg(p.seq).arg(toString(p.kind), oneLine(p.detail));
    }
    return list;
}

Error verificationFailed(const std::vector<AuditProblem> &problems)
{
    QStringList seqs;
    for (const AuditProblem &p : problems)
        seqs << QStringLiteral("%1 (%2)").arg(p.seq).arg(toString(p.kind));
    return makeError(ExitCode::StoreProblem, QStringLiteral("verification_failed"),
                     QStringLiteral("audit verification failed at seq %1").arg(seqs.join(QStringLiteral(", "))));
}

int verifyFile(Context &ctx)
{
    const QString name = ctx.args().value(QStringLiteral("file"));
    QFile f(name);
    if (!f.open(QIODevice::ReadOnly))
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                                  QStringLiteral("cannot read %1: %2").arg(name, f.errorString()), name));
    Result<ExportVerifyReport> report = verifyExport(f, name);
    if (!report)
        return ctx.fail(report.error());
    QString text;
    const QJsonArray problems = problemList(report->problems, text);
    const QJsonObject o{{QStringLiteral("file"), name},
                        {QStringLiteral("entries"), report->entries},
                        {QStringLiteral("full"), report->full},
                        {QStringLiteral("gaps"), report->gaps},
                        {QStringLiteral("head_hash"), hex(report->headHash)},
                        {QStringLiteral("clean"), report->clean()},
                        {QStringLiteral("problems"), problems}};
    if (report->clean())
        return ctx.done(o, QStringLiteral("export verified: %1 entries (%2), head %3\n")
                               .arg(report->entries)
                               .arg(report->full ? QStringLiteral("the whole trail")
                                                 : QStringLiteral("filtered, %1 gap(s) left by the filter")
                                                       .arg(report->gaps))
                               .arg(hex(report->headHash)));
    text += QStringLiteral("export FAILED verification: %1 problem(s) in %2 entries\n")
                .arg(report->problems.size())
                .arg(report->entries);
    return ctx.outcome(o, text, verificationFailed(report->problems));
}

Result<AuditFilter> exportFilter(const ParsedArgs &args)
{
    AuditFilter filter;
    filter.principal = args.value(QStringLiteral("principal"));
    filter.action = args.value(QStringLiteral("action"));
    filter.changeId = args.value(QStringLiteral("change"));
    if (args.has(QStringLiteral("outcome"))) {
        const QString outcome = args.value(QStringLiteral("outcome"));
        if (outcome != QLatin1String("ok") && outcome != QLatin1String("denied"))
            return usageError(QStringLiteral("--outcome is ok or denied, not %1").arg(oneLine(outcome)));
        filter.denied = outcome == QLatin1String("denied");
    }
    for (const char *bound : {"from", "to"}) {
        const QString name = QString::fromLatin1(bound);
        if (!args.has(name))
            continue;
        QDateTime t = QDateTime::fromString(args.value(name), Qt::ISODateWithMs);
        if (!t.isValid())
            return usageError(QStringLiteral("--%1 needs an ISO 8601 time such as 2026-03-01T00:00:00Z, not %2")
                                  .arg(name, oneLine(args.value(name))));
        (name == QLatin1String("from") ? filter.from : filter.to) = t.toUTC();
    }
    return filter;
}

} // namespace

int cmdAuditKeygen(Context &ctx)
{
    const QString out = ctx.args().value(QStringLiteral("out"));
    if (out.isEmpty())
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("usage"), QStringLiteral("audit keygen needs --out K")));
    if (Status s = checkpoint::generateKeyPair(out); !s)
        return ctx.fail(s.error());
    Result<QByteArray> id = checkpoint::privateKeyId(out);
    if (!id)
        return ctx.fail(id.error());
    return ctx.done(QJsonObject{{QStringLiteral("key"), out},
                                {QStringLiteral("public_key"), out + QStringLiteral(".pub")},
                                {QStringLiteral("key_id"), QString::fromLatin1(*id)}},
                    QStringLiteral("wrote %1 (private, mode 0600) and %1.pub; key id %2\n"
                                   "Keep the private key off this machine's store directory: a checkpoint only "
                                   "proves something if whoever can write the store cannot sign.\n")
                        .arg(out, QString::fromLatin1(*id)));
}

int cmdAuditCheckpoint(Context &ctx)
{
    const QString key = ctx.args().value(QStringLiteral("key"));
    const QString out = ctx.args().value(QStringLiteral("out"));
    if (key.isEmpty() || out.isEmpty())
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("usage"),
                                  QStringLiteral("audit checkpoint needs --key K and --out F")));
    Result<QByteArray> keyId = checkpoint::privateKeyId(key);
    if (!keyId)
        return ctx.fail(keyId.error());
    // The file is claimed first (O_EXCL: never overwritten, not even by a
    // file created meanwhile), so a checkpoint entry is only recorded when
    // its file can exist; it is removed again if anything later fails.
    const QByteArray native = QFile::encodeName(out);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("exists"),
                                  QStringLiteral("cannot create %1: %2 (checkpoints are never overwritten)")
                                      .arg(out, QString::fromLocal8Bit(strerror(errno)))));
    const auto abandon = [&](const Error &e) {
        ::close(fd);
        ::unlink(native.constData());
        return ctx.fail(e);
    };
    Result<Session> s = ctx.session();
    if (!s.ok())
        return abandon(s.error());
    Result<AuditEntry> head = s->store->checkpointHead(s->actor, *keyId);
    if (!head)
        return abandon(head.error());
    Result<Checkpoint> cp = checkpoint::sign(key, s->store->info().storeId, *head, ctx.clock()());
    if (!cp)
        return abandon(cp.error());
    const QByteArray bytes = checkpoint::toJson(*cp);
    if (::write(fd, bytes.constData(), static_cast<size_t>(bytes.size())) != bytes.size() || ::fsync(fd) != 0)
        return abandon(makeError(ExitCode::Internal, QStringLiteral("write_failed"),
                                 QStringLiteral("cannot write %1: %2").arg(out, QString::fromLocal8Bit(strerror(errno)))));
    ::close(fd);
    return ctx.done(QJsonObject{{QStringLiteral("seq"), cp->seq},
                                {QStringLiteral("head_hash"), hex(cp->headHash)},
                                {QStringLiteral("key_id"), QString::fromLatin1(cp->keyId)},
                                {QStringLiteral("file"), out}},
                    QStringLiteral("checkpoint of seq %1, head %2, signed by key %3, written to %4\n")
                        .arg(cp->seq)
                        .arg(hex(cp->headHash), QString::fromLatin1(cp->keyId.left(16)), out));
}

int cmdAuditVerify(Context &ctx)
{
    if (ctx.args().has(QStringLiteral("file")))
        return verifyFile(ctx);
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<VerifyReport> report = s->store->verifyAudit();
    if (!report.ok())
        return ctx.fail(report.error());
    QJsonObject checkpointJson;
    if (ctx.args().has(QStringLiteral("against"))) {
        if (Status c = checkAgainst(ctx, *s->store, *report, checkpointJson); !c)
            return ctx.fail(c.error());
    }

    QJsonArray problems;
    QString text;
    for (const AuditProblem &p : report->problems) {
        problems.append(QJsonObject{{QStringLiteral("seq"), p.seq},
                                    {QStringLiteral("class"), toString(p.kind)},
                                    {QStringLiteral("detail"), p.detail}});
        text +=
            QStringLiteral("seq %1: %2: %3\n").arg(p.seq).arg(toString(p.kind), oneLine(p.detail));
    }
    QJsonObject o{{QStringLiteral("entries"), report->entries},
                        {QStringLiteral("head_hash"), hex(report->headHash)},
                        {QStringLiteral("clean"), report->clean()},
                        {QStringLiteral("problems"), problems}};
    if (!checkpointJson.isEmpty())
        o.insert(QStringLiteral("checkpoint"), checkpointJson);
    if (!report->notChecked.isEmpty()) {
        o.insert(QStringLiteral("not_checked"), QJsonArray::fromStringList(report->notChecked));
        for (const QString &what : std::as_const(report->notChecked))
            text += QStringLiteral("not checked: %1\n").arg(oneLine(what));
    }
    if (report->clean()) {
        QString clean = QStringLiteral("audit trail verified: %1 entries, head %2\n")
                           .arg(report->entries)
                           .arg(hex(report->headHash));
        if (!checkpointJson.isEmpty())
            clean += QStringLiteral("consistent with the signed checkpoint of seq %1 (%2)\n")
                        .arg(checkpointJson.value(QStringLiteral("seq")).toInteger())
                        .arg(checkpointJson.value(QStringLiteral("time")).toString());
        return ctx.done(o, text + clean);
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

int cmdAuditExport(Context &ctx)
{
    const QString format = ctx.args().value(QStringLiteral("format"));
    const QString out = ctx.args().value(QStringLiteral("out"));
    if ((format != QLatin1String("jsonl") && format != QLatin1String("csv")) || out.isEmpty())
        return ctx.fail(usageError(QStringLiteral("audit export needs --format jsonl|csv and --out F")));
    Result<AuditFilter> filter = exportFilter(ctx.args());
    if (!filter)
        return ctx.fail(filter.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    // Refused before reading anything (the store audits the refusal).
    Result<PrincipalInfo> who = s->store->principal(s->actor.login);
    if (!who)
        return ctx.fail(who.error());
    if (!who->roles.has(Role::Auditor) && !who->roles.holds(Role::Lead)) {
        const Error denied = makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                                       QStringLiteral("only auditors and leads can export the audit trail"));
        if (Status r = s->store->recordDenied(s->actor, QStringLiteral("audit.export"), {}, denied); !r)
            return ctx.fail(r.error());
        return ctx.fail(denied);
    }
    QSaveFile file(out);
    if (!file.open(QIODevice::WriteOnly))
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("unwritable"),
                                  QStringLiteral("cannot write %1: %2").arg(out, file.errorString()), out));
    const bool jsonl = format == QLatin1String("jsonl");
    Result<AuditExportStats> stats =
        exportAudit(*s->store, *filter, jsonl ? AuditExportFormat::JsonLines : AuditExportFormat::Csv, file);
    if (!stats)
        return ctx.fail(stats.error());
    const QJsonObject what{{QStringLiteral("format"), format},
                           {QStringLiteral("filter"), filter->toJson()},
                           {QStringLiteral("entries"), stats->written},
                           {QStringLiteral("last_seq"), stats->lastSeq}};
    if (Status r = s->store->recordAuditExport(s->actor, what); !r)
        return ctx.fail(r.error());
    if (!file.commit())
        return ctx.fail(makeError(ExitCode::Internal, QStringLiteral("write_failed"),
                                  QStringLiteral("cannot write %1: %2").arg(out, file.errorString()), out));
    QJsonObject o = what;
    o.insert(QStringLiteral("file"), out);
    o.insert(QStringLiteral("scanned"), stats->scanned);
    return ctx.done(o, QStringLiteral("exported %1 of %2 entries to %3 (%4)\n")
                           .arg(stats->written)
                           .arg(stats->scanned)
                           .arg(out, format));
}

} // namespace hp::cli
