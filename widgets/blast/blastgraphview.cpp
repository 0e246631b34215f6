#include "blast/blastgraphview.h"

#include "blast/blastnodeitem.h"
#include "blast/blaststyle.h"

#include <QGraphicsPathItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsScene>
#include <QImage>
#include <QKeyEvent>
#include <QPainter>
#include <QWheelEvent>

#include <cmath>

namespace hp {

namespace {

constexpr double kZoomStep = 1.2;
constexpr double kMinZoom = 0.05;
constexpr double kMaxZoom = 4.0;
constexpr double kMargin = 24;
constexpr double kMaxExportScale = 2.0;
constexpr int kMaxExportSide = 8192;
constexpr double kArrow = 8;
constexpr double kFitSlack = 0.98;

// A curve from the dependent's left side to the dependency's right side.
QPainterPath edgePath(const QRectF &from, const QRectF &to)
{
    const QPointF start(from.left(), from.center().y());
    const QPointF end(to.right(), to.center().y());
    const double pull = std::max(30.0, (start.x() - end.x()) / 2);
    QPainterPath path(start);
    path.cubicTo(start - QPointF(pull, 0), end + QPointF(pull, 0), end);
    return path;
}

QPolygonF arrowHead(const QRectF &to)
{
    const QPointF tip(to.right(), to.center().y());
    return QPolygonF({tip, tip + QPointF(kArrow, -kArrow / 2), tip + QPointF(kArrow, kArrow / 2)});
}

// Through the node centres; a hop inside one column bows out to the left so
// it does not run through the nodes between.
QPainterPath scoringPath(const BlastGraphLayout &layout, const QStringList &ids)
{
    QPainterPath path;
    const BlastGraphNode *prev = nullptr;
    for (const QString &id : ids) {
        const BlastGraphNode *n = layout.node(id);
        if (n == nullptr)
            continue;
        if (prev == nullptr) {
            path.moveTo(n->rect.center());
        } else if (prev->depth == n->depth) {
            const QPointF a = prev->rect.center();
            const QPointF b = n->rect.center();
            const double bow = n->rect.width() / 2 + 36;
            path.cubicTo(a - QPointF(bow, 0), b - QPointF(bow, 0), b);
        } else {
            path.lineTo(n->rect.center());
        }
        prev = n;
    }
    return path;
}

} // namespace

BlastGraphView::BlastGraphView(QWidget *parent)
    : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setResizeAnchor(QGraphicsView::AnchorViewCenter);
    setFocusPolicy(Qt::StrongFocus);
    setBackgroundBrush(QColor(0xfb, 0xfb, 0xfc));
}

void BlastGraphView::clear()
{
    scene()->clear();
    m_items.clear();
    m_scoringPath = nullptr;
    m_selected.clear();
    m_layout = BlastGraphLayout();
    scene()->setSceneRect(QRectF());
}

void BlastGraphView::setAssessment(const Assessment &assessment, const Topology &topology)
{
    clear();
    m_layout = BlastGraphLayout::compute(assessment);
    for (const BlastGraphNode &n : m_layout.nodes()) {
        auto *item = new BlastNodeItem(n, blastNodeInfo(n.id, topology));
        scene()->addItem(item);
        m_items.insert(n.id, item);
    }
    addEdges();
    m_scoringPath = scene()->addPath(QPainterPath(), QPen(BlastStyle::selection(), 2.2, Qt::DashLine));
    m_scoringPath->setZValue(1);
    scene()->setSceneRect(m_layout.bounds().adjusted(-kMargin, -kMargin, kMargin, kMargin));
    m_fit = Fit::Readable;
    applyFit();
}

void BlastGraphView::addEdges()
{
    const QPen pen(BlastStyle::edge(), 1.3);
    for (const BlastGraphNode &n : m_layout.nodes()) {
        const BlastGraphNode *to = n.next.isEmpty() ? nullptr : m_layout.node(n.next);
        if (n.changed || to == nullptr)
            continue;
        QGraphicsPathItem *edge = scene()->addPath(edgePath(n.rect, to->rect), pen);
        edge->setZValue(0);
        QGraphicsPolygonItem *head = scene()->addPolygon(arrowHead(to->rect), pen, BlastStyle::edge());
        head->setZValue(0);
    }
}

