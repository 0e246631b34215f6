#include "cli/commands.h"
#include "cli/views.h"

#include <QFile>
#include <QJsonArray>

// policy show / policy propose (DESIGN §5, §8). A policy changes only through
// a change of kind policy whose artifact is the file pair policy.yaml (before:
// the source in force, after: the proposal), so every view shows its diff; it
// is adopted when two leads, neither its proposer, approve it.
namespace hp::cli {

namespace {

constexpr qint64 kMaxPolicyBytes = 1024 * 1024;

QJsonObject policyJson(const StoredPolicy &p)
{
    return QJsonObject{{QStringLiteral("version"), p.version},
                       {QStringLiteral("hash"), QString::fromLatin1(p.hash)},
                       {QStringLiteral("change"), p.changeId},
                       {QStringLiteral("adopted_by"), p.adoptedBy},
                       {QStringLiteral("adopted_at"), isoTime(p.adoptedAt)},
                       {QStringLiteral("source"), QString::fromUtf8(p.policy.source)}};
}

QString policyText(const StoredPolicy &p)
{
    QString out = QStringLiteral("policy version %1\nhash %2\nadopted by %3 at %4%5\n\n")
                      .arg(p.version)
                      .arg(QString::fromLatin1(p.hash), oneLine(p.adoptedBy), isoTime(p.adoptedAt),
                           p.changeId.isEmpty() ? QStringLiteral(" (the shipped default)")
                                                : QStringLiteral(" (change %1)").arg(p.changeId));
    out += QString::fromUtf8(p.policy.source);
    if (!out.endsWith(u'\n'))
        out += u'\n';
    return out;
}

Result<QByteArray> readPolicyFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Usage, QStringLiteral("unreadable_file"),
                         QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()), path);
    if (f.size() > kMaxPolicyBytes)
        return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                         QStringLiteral("%1: over the cap of %2 bytes for a policy").arg(path).arg(kMaxPolicyBytes),
                         path);
    return f.readAll();
}

} // namespace

int cmdPolicyShow(Context &ctx)
{
    Result<std::unique_ptr<Store>> store = ctx.openStore();
    if (!store.ok())
        return ctx.fail(store.error());
    const bool some = ctx.args().has(QStringLiteral("version"));
    if (!some) {
        Result<StoredPolicy> current = (*store)->policyInForce();
        if (!current.ok())
            return ctx.fail(current.error());
        return ctx.done(policyJson(*current), policyText(*current));
    }
    bool ok = false;
    const int wanted = ctx.args().value(QStringLiteral("version")).toInt(&ok);
    if (!ok || wanted < 1)
        return ctx.fail(usageError(QStringLiteral("--version '%1': expected a version number ≥ 1")
                                       .arg(ctx.args().value(QStringLiteral("version")))));
    Result<std::vector<StoredPolicy>> all = (*store)->policyVersions();
    if (!all.ok())
        return ctx.fail(all.error());
    for (const StoredPolicy &p : *all) {
        if (p.version == wanted)
            return ctx.done(policyJson(p), policyText(p));
    }
    return ctx.fail(makeError(ExitCode::NotFound, QStringLiteral("unknown_policy_version"),
                              QStringLiteral("the store has no policy version %1 (latest: %2)")
                                  .arg(wanted)
                                  .arg(all->empty() ? 0 : all->back().version)));
}

int cmdPolicyPropose(Context &ctx)
{
    const QString path = ctx.args().positionals.at(0);
    Result<QByteArray> bytes = readPolicyFile(path);
    if (!bytes.ok())
        return ctx.fail(bytes.error());
    // Invalid: exit 2 with file:line:column, and nothing stored.
    Result<Policy> read = PolicyReader::read(*bytes, path);
    if (!read.ok())
        return ctx.fail(read.error());
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    Result<StoredPolicy> current = s->store->policyInForce();
    if (!current.ok())
        return ctx.fail(current.error());
    if (current->hash == read->hash)
        return ctx.fail(usageError(QStringLiteral("%1 is the policy in force (version %2): nothing to propose")
                                       .arg(path)
                                       .arg(current->version)));
    Proposal p;
    p.kind = ChangeKind::Policy;
    p.title = ctx.args().has(QStringLiteral("title"))
                  ? ctx.args().value(QStringLiteral("title"))
                  : QStringLiteral("Policy change: version %1 to a new version").arg(current->version);
    p.intent = ctx.args().value(QStringLiteral("reason"));
    Artifact a;
    a.kind = ArtifactKind::FilePair;
    a.name = QStringLiteral("policy.yaml");
    a.parts = {current->policy.source, *bytes};
    p.artifacts.push_back(std::move(a));
    Result<SubmitResult> r = s->store->submit(s->actor, SubmitRequest{p, QString()});
    if (!r.ok())
        return ctx.fail(r.error());
    return ctx.done({{QStringLiteral("id"), r->changeId},
                     {QStringLiteral("revision"), r->revision},
                     {QStringLiteral("content_hash"), QString::fromLatin1(r->contentHash.toHex())},
                     {QStringLiteral("proposed_hash"), QString::fromLatin1(read->hash)},
                     {QStringLiteral("in_force_version"), current->version},
                     {QStringLiteral("verdict"), verdictJson(r->verdict)}},
                    QStringLiteral("proposed policy change %1 (hash %2); it needs two approvals from leads, "
                                   "neither of them you\n")
                        .arg(r->changeId, QString::fromLatin1(read->hash)));
}

} // namespace hp::cli
