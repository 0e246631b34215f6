#include "diff/rowbuilder.h"

#include "diff/intraline.h"

#include <algorithm>
#include <cstring>

namespace hp::diff {

namespace {

enum Side { Left = 0, Right = 1 };

// Walks a full text line by line: `line` is the number of the next line.
struct TextCursor
{
    QByteArrayView text;
    qsizetype pos = 0;
    int line = 1;

    bool atEnd() const { return pos >= text.size(); }

    // The next line without its LF (a CR stays); *lf tells whether one ended it.
    ByteSpan next(bool *lf)
    {
        const qsizetype rest = text.size() - pos;
        const auto *nl = static_cast<const char *>(std::memchr(text.data() + pos, '\n', static_cast<size_t>(rest)));
        const qsizetype len = nl ? nl - (text.data() + pos) : rest;
        const ByteSpan span{pos, len};
        *lf = nl != nullptr;
        pos += len + (nl ? 1 : 0);
        ++line;
        return span;
    }
};

class Builder
{
public:
    Builder(const FilePatch &file, const QByteArray &patch, const FullTexts *texts, const RowOptions &options)
        : m_file(file), m_patch(patch), m_texts(texts), m_opt(options)
    {
        m_out.leftBuffer = texts ? texts->before : patch;
        m_out.rightBuffer = texts ? texts->after : patch;
        m_out.additions = file.additions;
        m_out.deletions = file.deletions;
        if (texts) {
            m_cur[Left].text = texts->before;
            m_cur[Right].text = texts->after;
        }
        m_opt.context = std::max(0, m_opt.context);
    }

    Result<SideBySide> run();

private:
    Status addHunk(int index);
    Status addGap(const Hunk &h, int oldBegin, int newBegin);
    Status addTrailingLines();
    Status patchCell(Side side, const PatchLine &pl, int lineNo, const Hunk &h, Cell *out);
    Status textRow(Row *out);
    QByteArrayView buffer(Side side) const { return side == Left ? m_out.leftBuffer : m_out.rightBuffer; }
    void finishCell(Side side, Cell &c) const;
    Error mismatch(const QString &what) const;

    void addUnchanged(const Row &row);
    void addChange(Side side, const Cell &cell, int hunk);
    void flushChange();
    void flushRun(bool followedByChange);
    void addIntraLine(Row &row);

