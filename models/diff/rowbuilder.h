#pragma once

#include "diff/diffdata.h"
#include "diff/rowdata.h"
#include "domain/result.h"

#include <QByteArray>

namespace hp::diff {

// The whole files a patch was made from, when they are known (a file pair,
// a re-diff). With them, the rows cover every line and the runs between
// hunks can be unfolded; without them only the patch's lines are known.
struct FullTexts
{
    QByteArray before;
    QByteArray after;
};

struct RowOptions
{
    int context = 3;                    // unchanged lines kept next to a change
    qsizetype maxIntraLineBytes = 1024; // longer lines get no intra-line ranges
};

// Builds aligned side-by-side rows from one file of a parsed patch (or of a
// GitDiffResult) — pure: no Qt objects, no threads, no I/O.
// - A change block (removed lines, then added lines) pairs its i-th removed
//   line with its i-th added line (Changed cells with token-level intra-line
//   ranges, see IntraLine); the side with more lines gets Padding opposite.
// - Runs of unchanged lines longer than the context on each side become a
//   Fold row ("148 unchanged lines") whose rows sit in SideBySide::hidden;
//   a fold never hides fewer than two lines. Without full texts, the lines
//   between hunks are unknown: a Fold row with hiddenFirst == -1 counts them.
// - A CR before the LF is the line ending (Cell::crlf), never content; a
//   last line without LF has Cell::noNewline. Tabs and long lines are kept
//   as bytes (the view expands tabs); lines over maxIntraLineBytes skip
//   intra-line ranges. A binary file gives one Binary row.
// Full texts must be the ones the patch was made from: every hunk line is
// checked against them, and a difference is an Error (ExitCode::Mismatch,
// reason "text_mismatch") naming the line — a patch cannot show one text
// while the reviewer is told it is another.
class RowBuilder
{
public:
    // `patch` is the buffer the file's spans point into (PatchSet::data or
    // GitDiffResult::text). `texts` may be null.
    static Result<SideBySide> build(const FilePatch &file, const QByteArray &patch,
                                    const FullTexts *texts = nullptr, const RowOptions &options = {});
};

} // namespace hp::diff