void BlastGraphView::selectNode(const QString &nodeId)
{
    if (BlastNodeItem *old = m_items.value(m_selected))
        old->setHighlighted(false);
    BlastNodeItem *item = m_items.value(nodeId);
    m_selected = item ? nodeId : QString();
    if (m_scoringPath == nullptr)
        return;
    const BlastGraphNode *n = m_layout.node(m_selected);
    m_scoringPath->setPath(n ? scoringPath(m_layout, n->scoringPath) : QPainterPath());
    if (item) {
        item->setHighlighted(true);
        ensureVisible(item, 20, 20);
    }
}

double BlastGraphView::zoom() const
{
    return transform().m11();
}

void BlastGraphView::scaleBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double step = target / zoom();
    scale(step, step);
}

void BlastGraphView::zoomIn()
{
    m_fit = Fit::Manual;
    scaleBy(kZoomStep);
}

void BlastGraphView::zoomOut()
{
    m_fit = Fit::Manual;
    scaleBy(1 / kZoomStep);
}

void BlastGraphView::applyFit()
{
    if (m_fit == Fit::Readable)
        fitReadable();
    else if (m_fit == Fit::Whole)
        fitAll();
}

void BlastGraphView::fitAll()
{
    m_fit = Fit::Whole;
    const QRectF rect = sceneRect();
    const QSize room = viewport()->size();
    if (rect.isEmpty() || room.isEmpty())
        return;
    // Fit, but never enlarge: a three-node graph stays at its natural size.
    // A little slack, so rounding never brings back a scroll bar.
    const double s = std::clamp(kFitSlack * std::min(room.width() / rect.width(), room.height() / rect.height()),
                                kMinZoom, 1.0);
    setTransform(QTransform::fromScale(s, s));
    centerOn(rect.center());
}

void BlastGraphView::fitReadable()
{
    const QRectF rect = sceneRect();
    const QSize room = viewport()->size();
    if (rect.isEmpty() || room.isEmpty())
        return;
    const double whole =
        std::min({kFitSlack * room.width() / rect.width(), kFitSlack * room.height() / rect.height(), 1.0});
    if (whole >= kReadableZoom) {
        setTransform(QTransform::fromScale(whole, whole));
        centerOn(rect.center());
        return;
    }
    // Too many nodes to show whole and readable: fit the width if that is
    // readable, and start at the changed nodes, where every path ends.
    const double s = std::clamp(room.width() / rect.width(), kReadableZoom, 1.0);
    setTransform(QTransform::fromScale(s, s));
    double y = rect.center().y();
    for (const BlastGraphNode &n : m_layout.nodes()) {
        if (n.changed) {
            y = n.rect.center().y();
            break;
        }
    }
    centerOn(QPointF(rect.left() + room.width() / (2 * s), y));
}

void BlastGraphView::wheelEvent(QWheelEvent *event)
{
    if (!(event->modifiers() & Qt::ControlModifier)) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    const int steps = event->angleDelta().y() / 120;
    if (steps == 0)
        return;
    m_fit = Fit::Manual;
    scaleBy(std::pow(kZoomStep, steps));
    event->accept();
}

void BlastGraphView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        return;
    case Qt::Key_Minus:
        zoomOut();
        return;
    case Qt::Key_0:
        fitAll();
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

void BlastGraphView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        for (QGraphicsItem *item : items(event->position().toPoint())) {
            if (item->type() == BlastNodeItem::Type) {
                const QString id = static_cast<BlastNodeItem *>(item)->nodeId();
                selectNode(id);
                Q_EMIT nodeClicked(id);
                event->accept();
                return;
            }
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void BlastGraphView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    applyFit();
}

double BlastGraphView::exportScale() const
{
    const QSizeF size = sceneRect().size();
    const double side = std::max(size.width(), size.height());
    return side <= 0 ? kMaxExportScale : std::min(kMaxExportScale, kMaxExportSide / side);
}

QSize BlastGraphView::exportSize() const
{
    const QSizeF size = sceneRect().size() * exportScale();
    return QSize(static_cast<int>(std::ceil(size.width())), static_cast<int>(std::ceil(size.height())));
}

Status BlastGraphView::exportPng(const QString &path) const
{
    const QSize size = exportSize();
    if (size.isEmpty())
        return makeError(ExitCode::Usage, QStringLiteral("empty_graph"),
                         QStringLiteral("there is no graph to export"), path);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        scene()->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)), sceneRect(), Qt::KeepAspectRatio);
    }
    if (!image.save(path, "PNG"))
        return makeError(ExitCode::Usage, QStringLiteral("unwritable_file"),
                         QStringLiteral("cannot write the PNG %1").arg(path), path);
    return {};
}

} // namespace hp
