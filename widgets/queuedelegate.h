#pragma once

#include <QStyledItemDelegate>

// Paints the review queue: the risk column as a badge (score and class name
// on the class colour), the status column as a coloured chip with the
// escalation mark, numbers and ages right-aligned, every text plain (the
// default delegate never interprets markup, and neither does this one).
namespace hp {

class QueueDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    void paintBackground(QPainter *painter, const QStyleOptionViewItem &option,
                         const QModelIndex &index) const;
    void paintRisk(QPainter *painter, const QStyleOptionViewItem &option,
                   const QModelIndex &index) const;
    void paintStatus(QPainter *painter, const QStyleOptionViewItem &option,
                     const QModelIndex &index) const;
};

} // namespace hp
