#include "diff/diffpane.h"

#include "statusstyle.h"

#include <QKeyEvent>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace hp {

namespace {

// GitHub-like diff colours: line backgrounds, then the stronger colour of
// intra-line changes. Dangerous characters use a colour no diff line uses.
const QColor kAddedLine(0xe6, 0xff, 0xec);
const QColor kAddedChar(0xab, 0xf2, 0xbc);
const QColor kAddedGutter(0xcc, 0xff, 0xd8);
const QColor kRemovedLine(0xff, 0xeb, 0xe9);
const QColor kRemovedChar(0xff, 0xc0, 0xc0);
const QColor kRemovedGutter(0xff, 0xd7, 0xd5);
const QColor kPadding(0xf0, 0xf2, 0xf4);
const QColor kGutter(0xf6, 0xf8, 0xfa);
const QColor kFold(0xdd, 0xf4, 0xff);
const QColor kHeader(0xea, 0xee, 0xf2);
const QColor kDanger(0xb4, 0x23, 0x18);
const QColor kMatch(0xff, 0xf1, 0x8a);
const QColor kCurrentMatch(0xff, 0xa5, 0x00);
const QColor kSelection(0x54, 0xae, 0xff, 0x50);
const QColor kCursor(0x09, 0x69, 0xda);
const QColor kUnseen(0xe3, 0x6c, 0x09);
const QColor kMuted(0x6e, 0x77, 0x81);

int digitsOf(int n)
{
    int d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

} // namespace

struct DiffPane::CellRef
{
    const diff::SideBySide *sbs = nullptr;
    const diff::Row *row = nullptr;
    const diff::Cell *cell = nullptr; // null for headers, folds and binary rows
    bool right = true;                // which buffer `cell` names
    int oldLine = 0;                  // gutter numbers, 0 for none
    int newLine = 0;
    diff::CellKind kind = diff::CellKind::Padding;
};

DiffPane::DiffPane(const DiffPaneState &state, PaneSide side, QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_state(state)
    , m_side(side)
{
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setAutoFillBackground(true);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setCursor(Qt::IBeamCursor);
    setFont(StatusStyle::monospace());
    measure();
}

void DiffPane::setSide(PaneSide side)
{
    m_side = side;
    relayout();
}

void DiffPane::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange)
        measure();
    QAbstractScrollArea::changeEvent(event);
}

void DiffPane::measure()
{
    const QFontMetrics fm(font());
    m_rowHeight = fm.height() + 2;
    m_charWidth = std::max(1, fm.horizontalAdvance(QLatin1Char('0')));
    m_advance = std::max(1.0, QFontMetricsF(font()).horizontalAdvance(QLatin1Char('0')));
    m_ascent = fm.ascent() + 1;
}

int DiffPane::gutterWidth() const
{
    const int numbers = m_side == PaneSide::Unified ? 2 * (m_digits + 1) : m_digits + 1;
    return (numbers + 2) * m_charWidth;
}

int DiffPane::contentWidth() const
{
    // Bytes bound the columns except for tabs and escapes: a small margin covers most.
    const qsizetype columns = std::min<qsizetype>(m_state.layout.maxLineBytes() + 16, 1 << 20);
    return static_cast<int>(std::ceil(static_cast<qreal>(columns) * m_advance));
}

void DiffPane::relayout()
{
    m_digits = std::max(4, digitsOf(m_state.layout.maxLineNumber()));
    const int rows = visibleRows();
    verticalScrollBar()->setRange(0, std::max(0, m_state.layout.count() - rows));
    verticalScrollBar()->setPageStep(std::max(1, rows));
    verticalScrollBar()->setSingleStep(1);
    const int textArea = std::max(1, viewport()->width() - gutterWidth());
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth() - textArea));
    horizontalScrollBar()->setPageStep(textArea);
    horizontalScrollBar()->setSingleStep(m_charWidth * 4);
    viewport()->update();
}

int DiffPane::visibleRows() const
{
    return std::max(1, viewport()->height() / m_rowHeight);
}

int DiffPane::firstVisibleRow() const
{
    return verticalScrollBar()->value();
}

int DiffPane::rowAt(int y) const
{
    const int row = firstVisibleRow() + y / m_rowHeight;
    return row < m_state.layout.count() ? row : -1;
}

