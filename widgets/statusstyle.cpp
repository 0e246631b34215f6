#include "statusstyle.h"

#include <QFontDatabase>
#include <QLabel>

namespace hp {

StatusColors StatusStyle::colors(ChangeStatus status)
{
    // Dark text on a pale fill: readable on a dim screen, not garish.
    switch (status) {
    case ChangeStatus::Pending:
        return {QColor(0x8a, 0x5a, 0x00), QColor(0xfb, 0xed, 0xcc)};
    case ChangeStatus::Approved:
        return {QColor(0x1e, 0x6b, 0x3a), QColor(0xdc, 0xf1, 0xe3)};
    case ChangeStatus::Rejected:
        return {QColor(0xa1, 0x2a, 0x2a), QColor(0xf9, 0xde, 0xde)};
    case ChangeStatus::Failed:
        return {QColor(0x7b, 0x1f, 0x1f), QColor(0xf3, 0xd9, 0xd9)};
    case ChangeStatus::Applied:
        return {QColor(0x1f, 0x5a, 0x74), QColor(0xdd, 0xee, 0xf5)};
    case ChangeStatus::Expired:
    case ChangeStatus::Withdrawn:
        return {QColor(0x55, 0x5b, 0x62), QColor(0xe8, 0xea, 0xed)};
    }
    return {QColor(0x55, 0x5b, 0x62), QColor(0xe8, 0xea, 0xed)};
}

StatusColors StatusStyle::riskColors(Impact riskClass)
{
    switch (riskClass) {
    case Impact::Low: // sky blue, pale
        return {QColor(0x00, 0x4e, 0x7a), QColor(0xd6, 0xec, 0xf8)};
    case Impact::Medium: // yellow
        return {QColor(0x4d, 0x42, 0x00), QColor(0xf5, 0xe9, 0x6e)};
    case Impact::High: // orange
        return {QColor(0x1a, 0x12, 0x00), QColor(0xe6, 0x9f, 0x00)};
    case Impact::Critical: // vermillion, darkened for white text
        return {QColor(0xff, 0xff, 0xff), QColor(0xa8, 0x3c, 0x00)};
    }
    return {QColor(0x55, 0x5b, 0x62), QColor(0xe8, 0xea, 0xed)};
}

QString StatusStyle::riskLabel(Impact riskClass)
{
    return toString(riskClass).toUpper();
}

QString StatusStyle::riskShortLabel(Impact riskClass)
{
    switch (riskClass) {
    case Impact::Low:
        return QStringLiteral("LOW");
    case Impact::Medium:
        return QStringLiteral("MED");
    case Impact::High:
        return QStringLiteral("HIGH");
    case Impact::Critical:
        return QStringLiteral("CRIT");
    }
    return riskLabel(riskClass);
}

QColor StatusStyle::escalation()
{
    return QColor(0xb4, 0x46, 0x1a);
}

QColor StatusStyle::muted()
{
    return QColor(0x6b, 0x72, 0x78);
}

QColor StatusStyle::error()
{
    return QColor(0xa1, 0x2a, 0x2a);
}

QString StatusStyle::label(ChangeStatus status, bool escalated)
{
    QString text = toString(status).toUpper();
    if (status == ChangeStatus::Pending && escalated)
        text += QStringLiteral(" · ESCALATED");
    return text;
}

QFont StatusStyle::monospace()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

QFont StatusStyle::scaled(const QFont &base, qreal factor, bool bold)
{
    QFont f = base;
    if (f.pointSizeF() > 0)
        f.setPointSizeF(f.pointSizeF() * factor);
    else
        f.setPixelSize(qRound(f.pixelSize() * factor));
    f.setBold(bold);
    return f;
}

void StatusStyle::applyChip(QLabel *label, ChangeStatus status, bool escalated)
{
    const StatusColors c = colors(status);
    label->setTextFormat(Qt::PlainText);
    label->setText(StatusStyle::label(status, escalated));
    label->setStyleSheet(
        QStringLiteral("QLabel { color: %1; background: %2; border: 1px solid %1;"
                       " border-radius: 4px; padding: 2px 8px; font-weight: bold; }")
            .arg(c.foreground.name(), c.background.name()));
}

} // namespace hp
