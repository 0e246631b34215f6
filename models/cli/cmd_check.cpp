#include "cli/commands.h"
#include "cli/views.h"
#include "domain/sha256.h"

#include <QFile>
#include <QJsonArray>

// check (DESIGN §3.1): the executor's question "are these bytes exactly what
// was approved?". It passes only if the change is approved, every file given
// matches the per-artifact hash of an artifact of the approved revision
// (--all: and every artifact is matched), and --environment / --target equal
// the approved meta record. Every check, passed or not, is recorded.
namespace hp::cli {

namespace {

struct FileHash
{
    QString path;
    QByteArray sha256;
    int matched = -1; // artifact index, -1: none
};

Result<QByteArray> hashFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ExitCode::Usage, QStringLiteral("unreadable_file"),
            QStringLiteral("--artifact %1: cannot read: %2").arg(path, f.errorString()), path);
    Sha256 sha;
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(chunk.data(), chunk.size());
        if (n < 0)
            return makeError(
                ExitCode::Usage, QStringLiteral("unreadable_file"),
                QStringLiteral("--artifact %1: read failed: %2").arg(path, f.errorString()), path);
        if (n == 0)
            break;
        sha.update(QByteArrayView(chunk.constData(), n));
    }
    return sha.finish();
}

struct CheckOutcome
{
    std::vector<FileHash> files;
    std::vector<const ArtifactInfo *> unmatched; // artifacts no file matched
    std::optional<Error> failure;                // empty: passed
};

// Compares hashes and metadata against the latest (approved) revision.
void compare(CheckOutcome &c, const RevisionInfo &rev, const ParsedArgs &args, const QString &id)
{
    std::vector<bool> used(rev.artifacts.size(), false);
    QStringList bad;
    for (FileHash &f : c.files) {
        for (size_t i = 0; i < rev.artifacts.size(); ++i) {
            if (rev.artifacts[i].sha256 == f.sha256) {
                f.matched = rev.artifacts[i].index;
                used[i] = true;
                break;
            }
        }
        if (f.matched < 0)
            bad << QStringLiteral("%1 (sha256 %2) matches no artifact of revision %3")
                       .arg(f.path, hex(f.sha256))
                       .arg(rev.number);
    }
    for (size_t i = 0; i < rev.artifacts.size(); ++i) {
        if (!used[i])
            c.unmatched.push_back(&rev.artifacts[i]);
    }
    if (args.has(QStringLiteral("all"))) {
        for (const ArtifactInfo *a : c.unmatched)
            bad << QStringLiteral("artifact [%1] %2 %3 was not given (--all)")
                       .arg(a->index)
                       .arg(toString(a->kind), oneLine(a->name));
    }
    if (args.has(QStringLiteral("environment")) &&
        args.value(QStringLiteral("environment")) != rev.meta.environment)
        bad << QStringLiteral("environment '%1' is not the approved '%2'")
                   .arg(oneLine(args.value(QStringLiteral("environment"))),
                        oneLine(rev.meta.environment));
    if (args.has(QStringLiteral("target")) &&
        args.value(QStringLiteral("target")) != rev.meta.target)
        bad << QStringLiteral("target '%1' is not the approved '%2'")
                   .arg(oneLine(args.value(QStringLiteral("target"))), oneLine(rev.meta.target));
    if (!bad.isEmpty())
        c.failure = makeError(
            ExitCode::Mismatch, QStringLiteral("mismatch"),
            QStringLiteral("check of %1 failed: %2").arg(id, bad.join(QStringLiteral("; "))));
}

QJsonObject checkJson(const ChangeDetail &d, const CheckOutcome &c)
{
    QJsonArray files, unmatched;
    for (const FileHash &f : c.files) {
        files.append(QJsonObject{
            {QStringLiteral("path"), f.path},
            {QStringLiteral("sha256"), hex(f.sha256)},
            {QStringLiteral("artifact"), f.matched >= 0 ? QJsonValue(f.matched) : QJsonValue()}});
    }
    for (const ArtifactInfo *a : c.unmatched)
        unmatched.append(a->index);
    return QJsonObject{
        {QStringLiteral("id"), d.summary.id},
        {QStringLiteral("revision"), d.summary.latestRevision},
        {QStringLiteral("passed"), !c.failure.has_value()},
        {QStringLiteral("status"), toString(d.summary.verdict.status)},
        {QStringLiteral("reason"), c.failure ? c.failure->reason : QStringLiteral("ok")},
        {QStringLiteral("files"), files},
        {QStringLiteral("unmatched_artifacts"), unmatched}};
}

QString checkText(const ChangeDetail &d, const CheckOutcome &c)
{
    QString out;
    for (const FileHash &f : c.files) {
        out += QStringLiteral("%1 %2 %3\n")
                   .arg(f.matched >= 0 ? QStringLiteral("ok      ") : QStringLiteral("MISMATCH"),
                        hex(f.sha256), f.path);
    }
    out += c.failure ? QStringLiteral("check FAILED for %1 revision %2\n")
                           .arg(d.summary.id)
                           .arg(d.summary.latestRevision)
                     : QStringLiteral("check passed: %1 revision %2 is approved and matches\n")
                           .arg(d.summary.id)
                           .arg(d.summary.latestRevision);
    return out;
}

} // namespace

int cmdCheck(Context &ctx)
{
    const QStringList paths =
        ctx.args().all(QStringLiteral("artifact")) + ctx.args().positionals.mid(1);
    if (paths.isEmpty())
        return ctx.fail(usageError(QStringLiteral(
            "check needs at least one --artifact F (the bytes you are about to apply)")));
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const QString id = ctx.args().positionals.at(0);
    Result<ChangeDetail> d = s->store->change(id);
    if (!d.ok())
        return ctx.fail(d.error());
    if (d->revisions.empty())
        return ctx.fail(makeError(ExitCode::StoreProblem, QStringLiteral("no_revision"),
                                  QStringLiteral("change %1 has no revision").arg(id)));

    CheckOutcome c;
    for (const QString &p : paths) {
        Result<QByteArray> h = hashFile(p);
        if (!h.ok())
            return ctx.fail(h.error());
        c.files.push_back(FileHash{p, *h});
    }
    compare(c, d->revisions.back(), ctx.args(), id);
    // The verdict outranks a hash mismatch: an unapproved change never passes,
    // and the exit says why (3, 4 or 5).
    if (std::optional<Error> v = verdictExit(*d))
        c.failure = v;

    const int revision = d->revisions.back().number;
    if (!c.failure && ctx.args().has(QStringLiteral("consume"))) {
        // Passing and consuming are one transaction: the approval is used
        // once, and a second --consume is refused (exit 8) and audited.
        Result<Verdict> consumed =
            s->store->consumeApproval(s->actor, id, revision, QStringLiteral("consumed by check --consume"));
        if (!consumed.ok())
            return ctx.outcome(checkJson(*d, c), checkText(*d, c), consumed.error());
        QJsonObject o = checkJson(*d, c);
        o.insert(QStringLiteral("consumed"), true);
        return ctx.done(o, checkText(*d, c) + QStringLiteral("approval consumed\n"));
    }
    const Status recorded =
        s->store->recordCheck(s->actor, id, revision, !c.failure,
                              c.failure ? c.failure->reason : QStringLiteral("ok"),
                              c.failure ? c.failure->message : QString());
    if (!recorded.ok())
        return ctx.fail(recorded.error()); // an unrecorded check never passes
    if (c.failure)
        return ctx.outcome(checkJson(*d, c), checkText(*d, c), *c.failure);
    return ctx.done(checkJson(*d, c), checkText(*d, c));
}

} // namespace hp::cli