void DiffPane::revealRow(int row)
{
    const int first = firstVisibleRow();
    const int rows = visibleRows();
    if (row >= first && row < first + rows)
        return;
    // A few rows of context above the target, as an editor's "go to" does.
    verticalScrollBar()->setValue(std::max(0, row - std::min(3, rows / 4)));
}

void DiffPane::revealColumn(int column)
{
    const int x = static_cast<int>(column * m_advance);
    const int textArea = viewport()->width() - gutterWidth();
    QScrollBar *h = horizontalScrollBar();
    if (x < h->value() || x + 8 * m_charWidth > h->value() + textArea)
        h->setValue(std::max(0, x - textArea / 3));
}

void DiffPane::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    relayout();
    Q_EMIT viewportMoved();
}

void DiffPane::scrollContentsBy(int, int)
{
    viewport()->update();
    Q_EMIT viewportMoved();
}

DiffPane::CellRef DiffPane::cellOf(const DisplayRow &d) const
{
    CellRef ref;
    if (!m_state.doc || d.kind == LineKind::FileHeader)
        return ref;
    const diff::SideBySide &s = m_state.doc->files[static_cast<size_t>(d.file)].rows;
    ref.sbs = &s;
    ref.row = d.kind == LineKind::Hidden ? &s.hidden[static_cast<size_t>(d.index)]
                                         : &s.rows[static_cast<size_t>(d.index)];
    if (ref.row->kind == diff::RowKind::Fold || ref.row->kind == diff::RowKind::Binary)
        return ref;
    ref.right = d.kind == LineKind::Added ||
                (d.kind != LineKind::Removed && m_side != PaneSide::Left);
    ref.cell = ref.right ? &ref.row->right : &ref.row->left;
    ref.kind = ref.cell->kind;
    if (m_side == PaneSide::Unified) {
        ref.oldLine = d.kind == LineKind::Added ? 0 : ref.row->left.line;
        ref.newLine = d.kind == LineKind::Removed ? 0 : ref.row->right.line;
        if (ref.kind == diff::CellKind::Changed)
            ref.kind = ref.right ? diff::CellKind::Added : diff::CellKind::Removed;
    } else {
        (ref.right ? ref.newLine : ref.oldLine) = ref.cell->line;
    }
    return ref;
}

void DiffPane::paintEvent(QPaintEvent *)
{
    QPainter p(viewport());
    p.setFont(font());
    const int first = firstVisibleRow();
    const int last = std::min(m_state.layout.count(), first + viewport()->height() / m_rowHeight + 2);
    for (int row = first; row < last; ++row)
        paintRow(p, row, (row - first) * m_rowHeight);
}

QString DiffPane::foldText(const DisplayRow &d) const
{
    const diff::Row &row = m_state.doc->files[static_cast<size_t>(d.file)].rows.rows[static_cast<size_t>(d.index)];
    const QString count = QLocale(QLocale::English).toString(row.foldLines);
    const QString lines = row.foldLines == 1 ? QStringLiteral("line") : QStringLiteral("lines");
    if (row.hiddenFirst < 0)
        return QStringLiteral("⋯ %1 unchanged %2 (not in the patch)").arg(count, lines);
    return QStringLiteral("⋯ %1 unchanged %2 — click or Enter to show").arg(count, lines);
}

