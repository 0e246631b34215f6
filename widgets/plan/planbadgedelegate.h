#pragma once

#include <QStyledItemDelegate>

// Paints PlanTreeModel's action column: resource rows as large badges whose
// word carries the meaning (REPLACE, DELETE, ...) and whose colour repeats
// it (REPLACE and DELETE red, impossible to miss); detail rows as a coloured
// tag (FORCES REPLACEMENT red, CASCADE orange). The subject column carries
// two lines, the subject (address, attribute path) over its detail (why,
// before → after), so a narrow pane still shows why at a glance. Text is
// painted, never interpreted: no rich text reaches a painter.
namespace hp {

class PlanBadgeDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    static constexpr int kRowHeight = 42;

    explicit PlanBadgeDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintBadge(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintSubject(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintTag(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
};

} // namespace hp
