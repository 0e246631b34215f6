#include "plan/planbadgedelegate.h"

#include "plan/plantreemodel.h"
#include "statusstyle.h"

#include <QApplication>
#include <QPainter>

namespace hp {

namespace {

struct BadgeColors
{
    QColor fill;
    QColor text;
};

BadgeColors badgeColors(PlanGroup group)
{
    switch (group) {
    case PlanGroup::Replace:
    case PlanGroup::Delete: return {QColor(0xb0, 0x1e, 0x1e), Qt::white};
    case PlanGroup::Update: return {QColor(0xf0, 0xb4, 0x29), QColor(0x2b, 0x20, 0x00)};
    case PlanGroup::Create: return {QColor(0x2e, 0x7d, 0x32), Qt::white};
    case PlanGroup::Forget: return {QColor(0x6b, 0x72, 0x80), Qt::white};
    case PlanGroup::Read: return {QColor(0xd8, 0xde, 0xe6), QColor(0x26, 0x32, 0x3f)};
    case PlanGroup::Moved:
    case PlanGroup::Import: return {QColor(0xd8, 0xde, 0xe6), QColor(0x26, 0x32, 0x3f)};
    case PlanGroup::Drift: return {QColor(0x7b, 0x4f, 0xa6), Qt::white};
    case PlanGroup::Deferred: return {QColor(0xd8, 0xde, 0xe6), QColor(0x26, 0x32, 0x3f)};
    }
    return {Qt::gray, Qt::black};
}

QColor tagColor(const QString &tag)
{
    if (tag == QLatin1String("FORCES REPLACEMENT"))
        return QColor(0xb0, 0x1e, 0x1e);
    if (tag == QLatin1String("CASCADE"))
        return QColor(0xc4, 0x5a, 0x00);
    return StatusStyle::muted();
}

} // namespace

PlanBadgeDelegate::PlanBadgeDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QSize PlanBadgeDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setHeight(kRowHeight);
    if (index.column() == PlanTreeModel::ActionColumn)
        size.setWidth(std::max(size.width(), 150));
    return size;
}

void PlanBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                              const QModelIndex &index) const
{
    if (index.column() == PlanTreeModel::DetailColumn) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The selection background first, then our own text on top.
    QStyleOptionViewItem base = option;
    initStyleOption(&base, index);
    base.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &base, painter, widget);
    if (index.column() == PlanTreeModel::SubjectColumn)
        paintSubject(painter, base, index);
    else if (index.parent().isValid())
        paintTag(painter, option, index);
    else
        paintBadge(painter, option, index);
}

void PlanBadgeDelegate::paintBadge(QPainter *painter, const QStyleOptionViewItem &option,
                                   const QModelIndex &index) const
{
    const auto group = static_cast<PlanGroup>(index.data(PlanTreeModel::GroupRole).toInt());
    const BadgeColors colors = badgeColors(group);
    const QString text = badgeText(group);
    QFont font = StatusStyle::scaled(option.font, 1.15, true);
    font.setLetterSpacing(QFont::PercentageSpacing, 106);
    const QFontMetrics metrics(font);
    const int width = metrics.horizontalAdvance(text) + 18;
    const int height = std::min(option.rect.height() - 6, metrics.height() + 10);
    const QRect box(option.rect.left() + 2, option.rect.center().y() - height / 2, width, height);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(colors.fill);
    painter->drawRoundedRect(box, 4, 4);
    painter->setPen(colors.text);
    painter->setFont(font);
    painter->drawText(box, Qt::AlignCenter, text);
    painter->restore();
}

void PlanBadgeDelegate::paintSubject(QPainter *painter, const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const QPalette::ColorGroup group = option.state.testFlag(QStyle::State_Active) ? QPalette::Active
                                                                                   : QPalette::Inactive;
    const QColor text = option.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QString subject = index.data().toString();
    const QString detail = index.siblingAtColumn(PlanTreeModel::DetailColumn).data().toString();
    const QRect area = option.rect.adjusted(4, 2, -4, -2);
    const int half = area.height() / 2;
    const QRect top(area.left(), area.top(), area.width(), half);
    const QRect bottom(area.left(), area.top() + half, area.width(), area.height() - half);

    painter->save();
    QFont mono = StatusStyle::monospace();
    mono.setBold(!index.parent().isValid());
    painter->setFont(mono);
    painter->setPen(text);
    painter->drawText(top, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(mono).elidedText(subject, Qt::ElideMiddle, top.width()));
    QFont small = StatusStyle::scaled(option.font, 0.92);
    painter->setFont(small);
    painter->setPen(selected ? text : StatusStyle::muted());
    painter->drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(small).elidedText(detail, Qt::ElideRight, bottom.width()));
    painter->restore();
}

void PlanBadgeDelegate::paintTag(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    const QString tag = index.data(PlanTreeModel::TagRole).toString();
    if (tag.isEmpty())
        return;
    painter->save();
    painter->setFont(StatusStyle::scaled(option.font, 0.9, true));
    painter->setPen(tagColor(tag));
    // Wraps: "FORCES REPLACEMENT" takes two lines in a nested row.
    painter->drawText(option.rect.adjusted(4, 0, -2, 0), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, tag);
    painter->restore();
}

} // namespace hp
