#pragma once

#include "diff/diffdocument.h"

#include <QSet>

#include <vector>

// The rows a diff view shows, in order, for one document and one state
// (side by side or unified, which folds are open): plain indices into the
// document, rebuilt in one pass (a few milliseconds for 200,000 rows) when
// the state changes. Coverage items and hunk navigation read its spans.
namespace hp {

enum class LineKind : quint8 {
    FileHeader, // the file's name and counts
    Row,        // SideBySide::rows[index]; in unified mode only unchanged, fold and binary rows
    Hidden,     // SideBySide::hidden[index]: a line of an opened fold
    Removed,    // unified mode: the left cell of rows[index]
    Added,      // unified mode: the right cell of rows[index]
};

struct DisplayRow
{
    qint32 file = 0;
    qint32 index = 0;
    LineKind kind = LineKind::FileHeader;
};

// One hunk's rows in display coordinates, [top, bottom); `first` is its
// first changed row (where next/previous hunk lands).
struct HunkSpan
{
    int file = 0;
    int hunk = 0;
    int top = 0;
    int bottom = 0;
    int first = 0;
};

class DiffLayout
{
public:
    // `opened` holds foldKey(file, row) of the folds shown open.
    void build(const DiffDocument *doc, bool unified, const QSet<quint64> &opened);
    void clear();

    static quint64 foldKey(int file, int row) { return (quint64(quint32(file)) << 32) | quint32(row); }

    const std::vector<DisplayRow> &rows() const { return m_rows; }
    int count() const { return static_cast<int>(m_rows.size()); }
    bool unified() const { return m_unified; }
    const std::vector<HunkSpan> &hunks() const { return m_hunks; }
    int fileHeader(int file) const;
    int fileOf(int displayRow) const;
    // The display row of a document row's side; -1 when it sits in a closed fold.
    int displayOf(int file, int row, bool inHidden, bool right) const;
    // The fold row that holds hidden row `hidden` of `file`; -1 when none.
    int foldHolding(int file, int hidden) const;
    int maxLineNumber() const { return m_maxLine; }
    qsizetype maxLineBytes() const { return m_maxBytes; }
    // The hunk a display row belongs to (SideBySide row's hunk); -1 when none.
    int hunkOf(int displayRow) const;

private:
    struct FileIndex
    {
        int header = 0;
        std::vector<int> left;   // per SideBySide row
        std::vector<int> right;
        std::vector<int> hidden; // per hidden row, -1 while folded
    };
    void addFile(int file, const QSet<quint64> &opened);
    void addChangeRun(int file, int first, int end);
    void push(int file, int index, LineKind kind, int hunk, bool change);

    const DiffDocument *m_doc = nullptr;
    bool m_unified = false;
    std::vector<DisplayRow> m_rows;
    std::vector<FileIndex> m_files;
    std::vector<HunkSpan> m_hunks;
    std::vector<int> m_hunkBase; // per file: its first entry in m_hunks
    int m_maxLine = 0;
    qsizetype m_maxBytes = 0;
};

} // namespace hp
