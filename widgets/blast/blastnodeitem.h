#pragma once

#include "blast/blastgraphlayout.h"
#include "blast/blastnodes.h"

#include <QGraphicsItem>

// One node of BlastGraphView, painted by hand: a rectangle in its action's
// colour for a changed node, an ellipse for an impacted one, the name and one
// line of detail inside. Text is drawn with QPainter::drawText: plain text
// only, whatever the name contains.
namespace hp {

class BlastNodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 0x5b1 };

    BlastNodeItem(const BlastGraphNode &node, const BlastNodeInfo &info);

    int type() const override { return Type; }
    QString nodeId() const { return m_node.id; }
    bool isChanged() const { return m_node.changed; }
    void setHighlighted(bool on);
    bool isHighlighted() const { return m_highlighted; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QRectF body() const;
    QString detail() const;

    BlastGraphNode m_node;
    BlastNodeInfo m_info;
    bool m_highlighted = false;
};

} // namespace hp
