#pragma once

#include "diff/diffdata.h"

#include <QByteArray>

#include <span>
#include <vector>

// Aligned side-by-side rows: plain data the row builder fills and a view
// paints. Cells name bytes in SideBySide::leftBuffer (left cells) and
// rightBuffer (right cells) by offset; nothing is copied per line.
namespace hp::diff {

// Context: the same line on both sides. Changed: a removed line paired with
// an added line (intra-line ranges apply). Removed/Added: a line with no
// partner, facing Padding on the other side.
enum class CellKind : quint8 { Padding, Context, Added, Removed, Changed };

enum class RowKind : quint8 {
    Context, // unchanged lines
    Change,  // part of a change block
    Fold,    // a collapsed run of unchanged lines
    Binary,  // the single row of a binary file
};

struct Cell
{
    qsizetype offset = 0;    // into the side's buffer
    qsizetype length = 0;    // content only: no LF, no CR of a CRLF
    int line = 0;            // 1-based; 0 on padding. Fold rows: first hidden line
    CellKind kind = CellKind::Padding;
    bool crlf = false;       // ended by CR LF (the CR is not content)
    bool noNewline = false;  // last line of a file without a final newline
    bool intraLineSkipped = false; // Changed, but too long for intra-line ranges
    quint32 firstRange = 0;  // intra-line changed ranges: SideBySide::ranges
    quint32 rangeCount = 0;  //   [firstRange, firstRange + rangeCount), relative to offset
};

struct Row
{
    Cell left;
    Cell right;
    RowKind kind = RowKind::Context;
    int hunk = -1;       // index into FilePatch::hunks; -1 outside every hunk
    int foldLines = 0;   // Fold: how many unchanged lines it stands for
    int hiddenFirst = -1; // Fold: first of its rows in SideBySide::hidden; -1
                          // when the lines are not known (a patch without full texts)
};

// A maximal run of Change rows, for next/previous and review coverage.
struct ChangeBlock
{
    int firstRow = 0;
    int rowCount = 0;
    int hunk = -1;
};

struct SideBySide
{
    QByteArray leftBuffer;  // the old full text, or the patch text
    QByteArray rightBuffer; // the new full text, or the patch text
    std::vector<Row> rows;
    std::vector<Row> hidden;        // rows behind Fold rows, in order
    std::vector<ByteSpan> ranges;   // intra-line ranges, relative to their cell
    std::vector<ChangeBlock> blocks;
    std::vector<int> hunkRows;      // first Change row of each hunk that has one
    int additions = 0;
    int deletions = 0;
    bool binary = false;

    QByteArrayView leftText(const Cell &c) const { return QByteArrayView(leftBuffer).sliced(c.offset, c.length); }
    QByteArrayView rightText(const Cell &c) const { return QByteArrayView(rightBuffer).sliced(c.offset, c.length); }
    std::span<const ByteSpan> rangesOf(const Cell &c) const
    {
        return std::span<const ByteSpan>(ranges).subspan(c.firstRange, c.rangeCount);
    }
    // The rows a Fold row stands for (empty when they are not known).
    std::span<const Row> foldedRows(const Row &fold) const
    {
        if (fold.kind != RowKind::Fold || fold.hiddenFirst < 0)
            return {};
        return std::span<const Row>(hidden).subspan(static_cast<size_t>(fold.hiddenFirst),
                                                   static_cast<size_t>(fold.foldLines));
    }
};

} // namespace hp::diff
