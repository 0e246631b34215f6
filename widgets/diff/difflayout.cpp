#include "diff/difflayout.h"

#include <algorithm>

namespace hp {

void DiffLayout::clear()
{
    m_doc = nullptr;
    m_rows.clear();
    m_files.clear();
    m_hunks.clear();
    m_hunkBase.clear();
    m_maxLine = 0;
    m_maxBytes = 0;
}

void DiffLayout::build(const DiffDocument *doc, bool unified, const QSet<quint64> &opened)
{
    clear();
    m_doc = doc;
    m_unified = unified;
    if (!doc)
        return;
    m_files.resize(doc->files.size());
    for (int f = 0; f < static_cast<int>(doc->files.size()); ++f) {
        m_hunkBase.push_back(static_cast<int>(m_hunks.size()));
        const DiffFile &file = doc->files[static_cast<size_t>(f)];
        for (int h = 0; h < file.hunkCount; ++h)
            m_hunks.push_back({f, h, -1, -1, -1});
        addFile(f, opened);
    }
    // A hunk with no row (cannot happen with the row builder, but spans must
    // stay valid) takes the file header's place.
    for (HunkSpan &s : m_hunks) {
        if (s.top < 0) {
            s.top = fileHeader(s.file);
            s.bottom = s.top + 1;
        }
        if (s.first < 0)
            s.first = s.top;
    }
}

void DiffLayout::push(int file, int index, LineKind kind, int hunk, bool change)
{
    const int at = count();
    m_rows.push_back({file, index, kind});
    if (hunk < 0)
        return;
    HunkSpan &s = m_hunks[static_cast<size_t>(m_hunkBase[static_cast<size_t>(file)] + hunk)];
    if (s.top < 0)
        s.top = at;
    s.bottom = at + 1;
    if (change && s.first < 0)
        s.first = at;
}

void DiffLayout::addChangeRun(int file, int first, int end)
{
    const diff::SideBySide &s = m_doc->files[static_cast<size_t>(file)].rows;
    FileIndex &fi = m_files[static_cast<size_t>(file)];
    if (!m_unified) {
        for (int r = first; r < end; ++r) {
            fi.left[static_cast<size_t>(r)] = fi.right[static_cast<size_t>(r)] = count();
            push(file, r, LineKind::Row, s.rows[static_cast<size_t>(r)].hunk, true);
        }
        return;
    }
    // Unified: the removed lines of the block, then its added lines, as git prints them.
    for (int r = first; r < end; ++r) {
        const diff::Row &row = s.rows[static_cast<size_t>(r)];
        if (row.left.kind != diff::CellKind::Padding) {
            fi.left[static_cast<size_t>(r)] = count();
            push(file, r, LineKind::Removed, row.hunk, true);
        }
    }
    for (int r = first; r < end; ++r) {
        const diff::Row &row = s.rows[static_cast<size_t>(r)];
        if (row.right.kind != diff::CellKind::Padding) {
            fi.right[static_cast<size_t>(r)] = count();
            push(file, r, LineKind::Added, row.hunk, true);
        }
    }
}

void DiffLayout::addFile(int file, const QSet<quint64> &opened)
{
    const diff::SideBySide &s = m_doc->files[static_cast<size_t>(file)].rows;
    FileIndex &fi = m_files[static_cast<size_t>(file)];
    fi.header = count();
    m_rows.push_back({file, 0, LineKind::FileHeader});
    const int n = static_cast<int>(s.rows.size());
    fi.left.assign(static_cast<size_t>(n), -1);
    fi.right.assign(static_cast<size_t>(n), -1);
    fi.hidden.assign(s.hidden.size(), -1);
    for (const diff::Row &row : s.rows) {
        m_maxLine = std::max({m_maxLine, row.left.line + row.foldLines, row.right.line + row.foldLines});
        m_maxBytes = std::max({m_maxBytes, row.left.length, row.right.length});
    }
    for (int r = 0; r < n;) {
        const diff::Row &row = s.rows[static_cast<size_t>(r)];
        if (row.kind == diff::RowKind::Change) {
            int end = r;
            while (end < n && s.rows[static_cast<size_t>(end)].kind == diff::RowKind::Change)
                ++end;
            addChangeRun(file, r, end);
            r = end;
            continue;
        }
        fi.left[static_cast<size_t>(r)] = fi.right[static_cast<size_t>(r)] = count();
        if (row.kind == diff::RowKind::Fold && row.hiddenFirst >= 0 && opened.contains(foldKey(file, r))) {
            for (int h = row.hiddenFirst; h < row.hiddenFirst + row.foldLines; ++h) {
                const diff::Row &hidden = s.hidden[static_cast<size_t>(h)];
                m_maxBytes = std::max({m_maxBytes, hidden.left.length, hidden.right.length});
                fi.hidden[static_cast<size_t>(h)] = count();
                push(file, h, LineKind::Hidden, hidden.hunk, false);
            }
        } else {
            push(file, r, LineKind::Row, row.hunk, false);
        }
        ++r;
    }
}

int DiffLayout::fileHeader(int file) const
{
    if (file < 0 || file >= static_cast<int>(m_files.size()))
        return -1;
    return m_files[static_cast<size_t>(file)].header;
}

int DiffLayout::fileOf(int displayRow) const
{
    if (displayRow < 0 || displayRow >= count())
        return -1;
    return m_rows[static_cast<size_t>(displayRow)].file;
}

int DiffLayout::displayOf(int file, int row, bool inHidden, bool right) const
{
    if (file < 0 || file >= static_cast<int>(m_files.size()))
        return -1;
    const FileIndex &fi = m_files[static_cast<size_t>(file)];
    if (row < 0)
        return fi.header;
    const std::vector<int> &v = inHidden ? fi.hidden : (right ? fi.right : fi.left);
    if (row >= static_cast<int>(v.size()))
        return -1;
    const int at = v[static_cast<size_t>(row)];
    // A cell with no line of its own in unified mode (padding) shows with its partner.
    if (at < 0 && !inHidden)
        return (right ? fi.left : fi.right)[static_cast<size_t>(row)];
    return at;
}

int DiffLayout::foldHolding(int file, int hidden) const
{
    if (!m_doc || file < 0 || file >= static_cast<int>(m_doc->files.size()))
        return -1;
    const std::vector<diff::Row> &rows = m_doc->files[static_cast<size_t>(file)].rows.rows;
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const diff::Row &row = rows[static_cast<size_t>(r)];
        if (row.kind == diff::RowKind::Fold && row.hiddenFirst >= 0 && hidden >= row.hiddenFirst &&
            hidden < row.hiddenFirst + row.foldLines)
            return r;
    }
    return -1;
}

int DiffLayout::hunkOf(int displayRow) const
{
    if (!m_doc || displayRow < 0 || displayRow >= count())
        return -1;
    const DisplayRow &d = m_rows[static_cast<size_t>(displayRow)];
    const diff::SideBySide &s = m_doc->files[static_cast<size_t>(d.file)].rows;
    switch (d.kind) {
    case LineKind::FileHeader: return -1;
    case LineKind::Hidden: return s.hidden[static_cast<size_t>(d.index)].hunk;
    default: return s.rows[static_cast<size_t>(d.index)].hunk;
    }
}

} // namespace hp
