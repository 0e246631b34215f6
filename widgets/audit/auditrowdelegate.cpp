#include "audit/auditrowdelegate.h"

#include "itemmodels/auditmodel.h"

namespace hp {

void AuditRowDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(AuditModel::ProblemRole).toString().isEmpty())
        return;
    option->backgroundBrush = QBrush(QColor(0xf8, 0xc8, 0xcc));
    option->palette.setColor(QPalette::Text, QColor(0x80, 0x00, 0x10));
    option->palette.setColor(QPalette::Highlight, QColor(0xb0, 0x00, 0x20));
}

} // namespace hp
