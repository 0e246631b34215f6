// SideBySideDiffView, second half: what the reviewer does in a shown diff —
// navigation, folds, unified mode, find, copy, the danger banner and review
// coverage. Construction and the off-thread build are in sidebysidediffview.cpp.
#include "diff/sidebysidediffview.h"

#include "coverage/seentracker.h"
#include "storage/store.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QToolButton>
#include <QTreeWidget>

#include <algorithm>

namespace hp {

namespace {

constexpr int kUnseenColumn = 4;

} // namespace

DangerSpot SideBySideDiffView::spotOf(int row, bool right) const
{
    if (row < 0 || row >= m_state.layout.count())
        return {-1, -1, false, right};
    const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
    switch (d.kind) {
    case LineKind::FileHeader: return {d.file, -1, false, right};
    case LineKind::Hidden: return {d.file, d.index, true, right};
    case LineKind::Removed: return {d.file, d.index, false, false};
    case LineKind::Added: return {d.file, d.index, false, true};
    case LineKind::Row: break;
    }
    return {d.file, d.index, false, right};
}

void SideBySideDiffView::relayout(bool unified)
{
    // Keep the reader's place: the current row and the top row, as document
    // positions, mapped back after the rebuild.
    const DangerSpot cursor = spotOf(m_state.cursor, m_state.selectionRight);
    const DangerSpot top = spotOf(m_right->firstVisibleRow(), true);
    m_state.layout.build(m_state.doc.get(), unified, m_opened);
    m_state.selectionAnchor = m_state.selectionEnd = -1;
    m_left->setVisible(!unified);
    m_right->setSide(unified ? PaneSide::Unified : PaneSide::Right);
    m_left->relayout();
    const int topRow = top.file >= 0 ? m_state.layout.displayOf(top.file, top.row, top.inHidden, top.right) : 0;
    m_right->verticalScrollBar()->setValue(std::max(0, topRow));
    if (cursor.file >= 0) {
        const int row = m_state.layout.displayOf(cursor.file, cursor.row, cursor.inHidden, cursor.right);
        setCursor(row, cursor.right);
        m_right->revealRow(row);
    }
    showMatch();
    std::vector<TrackedItem> items;
    items.reserve(m_state.layout.hunks().size());
    for (const HunkSpan &h : m_state.layout.hunks())
        items.push_back({coverage::hunkKey(m_artifact, h.file, h.hunk), h.top, h.bottom});
    m_tracker->setItems(std::move(items));
    updateSeenViews();
    updateCoverage();
}

void SideBySideDiffView::setUnified(bool unified)
{
    if (m_unifiedButton->isChecked() != unified) {
        m_unifiedButton->setChecked(unified); // calls back here through toggled
        return;
    }
    if (m_state.doc && unified != isUnified())
        relayout(unified);
}

void SideBySideDiffView::openFold(int row)
{
    if (row < 0 || row >= m_state.layout.count())
        return;
    const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
    if (d.kind != LineKind::Row)
        return;
    const diff::Row &r = m_state.doc->files[static_cast<size_t>(d.file)].rows.rows[static_cast<size_t>(d.index)];
    if (r.kind != diff::RowKind::Fold || r.hiddenFirst < 0)
        return;
    m_opened.insert(DiffLayout::foldKey(d.file, d.index));
    const int top = m_right->firstVisibleRow();
    relayout(isUnified());
    m_right->verticalScrollBar()->setValue(top); // rows above the fold did not move
    setCursor(m_state.layout.displayOf(d.file, r.hiddenFirst, true, true), true);
}

void SideBySideDiffView::setCursor(int row, bool right)
{
    m_state.cursor = row;
    m_state.selectionRight = right;
    m_left->viewport()->update();
    m_right->viewport()->update();
}

int SideBySideDiffView::currentHunk() const
{
    const std::vector<HunkSpan> &hunks = m_state.layout.hunks();
    int found = -1;
    for (int i = 0; i < static_cast<int>(hunks.size()); ++i) {
        if (hunks[static_cast<size_t>(i)].top <= m_state.cursor)
            found = i;
    }
    return found;
}

void SideBySideDiffView::nextHunk()
{
    for (const HunkSpan &h : m_state.layout.hunks()) {
        if (h.first > m_state.cursor) {
            setCursor(h.first, m_state.selectionRight);
            m_right->revealRow(h.first);
            return;
        }
    }
}

void SideBySideDiffView::previousHunk()
{
    const std::vector<HunkSpan> &hunks = m_state.layout.hunks();
    for (auto it = hunks.rbegin(); it != hunks.rend(); ++it) {
        if (it->first < m_state.cursor) {
            setCursor(it->first, m_state.selectionRight);
            m_right->revealRow(it->first);
            return;
        }
    }
}

void SideBySideDiffView::nextFile()
{
    const int files = m_state.doc ? static_cast<int>(m_state.doc->files.size()) : 0;
    for (int f = 0; f < files; ++f) {
        const int header = m_state.layout.fileHeader(f);
        if (header > m_state.cursor) {
            setCursor(header, m_state.selectionRight);
            m_right->verticalScrollBar()->setValue(header);
            return;
        }
    }
}

void SideBySideDiffView::previousFile()
{
    const int files = m_state.doc ? static_cast<int>(m_state.doc->files.size()) : 0;
    for (int f = files - 1; f >= 0; --f) {
        const int header = m_state.layout.fileHeader(f);
        if (header < m_state.cursor) {
            setCursor(header, m_state.selectionRight);
            m_right->verticalScrollBar()->setValue(header);
            return;
        }
    }
}

void SideBySideDiffView::reveal(const DangerSpot &spot, int column)
{
    if (spot.inHidden) {
        const int fold = m_state.layout.foldHolding(spot.file, spot.row);
        if (fold >= 0 && !m_opened.contains(DiffLayout::foldKey(spot.file, fold))) {
            m_opened.insert(DiffLayout::foldKey(spot.file, fold));
            relayout(isUnified());
        }
    }
    const int row = m_state.layout.displayOf(spot.file, spot.row, spot.inHidden, spot.right);
    if (row < 0)
        return;
    setCursor(row, spot.right);
    m_right->revealRow(row);
    (isUnified() || spot.right ? m_right : m_left)->revealColumn(column);
}

void SideBySideDiffView::showFind()
{
    m_findBar->show();
    m_findField->setFocus(Qt::ShortcutFocusReason);
    m_findField->selectAll();
}

void SideBySideDiffView::find(const QString &query)
{
    if (m_findField->text() != query)
        m_findField->setText(query); // comes back through textChanged
    m_state.query = query;
    m_matches = m_state.doc ? DiffFinder::find(*m_state.doc, query) : std::vector<FindSpot>();
    m_matchIndex = -1;
    // The first match at or after the current row.
    for (int i = 0; i < static_cast<int>(m_matches.size()) && m_matchIndex < 0; ++i) {
        const FindSpot &m = m_matches[static_cast<size_t>(i)];
        int row = m_state.layout.displayOf(m.where.file, m.where.row, m.where.inHidden, m.where.right);
        if (row < 0) // in a closed fold: where the fold row is
            row = m_state.layout.displayOf(m.where.file, m_state.layout.foldHolding(m.where.file, m.where.row),
                                           false, m.where.right);
        if (row >= m_state.cursor)
            m_matchIndex = i;
    }
    if (m_matchIndex < 0 && !m_matches.empty())
        m_matchIndex = 0;
    showMatch();
    if (m_matchIndex >= 0)
        reveal(m_matches[static_cast<size_t>(m_matchIndex)].where, m_state.matchColumn);
}

void SideBySideDiffView::showMatch()
{
    m_state.matchRow = m_state.matchColumn = -1;
    if (m_matchIndex >= 0 && m_matchIndex < static_cast<int>(m_matches.size())) {
        const FindSpot &m = m_matches[static_cast<size_t>(m_matchIndex)];
        m_state.matchRow = m_state.layout.displayOf(m.where.file, m.where.row, m.where.inHidden, m.where.right);
        m_state.matchRight = m.where.right;
        m_state.matchColumn = m.column;
    }
    if (m_state.query.isEmpty())
        m_findStatus->clear();
    else if (m_matches.empty())
        m_findStatus->setText(QStringLiteral("No matches"));
    else
        m_findStatus->setText(QStringLiteral("%1 of %2%3")
                                  .arg(m_matchIndex + 1)
                                  .arg(m_matches.size())
                                  .arg(static_cast<int>(m_matches.size()) >= DiffFinder::kMaxMatches
                                           ? QStringLiteral("+") : QString()));
    m_left->viewport()->update();
    m_right->viewport()->update();
}

void SideBySideDiffView::findNext()
{
    if (m_matches.empty())
        return;
    m_matchIndex = (m_matchIndex + 1) % static_cast<int>(m_matches.size());
    const FindSpot &m = m_matches[static_cast<size_t>(m_matchIndex)];
    reveal(m.where, m.column);
    showMatch();
}

void SideBySideDiffView::findPrevious()
{
    if (m_matches.empty())
        return;
    const int n = static_cast<int>(m_matches.size());
    m_matchIndex = (m_matchIndex - 1 + n) % n;
    const FindSpot &m = m_matches[static_cast<size_t>(m_matchIndex)];
    reveal(m.where, m.column);
    showMatch();
}

void SideBySideDiffView::nextDanger()
{
    if (!m_state.doc || m_state.doc->dangers.empty())
        return;
    const std::vector<DangerSpot> &spots = m_state.doc->dangers;
    m_dangerIndex = (m_dangerIndex + 1) % static_cast<int>(spots.size());
    const DangerSpot &spot = spots[static_cast<size_t>(m_dangerIndex)];
    reveal(spot, 0);
    const int row = m_state.layout.displayOf(spot.file, spot.row, spot.inHidden, spot.right);
    const QString text = (isUnified() || spot.right ? m_right : m_left)->rowText(row);
    const qsizetype escape = text.indexOf(QStringLiteral("<U+"));
    const qsizetype invalid = text.indexOf(QStringLiteral("<0x"));
    const qsizetype at = escape < 0 ? invalid : (invalid < 0 ? escape : std::min(escape, invalid));
    if (at >= 0)
        (isUnified() || spot.right ? m_right : m_left)->revealColumn(static_cast<int>(at));
}

void SideBySideDiffView::copySelection()
{
    DiffPane *pane = activePane();
    int lo = std::min(m_state.selectionAnchor, m_state.selectionEnd);
    int hi = std::max(m_state.selectionAnchor, m_state.selectionEnd);
    if (lo < 0)
        lo = hi = m_state.cursor;
    if (lo < 0)
        return;
    // The text as shown (dangerous characters escaped): a copy never carries
    // a hidden character further.
    QStringList lines;
    for (int row = lo; row <= hi; ++row) {
        const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
        const bool paddingOrFold = pane->rowText(row).isEmpty() && d.kind != LineKind::FileHeader;
        if (!paddingOrFold)
            lines << pane->rowText(row);
    }
    QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

int SideBySideDiffView::dangerCount() const
{
    return (m_state.doc ? m_state.doc->dangerCount : 0) + m_contextDangers;
}

QString SideBySideDiffView::bannerText() const
{
    const int count = dangerCount();
    if (count == 0)
        return {};
    QStringList where;
    const int files = m_state.doc ? m_state.doc->dangerFiles : 0;
    if (files > 0)
        where << QStringLiteral("%1 %2").arg(files).arg(files == 1 ? QStringLiteral("file") : QStringLiteral("files"));
    if (!m_contextWhere.isEmpty())
        where << m_contextWhere;
    return QStringLiteral("%1 hidden or control %2 in %3 — shown as <U+…> escapes")
        .arg(count)
        .arg(count == 1 ? QStringLiteral("character") : QStringLiteral("characters"), where.join(QStringLiteral(" and ")));
}

void SideBySideDiffView::updateBanner()
{
    m_bannerLabel->setText(bannerText());
    m_banner->setVisible(dangerCount() > 0);
    const bool jumpable = m_state.doc && !m_state.doc->dangers.empty();
    for (QWidget *button : m_banner->findChildren<QWidget *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (button != m_bannerLabel)
            button->setVisible(jumpable);
    }
}

QString SideBySideDiffView::seenText() const
{
    const int total = m_tracker->total();
    return total == 0 ? QString()
                      : QStringLiteral("Seen %1 of %2 %3")
                            .arg(m_tracker->seenCount())
                            .arg(total)
                            .arg(total == 1 ? QStringLiteral("hunk") : QStringLiteral("hunks"));
}

void SideBySideDiffView::updateSeenViews()
{
    m_seen->setText(seenText());
    m_state.unseenHunks.clear();
    std::vector<int> unseenPerFile(m_state.doc ? m_state.doc->files.size() : 0, 0);
    for (const HunkSpan &h : m_state.layout.hunks()) {
        if (!m_tracker->isSeen(coverage::hunkKey(m_artifact, h.file, h.hunk))) {
            m_state.unseenHunks.insert(DiffLayout::foldKey(h.file, h.hunk));
            ++unseenPerFile[static_cast<size_t>(h.file)];
        }
    }
    for (int i = 0; i < m_files->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_files->topLevelItem(i);
        const int file = item->data(1, Qt::UserRole).toInt();
        const int unseen = file < static_cast<int>(unseenPerFile.size()) ? unseenPerFile[static_cast<size_t>(file)] : 0;
        item->setText(kUnseenColumn, unseen > 0 ? QStringLiteral("● %1").arg(unseen) : QString());
        item->setForeground(kUnseenColumn, QColor(0xe3, 0x6c, 0x09));
    }
    m_left->viewport()->update();
    m_right->viewport()->update();
}

void SideBySideDiffView::updateCoverage()
{
    if (!m_state.doc)
        return;
    const int top = m_right->firstVisibleRow();
    m_tracker->setViewport(top, top + m_right->visibleRows());
}

void SideBySideDiffView::markSeen(const QStringList &keys)
{
    m_tracker->markSeen(keys);
    updateSeenViews();
}

} // namespace hp
