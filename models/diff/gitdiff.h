#pragma once

#include "diff/diffdata.h"
#include "domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace hp::diff {

// One side of a diff: its bytes (not copied; must outlive the call), the
// name git prints after "a/" or "b/", its mode when known, and whether the
// file exists at all (an absent side prints as /dev/null, like a new or
// deleted file).
struct DiffSide
{
    QByteArrayView data;
    QByteArray label;  // e.g. "tmp/x.yaml"; quoted as git quotes when printed
    quint32 mode = 0;  // 0100644, 0100755; 0 = unknown
    bool absent = false;
};

struct GitDiffOptions
{
    int contextLines = 3;
    int interhunkLines = 0;
    bool indentHeuristic = true;
};

// The diff as `git diff --no-index` prints it, in one buffer, plus its
// structure: `file.hunks` and `file.lines` are spans into `text`, so the row
// builder reads a computed diff exactly as it reads a parsed one.
struct GitDiffResult
{
    QByteArray text;
    FilePatch file;
};

// Diffs of two buffers with libgit2 (git_diff_buffers: git's own xdiff, with
// GIT_DIFF_INDENT_HEURISTIC), streamed straight into one output buffer with no
// per-line strings. The text is what `git diff --no-index A B` prints:
//   diff --git a/A b/B
//   old mode / new mode, new file mode / deleted file mode (modes when known)
//   index <7 hex>..<7 hex>[ mode]   (omitted when content is equal; the mode
//                                    is printed only when both sides know it)
//   --- a/A, +++ b/B (a TAB after names with a space, as git does)
//   hunks, "\ No newline at end of file"
//   or "Binary files a/A and b/B differ" (a NUL in the first 8,000 bytes).
// Identical sides give empty text. Files over 512 MiB count as binary
// (libgit2's limit). Thread-safe; libgit2 is initialised once per process.
class GitDiff
{
public:
    // Starts libgit2's one-time initialisation on another thread and returns
    // at once. Optional: diff() initialises on first use anyway, but libgit2
    // 1.5 parses the system CA bundle while initialising (about 5 ms), which
    // a command line tool can overlap with its own start-up.
    static void prepare();

    static Result<GitDiffResult> diff(const DiffSide &before, const DiffSide &after,
                                      const GitDiffOptions &options = {});

    // Reads both files and labels them as git does: the path with one leading
    // '/' removed. Modes come from the files' executable bit. The files are
    // memory-mapped, as git maps them: they must not be truncated meanwhile.
    static Result<GitDiffResult> diffFiles(const QString &before, const QString &after,
                                           const GitDiffOptions &options = {});
};

} // namespace hp::diff