    const FilePatch &m_file;
    QByteArrayView m_patch;
    const FullTexts *m_texts;
    RowOptions m_opt;
    SideBySide m_out;
    TextCursor m_cur[2];
    std::vector<Row> m_run;       // unchanged rows not yet placed
    bool m_runAfterChange = false; // the run follows a change block
    std::vector<Cell> m_removed;   // the change block being gathered
    std::vector<Cell> m_added;
    int m_changeHunk = -1;
    int m_lastHunkRow = -1;
    int m_oldNext = 1; // first old/new line not yet placed
    int m_newNext = 1;
};

Error Builder::mismatch(const QString &what) const
{
    return makeError(ExitCode::Mismatch, QStringLiteral("text_mismatch"),
                     QStringLiteral("the full texts do not match the patch of %1: %2")
                         .arg(QString::fromUtf8(m_file.path()), what));
}

Result<SideBySide> Builder::run()
{
    if (m_file.binary) {
        m_out.binary = true;
        Row row;
        row.kind = RowKind::Binary;
        m_out.rows.push_back(row);
        return std::move(m_out);
    }
    m_out.rows.reserve(m_file.lines.size() + 8);
    for (int i = 0; i < static_cast<int>(m_file.hunks.size()); ++i) {
        if (Status st = addHunk(i); !st)
            return st.error();
    }
    if (Status st = addTrailingLines(); !st)
        return st.error();
    flushChange();
    flushRun(false);
    return std::move(m_out);
}

Status Builder::addHunk(int index)
{
    const Hunk &h = m_file.hunks[static_cast<size_t>(index)];
    const int oldBegin = h.oldCount == 0 ? h.oldStart + 1 : h.oldStart;
    const int newBegin = h.newCount == 0 ? h.newStart + 1 : h.newStart;
    if (Status st = addGap(h, oldBegin, newBegin); !st)
        return st;
    int oldLine = oldBegin;
    int newLine = newBegin;
    for (int i = h.firstLine; i < h.firstLine + h.lineCount; ++i) {
        const PatchLine &pl = m_file.lines[static_cast<size_t>(i)];
        Cell left;
        Cell right;
        Status st;
        if (pl.origin == LineOrigin::Context) {
            st = patchCell(Left, pl, oldLine++, h, &left);
            if (st)
                st = patchCell(Right, pl, newLine++, h, &right);
            if (st) {
                Row row;
                row.left = left;
                row.right = right;
                row.left.kind = row.right.kind = CellKind::Context;
                row.hunk = index;
                addUnchanged(row);
            }
        } else if (pl.origin == LineOrigin::Removed) {
            st = patchCell(Left, pl, oldLine++, h, &left);
            if (st)
                addChange(Left, left, index);
        } else {
            st = patchCell(Right, pl, newLine++, h, &right);
            if (st)
                addChange(Right, right, index);
        }
        if (!st)
            return st;
    }
    m_oldNext = oldLine;
    m_newNext = newLine;
    return {};
}

// The unchanged lines between the previous hunk and this one: rows from the
// full texts, or an unexpandable fold that only counts them.
Status Builder::addGap(const Hunk &h, int oldBegin, int newBegin)
{
    const int gap = oldBegin - m_oldNext;
    if (gap != newBegin - m_newNext || gap < 0)
        return makeError(ExitCode::Usage, QStringLiteral("malformed_patch"),
                         QStringLiteral("the hunk at patch line %1 of %2 leaves %3 old but %4 new unchanged lines "
                                        "before it: expected the same number on both sides")
                             .arg(h.patchLine).arg(QString::fromUtf8(m_file.path())).arg(gap)
                             .arg(newBegin - m_newNext));
    if (gap == 0)
        return {};
    if (m_texts) {
        for (int i = 0; i < gap; ++i) {
            Row row;
            if (Status st = textRow(&row); !st)
                return st;
            addUnchanged(row);
        }
        return {};
    }
    flushChange();
    flushRun(false);
    Row fold;
    fold.kind = RowKind::Fold;
    fold.foldLines = gap;
    fold.left.line = m_oldNext;
    fold.right.line = m_newNext;
    m_out.rows.push_back(fold);
    return {};
}

Status Builder::addTrailingLines()
{
    if (!m_texts)
        return {};
    while (!m_cur[Left].atEnd() || !m_cur[Right].atEnd()) {
        Row row;
        if (Status st = textRow(&row); !st)
            return st;
        addUnchanged(row);
    }
    return {};
}

Status Builder::textRow(Row *out)
{
    for (const Side side : {Left, Right}) {
        TextCursor &cur = m_cur[side];
        if (cur.atEnd())
            return mismatch(QStringLiteral("the %1 text ends at line %2 while the other side still has unchanged lines")
                                .arg(side == Left ? QStringLiteral("old") : QStringLiteral("new"))
                                .arg(cur.line - 1));
        Cell &c = side == Left ? out->left : out->right;
        c.line = cur.line;
        bool lf = false;
        const ByteSpan span = cur.next(&lf);
        c.offset = span.offset;
        c.length = span.length;
        c.noNewline = !lf;
        c.kind = CellKind::Context;
        finishCell(side, c);
    }
    return {};
}

Status Builder::patchCell(Side side, const PatchLine &pl, int lineNo, const Hunk &h, Cell *out)
{
    Cell &c = *out;
    c.line = lineNo;
    if (!m_texts) {
        c.offset = pl.text.offset;
        c.length = pl.text.length;
        c.noNewline = pl.noNewlineAtEnd;
        finishCell(side, c);
        return {};
    }
    TextCursor &cur = m_cur[side];
    const QString which = side == Left ? QStringLiteral("old") : QStringLiteral("new");
    if (cur.atEnd() || cur.line != lineNo)
        return mismatch(QStringLiteral("the hunk at patch line %1 needs %2 line %3, but the %2 text has %4 lines")
                            .arg(h.patchLine).arg(which).arg(lineNo).arg(cur.line - 1));
    bool lf = false;
    const ByteSpan span = cur.next(&lf);
    if (viewOf(buffer(side), span) != viewOf(m_patch, pl.text) || lf == pl.noNewlineAtEnd)
        return mismatch(QStringLiteral("%1 line %2 differs from the hunk at patch line %3")
                            .arg(which).arg(lineNo).arg(h.patchLine));
    c.offset = span.offset;
    c.length = span.length;
    c.noNewline = !lf;
    finishCell(side, c);
    return {};
}

// The CR of a CRLF is the line ending, not content. A CR on a last line
// without LF is content (a lone CR, which the dangerous-text scan flags).
void Builder::finishCell(Side side, Cell &c) const
{
    if (!c.noNewline && c.length > 0 && buffer(side)[c.offset + c.length - 1] == '\r') {
        --c.length;
        c.crlf = true;
    }
}

void Builder::addUnchanged(const Row &row)
{
    if (!m_removed.empty() || !m_added.empty())
        flushChange();
    m_run.push_back(row);
}

void Builder::addChange(Side side, const Cell &cell, int hunk)
{
    if (!m_run.empty())
        flushRun(true);
    if (m_removed.empty() && m_added.empty())
        m_changeHunk = hunk;
    (side == Left ? m_removed : m_added).push_back(cell);
    (side == Left ? m_removed : m_added).back().kind = side == Left ? CellKind::Removed : CellKind::Added;
}

void Builder::flushChange()
{
    const size_t count = std::max(m_removed.size(), m_added.size());
    if (count == 0)
        return;
    const auto first = static_cast<int>(m_out.rows.size());
    const size_t pairs = std::min(m_removed.size(), m_added.size());
    for (size_t i = 0; i < count; ++i) {
        Row row;
        row.kind = RowKind::Change;
        row.hunk = m_changeHunk;
        if (i < m_removed.size())
            row.left = m_removed[i];
        if (i < m_added.size())
            row.right = m_added[i];
        if (i < pairs) {
            row.left.kind = row.right.kind = CellKind::Changed;
            addIntraLine(row);
        }
        m_out.rows.push_back(row);
    }
    m_out.blocks.push_back({first, static_cast<int>(count), m_changeHunk});
    if (m_changeHunk != m_lastHunkRow) {
        m_out.hunkRows.push_back(first);
        m_lastHunkRow = m_changeHunk;
    }
    m_removed.clear();
    m_added.clear();
    m_runAfterChange = true;
}

void Builder::addIntraLine(Row &row)
{
    const QByteArrayView left = m_out.leftText(row.left);
    const QByteArrayView right = m_out.rightText(row.right);
    if (left.size() > m_opt.maxIntraLineBytes || right.size() > m_opt.maxIntraLineBytes) {
        row.left.intraLineSkipped = row.right.intraLineSkipped = true;
        return;
    }
    const IntraLineDiff d = IntraLine::diff(left, right);
    row.left.firstRange = static_cast<quint32>(m_out.ranges.size());
    row.left.rangeCount = static_cast<quint32>(d.left.size());
    m_out.ranges.insert(m_out.ranges.end(), d.left.begin(), d.left.end());
    row.right.firstRange = static_cast<quint32>(m_out.ranges.size());
    row.right.rangeCount = static_cast<quint32>(d.right.size());
    m_out.ranges.insert(m_out.ranges.end(), d.right.begin(), d.right.end());
}

// Places the pending unchanged rows: `context` rows stay next to each
// neighbouring change, the middle folds when it hides at least two lines.
void Builder::flushRun(bool followedByChange)
{
    const auto size = static_cast<int>(m_run.size());
    const int lead = m_runAfterChange ? m_opt.context : 0;
    const int trail = followedByChange ? m_opt.context : 0;
    const int hiddenCount = size - lead - trail;
    auto append = [&](int from, int to) {
        m_out.rows.insert(m_out.rows.end(), m_run.begin() + from, m_run.begin() + to);
    };
    if (hiddenCount >= 2) {
        append(0, lead);
        const Row &firstHidden = m_run[static_cast<size_t>(lead)];
        const Row &lastHidden = m_run[static_cast<size_t>(lead + hiddenCount - 1)];
        Row fold;
        fold.kind = RowKind::Fold;
        fold.foldLines = hiddenCount;
        fold.hiddenFirst = static_cast<int>(m_out.hidden.size());
        fold.left.line = firstHidden.left.line;
        fold.right.line = firstHidden.right.line;
        fold.hunk = firstHidden.hunk == lastHidden.hunk ? firstHidden.hunk : -1;
        m_out.hidden.insert(m_out.hidden.end(), m_run.begin() + lead, m_run.begin() + lead + hiddenCount);
        m_out.rows.push_back(fold);
        append(lead + hiddenCount, size);
    } else {
        append(0, size);
    }
    m_run.clear();
    m_runAfterChange = false;
}

} // namespace

Result<SideBySide> RowBuilder::build(const FilePatch &file, const QByteArray &patch, const FullTexts *texts,
                                     const RowOptions &options)
{
    Builder builder(file, patch, texts, options);
    return builder.run();
}

} // namespace hp::diff
