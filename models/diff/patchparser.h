#pragma once

#include "diff/diffdata.h"
#include "domain/result.h"

#include <QByteArray>
#include <QString>

namespace hp::diff {

// Reads patch text written here rather than by libgit2, whose parser cannot
// read plain `diff -u` or `kubectl diff` output:
// - git patches: "diff --git" with its extended headers (modes, new and
//   deleted files, renames, copies, similarity, index), "Binary files …
//   differ" and "GIT binary patch" (its literal/delta blocks are skipped);
// - `diff -u` and `diff -u -N` ("--- name<TAB>stamp", "+++ …", hunks; a side
//   with an epoch stamp and no lines is the missing file);
// - `kubectl diff` (a `diff -u -N` of LIVE-*/MERGED-* directories, also with
//   spaces instead of a TAB before the stamp): the file names become
//   Kubernetes object identities.
// Text outside file sections (mail headers, commit messages of `git log -p`
// and `git format-patch`, the "-- " signature) is skipped as `git apply`
// skips it. Hunk bodies must match their headers' line counts; anything else
// is refused with an Error (ExitCode::Usage, reason "malformed_patch") naming
// the 1-based line and what was expected there. The input is never copied:
// PatchSet::data shares it and every line is a span into it.
class PatchParser
{
public:
    // sourceName (a file name, or empty) prefixes the error path: "name:12".
    static Result<PatchSet> parse(const QByteArray &patch, const QString &sourceName = {});
};

} // namespace hp::diff
