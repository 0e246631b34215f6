#include "blast/blastnodeitem.h"

#include "blast/blaststyle.h"

#include <QCursor>
#include <QFontMetricsF>
#include <QPainter>

namespace hp {

namespace {

constexpr double kHighlightPen = 3.0;

} // namespace

BlastNodeItem::BlastNodeItem(const BlastGraphNode &node, const BlastNodeInfo &info)
    : m_node(node), m_info(info)
{
    setPos(node.rect.topLeft());
    setZValue(2);
    setAcceptedMouseButtons(Qt::LeftButton);
    setCursor(QCursor(Qt::PointingHandCursor));
}

void BlastNodeItem::setHighlighted(bool on)
{
    if (on == m_highlighted)
        return;
    m_highlighted = on;
    update();
}

QRectF BlastNodeItem::body() const
{
    return QRectF(QPointF(0, 0), m_node.rect.size());
}

QRectF BlastNodeItem::boundingRect() const
{
    const double m = kHighlightPen;
    return body().adjusted(-m, -m, m, m);
}

QPainterPath BlastNodeItem::shape() const
{
    QPainterPath path;
    if (m_node.changed)
        path.addRect(body());
    else
        path.addEllipse(body());
    return path;
}

QString BlastNodeItem::detail() const
{
    if (m_node.changed) {
        QString text = BlastStyle::actionLabel(m_node.action);
        if (m_node.resources > 1)
            text += QStringLiteral(" · %1 resources").arg(m_node.resources);
        return text;
    }
    return QStringLiteral("depth %1 · %2").arg(m_node.depth).arg(formatTerm(m_node.value));
}

void BlastNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const BlastColors colors = m_node.changed ? BlastStyle::action(m_node.action) : BlastStyle::impacted();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(colors.background);
    painter->setPen(m_highlighted ? QPen(BlastStyle::selection(), kHighlightPen)
                                  : QPen(colors.foreground, m_node.changed ? 1.6 : 1.2));
    const QRectF r = body();
    if (m_node.changed)
        painter->drawRoundedRect(r, 3, 3);
    else
        painter->drawEllipse(r);

    // An ellipse leaves less room at the sides.
    const QRectF text = r.adjusted(m_node.changed ? 8 : 20, 4, m_node.changed ? -8 : -20, -4);
    QFont nameFont = painter->font();
    nameFont.setBold(true);
    QFont detailFont = painter->font();
    detailFont.setPointSizeF(std::max(6.0, detailFont.pointSizeF() * 0.85));
    const QFontMetricsF nameMetrics(nameFont);
    const QFontMetricsF detailMetrics(detailFont);
    const QRectF top(text.left(), text.top(), text.width(), text.height() / 2);
    const QRectF bottom(text.left(), text.center().y(), text.width(), text.height() / 2);

    painter->setPen(colors.foreground);
    painter->setFont(nameFont);
    painter->drawText(top, Qt::AlignHCenter | Qt::AlignBottom,
                      nameMetrics.elidedText(m_info.name, Qt::ElideMiddle, text.width()));
    painter->setFont(detailFont);
    painter->drawText(bottom, Qt::AlignHCenter | Qt::AlignTop,
                      detailMetrics.elidedText(detail(), Qt::ElideRight, text.width()));
}

} // namespace hp
