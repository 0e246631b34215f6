#include "queuedelegate.h"

#include "itemmodels/changequeuemodel.h"
#include "statusstyle.h"

#include <QApplication>
#include <QPainter>

namespace hp {

void QueueDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const int column = index.column();
    if (column == ChangeQueueModel::ApprovalsColumn || column == ChangeQueueModel::AgeColumn ||
        column == ChangeQueueModel::DueColumn)
        option->displayAlignment = Qt::AlignRight | Qt::AlignVCenter;
    if (column == ChangeQueueModel::DueColumn &&
        index.data(ChangeQueueModel::OverdueRole).toBool()) {
        option->palette.setColor(QPalette::Text, StatusStyle::error());
        option->font.setBold(true);
    }
    if (column == ChangeQueueModel::TitleColumn &&
        index.data(ChangeQueueModel::StatusRole).toInt() == static_cast<int>(ChangeStatus::Pending))
        option->font.setBold(true); // what still waits on someone reads first
    if (column == ChangeQueueModel::ApprovalsColumn) {
        const int counted = index.data(ChangeQueueModel::CountedApprovalsRole).toInt();
        const int required = index.data(ChangeQueueModel::RequiredApprovalsRole).toInt();
        if (counted < required)
            option->palette.setColor(QPalette::Text, StatusStyle::muted());
    }
}

void QueueDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const
{
    if (index.column() == ChangeQueueModel::StatusColumn)
        paintStatus(painter, option, index);
    else if (index.column() == ChangeQueueModel::RiskColumn)
        paintRisk(painter, option, index);
    else
        QStyledItemDelegate::paint(painter, option, index);
}

void QueueDelegate::paintBackground(QPainter *painter, const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    // Background and selection as the style draws them, without text.
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
}

void QueueDelegate::paintRisk(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    paintBackground(painter, option, index);
    const QVariant riskClass = index.data(ChangeQueueModel::RiskClassRole);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QFont font = StatusStyle::scaled(option.font, 0.85, true);
    painter->setFont(font);
    const QFontMetrics fm(font);
    const QRect cell = option.rect.adjusted(6, 0, -4, 0);
    if (!riskClass.isValid()) {
        painter->setPen(StatusStyle::muted());
        painter->drawText(cell, Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("n/a"));
        painter->restore();
        return;
    }
    const auto cls = static_cast<Impact>(riskClass.toInt());
    const StatusColors colors = StatusStyle::riskColors(cls);
    const int chipHeight = fm.height() + 4;
    // The score right-aligned in a fixed-width slot so the class names line up.
    const QString score = QString::number(index.data(ChangeQueueModel::RiskScoreRole).toInt());
    // Abbreviated so the title keeps its room; the tooltip and the filter
    // use the full class name.
    const QString label = StatusStyle::riskShortLabel(cls);
    const int scoreWidth = fm.horizontalAdvance(QStringLiteral("100"));
    const QRect chip(cell.left(), cell.center().y() - chipHeight / 2 + 1,
                     scoreWidth + 8 + fm.horizontalAdvance(label) + 12, chipHeight);
    painter->setPen(colors.background.darker(140));
    painter->setBrush(colors.background);
    painter->drawRoundedRect(chip, 4, 4);
    painter->setPen(colors.foreground);
    const QRect scoreRect(chip.left() + 6, chip.top(), scoreWidth, chip.height());
    painter->drawText(scoreRect, Qt::AlignVCenter | Qt::AlignRight, score);
    painter->drawText(chip.adjusted(6 + scoreWidth + 6, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                      label);
    painter->restore();
}

void QueueDelegate::paintStatus(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    paintBackground(painter, option, index);

    const auto status = static_cast<ChangeStatus>(index.data(ChangeQueueModel::StatusRole).toInt());
    const bool escalated = index.data(ChangeQueueModel::EscalatedRole).toBool();
    const StatusColors colors = StatusStyle::colors(status);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QFont font = StatusStyle::scaled(option.font, 0.85, true);
    painter->setFont(font);
    const QFontMetrics fm(font);
    const QString text = toString(status).toUpper();
    const QRect cell = option.rect.adjusted(6, 0, -4, 0);
    const int chipHeight = fm.height() + 4;
    QRect chip(cell.left(), cell.center().y() - chipHeight / 2 + 1, fm.horizontalAdvance(text) + 14,
               chipHeight);
    painter->setPen(colors.foreground);
    painter->setBrush(colors.background);
    painter->drawRoundedRect(chip, 4, 4);
    painter->drawText(chip, Qt::AlignCenter, text);
    if (status == ChangeStatus::Pending && escalated) {
        // The escalation mark: a lead must be among the approvers now.
        const QRect mark(chip.right() + 5, chip.top(),
                         fm.horizontalAdvance(QStringLiteral("▲ ESC")) + 2, chipHeight);
        painter->setPen(StatusStyle::escalation());
        painter->drawText(mark, Qt::AlignVCenter | Qt::AlignLeft, QStringLiteral("▲ ESC"));
    }
    painter->restore();
}

QSize QueueDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 12));
    if (index.column() == ChangeQueueModel::StatusColumn) {
        const QFontMetrics fm(StatusStyle::scaled(option.font, 0.85, true));
        // Room for the widest chip, or a pending chip with its escalation mark.
        const int widest = fm.horizontalAdvance(QStringLiteral("WITHDRAWN")) + 14;
        const int escalated = fm.horizontalAdvance(QStringLiteral("PENDING")) + 14 + 5 +
                              fm.horizontalAdvance(QStringLiteral("▲ ESC")) + 2;
        size.setWidth(std::max(widest, escalated) + 12);
    } else if (index.column() == ChangeQueueModel::RiskColumn) {
        const QFontMetrics fm(StatusStyle::scaled(option.font, 0.85, true));
        size.setWidth(fm.horizontalAdvance(QStringLiteral("100")) + 8 +
                      fm.horizontalAdvance(QStringLiteral("HIGH")) + 12 + 8);
    }
    return size;
}

} // namespace hp
