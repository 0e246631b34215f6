#pragma once

#include <QStyledItemDelegate>

// Paints the rows a verification flagged (AuditModel::ProblemRole) on a red
// background so a problem cannot be overlooked while scrolling.
namespace hp {

class AuditRowDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace hp