void DiffPane::paintBanner(QPainter &p, int y, const QColor &background, const QString &text) const
{
    const QRect line(0, y, viewport()->width(), m_rowHeight);
    p.fillRect(line, background);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(line.adjusted(m_charWidth, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
}

void DiffPane::paintHeader(QPainter &p, const DisplayRow &d, int y) const
{
    const DiffFile &f = m_state.doc->files[static_cast<size_t>(d.file)];
    const QString text = QStringLiteral("%1  %2   +%3 −%4")
                             .arg(f.statusLetter(), f.displayName())
                             .arg(f.rows.additions)
                             .arg(f.rows.deletions);
    QFont bold = font();
    bold.setBold(true);
    p.save();
    p.setFont(bold);
    paintBanner(p, y, kHeader, text);
    p.restore();
}

void DiffPane::paintRow(QPainter &p, int row, int y) const
{
    const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
    if (d.kind == LineKind::FileHeader) {
        paintHeader(p, d, y);
    } else {
        const CellRef ref = cellOf(d);
        if (ref.row->kind == diff::RowKind::Fold) {
            paintBanner(p, y, kFold, foldText(d));
        } else if (ref.row->kind == diff::RowKind::Binary) {
            const DiffFile &f = m_state.doc->files[static_cast<size_t>(d.file)];
            const qint64 size = m_side == PaneSide::Left ? f.oldSize : f.newSize;
            paintBanner(p, y, kPadding,
                        size < 0 ? QStringLiteral("Binary file (its bytes are not in the patch)")
                                 : QStringLiteral("Binary file, %1 bytes")
                                       .arg(QLocale(QLocale::English).toString(size)));
        } else {
            paintGutter(p, ref, row, y);
            paintText(p, ref, row, y);
        }
    }
    const bool selectedSide = m_side == PaneSide::Unified || m_state.selectionRight == isRightSide();
    const int lo = std::min(m_state.selectionAnchor, m_state.selectionEnd);
    const int hi = std::max(m_state.selectionAnchor, m_state.selectionEnd);
    if (selectedSide && lo >= 0 && row >= lo && row <= hi)
        p.fillRect(QRect(0, y, viewport()->width(), m_rowHeight), kSelection);
    if (row == m_state.cursor)
        p.fillRect(QRect(0, y, 3, m_rowHeight), kCursor);
}

void DiffPane::paintGutter(QPainter &p, const CellRef &ref, int row, int y) const
{
    const int width = gutterWidth();
    QColor background = kGutter;
    QChar marker = QLatin1Char(' ');
    if (ref.kind == diff::CellKind::Added || (ref.kind == diff::CellKind::Changed && ref.right)) {
        background = kAddedGutter;
        marker = QLatin1Char('+');
    } else if (ref.kind == diff::CellKind::Removed || (ref.kind == diff::CellKind::Changed && !ref.right)) {
        background = kRemovedGutter;
        marker = QChar(0x2212);
    } else if (ref.kind == diff::CellKind::Padding) {
        background = kPadding;
    }
    p.fillRect(QRect(0, y, width, m_rowHeight), background);
    p.setPen(kMuted);
    const int numberWidth = (m_digits + 1) * m_charWidth;
    int x = 0;
    const auto number = [&](int line) {
        if (line > 0)
            p.drawText(QRect(x, y, numberWidth - m_charWidth / 2, m_rowHeight),
                       Qt::AlignRight | Qt::AlignVCenter, QString::number(line));
        x += numberWidth;
    };
    if (m_side == PaneSide::Unified)
        number(ref.oldLine);
    number(m_side == PaneSide::Left ? ref.oldLine : ref.newLine);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QRect(x, y, 2 * m_charWidth, m_rowHeight), Qt::AlignCenter, QString(marker));
    // Rows of a hunk the reviewer has not seen yet carry a mark at the gutter's edge.
    const int hunk = ref.row->hunk;
    const int file = m_state.layout.rows()[static_cast<size_t>(row)].file;
    if (hunk >= 0 && m_state.unseenHunks.contains(DiffLayout::foldKey(file, hunk)))
        p.fillRect(QRect(width - 2, y, 2, m_rowHeight), kUnseen);
}

void DiffPane::paintSpans(QPainter &p, const std::vector<ColumnSpan> &spans, int y, const QColor &c) const
{
    const int origin = gutterWidth() - horizontalScrollBar()->value();
    for (const ColumnSpan &s : spans)
        p.fillRect(QRectF(origin + s.start * m_advance, y, s.length * m_advance, m_rowHeight), c);
}

void DiffPane::paintText(QPainter &p, const CellRef &ref, int row, int y) const
{
    const int gutter = gutterWidth();
    const QRect area(gutter, y, viewport()->width() - gutter, m_rowHeight);
    const bool added = ref.kind == diff::CellKind::Added || (ref.kind == diff::CellKind::Changed && ref.right);
    const bool removed = ref.kind == diff::CellKind::Removed || (ref.kind == diff::CellKind::Changed && !ref.right);
    p.fillRect(area, added ? kAddedLine : removed ? kRemovedLine
                     : ref.kind == diff::CellKind::Padding ? kPadding : palette().color(QPalette::Base));
    if (ref.kind == diff::CellKind::Padding)
        return;
    p.save();
    p.setClipRect(area);
    const int scroll = horizontalScrollBar()->value();
    const int maxColumns = static_cast<int>((scroll + area.width()) / m_advance) + 2;
    const QByteArrayView bytes = ref.right ? ref.sbs->rightText(*ref.cell) : ref.sbs->leftText(*ref.cell);
    const bool intra = ref.cell->kind == diff::CellKind::Changed && !ref.cell->intraLineSkipped;
    const DisplayLine line = DisplayLine::of(bytes, intra ? ref.sbs->rangesOf(*ref.cell)
                                                          : std::span<const diff::ByteSpan>(), maxColumns);
    paintSpans(p, line.changed, y, added ? kAddedChar : kRemovedChar);
    const bool matchSide = m_side == PaneSide::Unified || m_state.matchRight == ref.right;
    if (!m_state.query.isEmpty()) {
        std::vector<ColumnSpan> matches;
        for (qsizetype at = line.text.indexOf(m_state.query, 0, Qt::CaseInsensitive); at >= 0;
             at = line.text.indexOf(m_state.query, at + 1, Qt::CaseInsensitive))
            matches.push_back({static_cast<int>(at), static_cast<int>(m_state.query.size())});
        paintSpans(p, matches, y, kMatch);
        if (row == m_state.matchRow && matchSide && m_state.matchColumn >= 0)
            paintSpans(p, {{m_state.matchColumn, static_cast<int>(m_state.query.size())}}, y, kCurrentMatch);
    }
    const int first = std::max(0, static_cast<int>(scroll / m_advance));
    const int origin = gutter - scroll;
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPointF(origin + first * m_advance, y + m_ascent), line.text.mid(first, maxColumns - first));
    for (const ColumnSpan &e : line.escapes) {
        const QRectF box(origin + e.start * m_advance, y + 1, e.length * m_advance, m_rowHeight - 2);
        p.fillRect(box, kDanger);
        p.setPen(Qt::white);
        p.drawText(QPointF(box.left(), y + m_ascent), line.text.mid(e.start, e.length));
    }
    if (ref.cell->noNewline) {
        p.setPen(kMuted);
        p.drawText(QPointF(origin + static_cast<qreal>(line.text.size() + 1) * m_advance, y + m_ascent),
                   QStringLiteral("⊘ no newline at end of file"));
    }
    p.restore();
}

