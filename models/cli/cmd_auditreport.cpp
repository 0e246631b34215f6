#include "cli/commands.h"
#include "cli/context.h"
#include "domain/sha256.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>

#include <cstdio>

// audit report ID --out F.pdf (DESIGN §7 Export, issue 7 item 5). The PDF is
// rendered by holdpoint-report, installed next to holdpointctl, so this
// program never links Qt Gui and its start-up stays what bench_diff measures.
// Order: role check (a refusal is audited), render to a partial file beside
// F, record `audit.report` with the PDF's SHA-256, then move it into place.
namespace hp::cli {

namespace {

const char *const kRenderer = "holdpoint-report";

Error rendererError(int exitCode, const QString &message)
{
    const bool known = exitCode > 0 && exitCode <= static_cast<int>(ExitCode::StoreProblem);
    return makeError(known ? static_cast<ExitCode>(exitCode) : ExitCode::Internal,
                     QStringLiteral("report_failed"),
                     QStringLiteral("the report could not be rendered: %1").arg(message.trimmed()));
}

// Runs holdpoint-report; the partial file exists afterwards only on success.
Status render(const QString &store, const QString &changeId, const QString &partial)
{
    const QString program =
        QDir(QCoreApplication::applicationDirPath()).filePath(QString::fromLatin1(kRenderer));
    if (!QFileInfo(program).isExecutable())
        return makeError(ExitCode::Internal, QStringLiteral("no_renderer"),
                         QStringLiteral("%1 is missing: it must be installed next to holdpointctl")
                             .arg(program));
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(program, {QStringLiteral("--db"), store, QStringLiteral("--change"), changeId,
                            QStringLiteral("--out"), partial});
    if (!process.waitForStarted() || !process.waitForFinished(-1))
        return rendererError(1, process.errorString());
    const QString stderrText = QString::fromUtf8(process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return rendererError(process.exitStatus() == QProcess::NormalExit ? process.exitCode() : 1,
                             stderrText.isEmpty() ? QStringLiteral("%1 crashed").arg(program)
                                                  : stderrText);
    return {};
}

Result<QByteArray> fileSha256(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Internal, QStringLiteral("read_failed"),
                         QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    Sha256 hasher;
    while (!file.atEnd())
        hasher.update(file.read(1 << 20));
    return hasher.finish();
}

// Moves the finished report into place; without `force` an existing F wins.
Status publish(const QString &partial, const QString &out, bool force)
{
    if (force && QFileInfo::exists(out) && !QFile::remove(out))
        return makeError(ExitCode::Usage, QStringLiteral("exists"),
                         QStringLiteral("cannot replace %1").arg(out));
    if (!QFile::rename(partial, out))
        return makeError(ExitCode::Usage, QStringLiteral("exists"),
                         QStringLiteral("cannot create %1 (it exists; --force replaces it)").arg(out));
    return {};
}

} // namespace

int cmdAuditReport(Context &ctx)
{
    const QString id = ctx.args().positionals.at(0);
    const QString out = ctx.args().value(QStringLiteral("out"));
    const bool force = ctx.args().has(QStringLiteral("force"));
    if (out.isEmpty())
        return ctx.fail(usageError(QStringLiteral("audit report needs --out F.pdf")));
    if (!force && QFileInfo::exists(out))
        return ctx.fail(makeError(ExitCode::Usage, QStringLiteral("exists"),
                                  QStringLiteral("%1 exists; --force replaces it").arg(out), out));
    Result<Session> s = ctx.session();
    if (!s)
        return ctx.fail(s.error());
    Result<PrincipalInfo> who = s->store->principal(s->actor.login);
    if (!who)
        return ctx.fail(who.error());
    if (!who->roles.has(Role::Auditor) && !who->roles.holds(Role::Lead)) {
        // The store refuses it too, and records the denied attempt.
        Status denied = s->store->recordEvidenceReport(s->actor, id, {});
        return ctx.fail(denied ? makeError(ExitCode::Internal, QStringLiteral("internal"),
                                           QStringLiteral("the store accepted a report it should refuse"))
                               : denied.error());
    }
    const QString partial = out + QStringLiteral(".partial-%1").arg(QCoreApplication::applicationPid());
    const auto abandon = [&](const Error &e) {
        QFile::remove(partial);
        return ctx.fail(e);
    };
    if (Status r = render(ctx.storeLocation(), id, partial); !r)
        return abandon(r.error());
    Result<QByteArray> digest = fileSha256(partial);
    if (!digest)
        return abandon(digest.error());
    if (Status recorded = s->store->recordEvidenceReport(s->actor, id, *digest); !recorded)
        return abandon(recorded.error());
    if (Status placed = publish(partial, out, force); !placed)
        return abandon(placed.error());
    const QString hex = QString::fromLatin1(digest->toHex());
    return ctx.done(QJsonObject{{QStringLiteral("id"), id},
                                {QStringLiteral("file"), out},
                                {QStringLiteral("sha256"), hex}},
                    QStringLiteral("evidence report of %1 written to %2 (sha256 %3)\n").arg(id, out, hex));
}

} // namespace hp::cli
