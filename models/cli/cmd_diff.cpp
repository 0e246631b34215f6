#include "cli/commands.h"
#include "diff/gitdiff.h"

#include <QStringDecoder>

// diff A B: needs no store; prints what `git diff --no-index A B` prints
// (hp::diff::GitDiff: libgit2's xdiff with the indent heuristic).
namespace hp::cli {

int cmdDiff(Context &ctx)
{
    const QString pathA = ctx.args().positionals.at(0);
    const QString pathB = ctx.args().positionals.at(1);
    Result<diff::GitDiffResult> result = diff::GitDiff::diffFiles(pathA, pathB);
    if (!result.ok())
        return ctx.fail(result.error());
    const QByteArray &patch = result->text;
    if (!ctx.json()) {
        ctx.out().bytes(patch);
        return 0;
    }
    // JSON strings hold text: a patch that is not valid UTF-8 is carried
    // base64-encoded instead, so no byte is lost or altered.
    QJsonObject o{{QStringLiteral("a"), pathA},
                  {QStringLiteral("b"), pathB},
                  {QStringLiteral("identical"), patch.isEmpty()}};
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(patch);
    if (utf8.hasError())
        o.insert(QStringLiteral("patch_base64"), QString::fromLatin1(patch.toBase64()));
    else
        o.insert(QStringLiteral("patch"), text);
    return ctx.done(o, QString());
}

} // namespace hp::cli
