#pragma once

#include "diff/difflayout.h"
#include "diff/displayline.h"

#include <QAbstractScrollArea>

#include <memory>

class QPainter;

// One pane of the diff view: a scroll area that paints only its visible rows
// of the shared DiffLayout (gutter with line numbers and +/- marks, line and
// intra-line highlights, escaped dangerous characters, find matches,
// selection and the current row). Vertical scrolling is in rows, horizontal
// in pixels; the view keeps two panes in step.
namespace hp {

// What every pane of one view reads; the view owns and changes it.
struct DiffPaneState
{
    std::shared_ptr<const DiffDocument> doc;
    DiffLayout layout;
    int cursor = -1; // current display row
    int selectionAnchor = -1;
    int selectionEnd = -1;
    bool selectionRight = true; // the side the selection was made on
    QString query;              // find text, empty for none
    int matchRow = -1;          // the current find match
    bool matchRight = true;
    int matchColumn = -1;
    QSet<quint64> unseenHunks; // DiffLayout::foldKey(file, hunk)
};

enum class PaneSide : quint8 { Left, Right, Unified };

class DiffPane : public QAbstractScrollArea
{
    Q_OBJECT

public:
    DiffPane(const DiffPaneState &state, PaneSide side, QWidget *parent = nullptr);

    PaneSide side() const { return m_side; }
    void setSide(PaneSide side);
    bool isRightSide() const { return m_side != PaneSide::Left; }
    // Recomputes scroll ranges after the layout or document changed.
    void relayout();
    int rowHeight() const { return m_rowHeight; }
    int charWidth() const { return m_charWidth; }
    int visibleRows() const; // rows entirely inside the viewport
    int firstVisibleRow() const;
    int rowAt(int y) const;
    // Scrolls so `row` is visible, a few rows below the top when it was not.
    void revealRow(int row);
    void revealColumn(int column);
    // The text of a display row on this pane's side, escaped as shown;
    // empty for padding. Header rows give the file name.
    QString rowText(int row) const;
    // The horizontal content width in pixels (gutter excluded).
    int contentWidth() const;

Q_SIGNALS:
    void rowPressed(int row, bool extend);
    void rowDragged(int row);
    void rowActivated(int row); // a click on a fold, or Enter
    void viewportMoved();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void scrollContentsBy(int dx, int dy) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct CellRef;
    void measure();
    int gutterWidth() const;
    CellRef cellOf(const DisplayRow &row) const;
    void paintRow(QPainter &p, int row, int y) const;
    void paintHeader(QPainter &p, const DisplayRow &row, int y) const;
    void paintBanner(QPainter &p, int y, const QColor &background, const QString &text) const;
    void paintGutter(QPainter &p, const CellRef &cell, int row, int y) const;
    void paintText(QPainter &p, const CellRef &cell, int row, int y) const;
    void paintSpans(QPainter &p, const std::vector<ColumnSpan> &spans, int y, const QColor &c) const;
    QString foldText(const DisplayRow &row) const;

    const DiffPaneState &m_state;
    PaneSide m_side;
    int m_rowHeight = 16;
    int m_charWidth = 8;   // whole pixels, for the gutter
    qreal m_advance = 8.0; // the font's real advance: text columns drift otherwise
    int m_ascent = 12;
    int m_digits = 4;
};

} // namespace hp