QString DiffPane::rowText(int row) const
{
    if (row < 0 || row >= m_state.layout.count() || !m_state.doc)
        return {};
    const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
    if (d.kind == LineKind::FileHeader)
        return m_state.doc->files[static_cast<size_t>(d.file)].displayName();
    const CellRef ref = cellOf(d);
    if (!ref.cell || ref.cell->kind == diff::CellKind::Padding)
        return {};
    return DisplayLine::of(ref.right ? ref.sbs->rightText(*ref.cell) : ref.sbs->leftText(*ref.cell)).text;
}

void DiffPane::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int row = rowAt(static_cast<int>(event->position().y()));
    if (row < 0)
        return;
    Q_EMIT rowPressed(row, event->modifiers().testFlag(Qt::ShiftModifier));
    const DisplayRow &d = m_state.layout.rows()[static_cast<size_t>(row)];
    if (d.kind == LineKind::Row) {
        const diff::Row &r = m_state.doc->files[static_cast<size_t>(d.file)].rows.rows[static_cast<size_t>(d.index)];
        if (r.kind == diff::RowKind::Fold)
            Q_EMIT rowActivated(row);
    }
}

void DiffPane::mouseMoveEvent(QMouseEvent *event)
{
    if (!event->buttons().testFlag(Qt::LeftButton))
        return;
    const int y = static_cast<int>(event->position().y());
    if (y < 0)
        verticalScrollBar()->setValue(verticalScrollBar()->value() - 1);
    else if (y > viewport()->height())
        verticalScrollBar()->setValue(verticalScrollBar()->value() + 1);
    const int row = rowAt(std::clamp(y, 0, viewport()->height() - 1));
    if (row >= 0)
        Q_EMIT rowDragged(row);
}

void DiffPane::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        Q_EMIT rowActivated(m_state.cursor);
        return;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

} // namespace hp
