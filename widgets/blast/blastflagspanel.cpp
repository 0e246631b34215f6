#include "blast/blastflagspanel.h"

#include "blast/blaststyle.h"
#include "diff/dangeroustext.h"
#include "statusstyle.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace hp {

namespace {

const QString kIntentMismatch = QStringLiteral("INTENT_MISMATCH");

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setText(text);
    return label;
}

void tint(QWidget *widget, const BlastColors &colors)
{
    QPalette p = widget->palette();
    p.setColor(QPalette::Window, colors.background);
    p.setColor(QPalette::WindowText, colors.foreground);
    widget->setPalette(p);
    widget->setAutoFillBackground(true);
}

BlastColors flagColors(const RiskFlag &flag)
{
    if (flag.code == kIntentMismatch)
        return BlastStyle::riskClass(Impact::Critical);
    if (flag.floor)
        return BlastStyle::riskClass(*flag.floor);
    return {QColor(0x2f, 0x3a, 0x45), QColor(0xe1, 0xe6, 0xeb)};
}

} // namespace

BlastFlagsPanel::BlastFlagsPanel(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(6);
}

void BlastFlagsPanel::clear()
{
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_codes.clear();
}

void BlastFlagsPanel::setFlags(const Assessment &assessment, std::optional<Impact> declaredImpact)
{
    clear();
    // INTENT_MISMATCH first: the agent understated the change.
    QList<const RiskFlag *> order;
    for (const RiskFlag &f : assessment.flags)
        order.append(&f);
    std::stable_partition(order.begin(), order.end(),
                          [](const RiskFlag *f) { return f->code == kIntentMismatch; });
    for (const RiskFlag *f : order) {
        QString headline = f->code;
        QStringList evidence = f->evidence;
        if (f->code == kIntentMismatch && declaredImpact) {
            headline = QStringLiteral("INTENT_MISMATCH — agent declared %1, computed %2")
                           .arg(toString(*declaredImpact), toString(assessment.riskClass));
            evidence.clear();
        }
        m_layout->addWidget(flagRow(*f, headline, evidence));
        m_codes << f->code;
    }
    if (order.isEmpty()) {
        QLabel *none = plainLabel(QStringLiteral("No flags."), this);
        QPalette p = none->palette();
        p.setColor(QPalette::WindowText, StatusStyle::muted());
        none->setPalette(p);
        m_layout->addWidget(none);
    }
}

QWidget *BlastFlagsPanel::flagRow(const RiskFlag &flag, const QString &headline, const QStringList &evidence)
{
    auto *row = new QFrame(this);
    row->setFrameShape(QFrame::StyledPanel);
    const BlastColors colors = flagColors(flag);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 6);
    layout->setSpacing(3);

    auto *chip = new QWidget(row);
    tint(chip, colors);
    auto *chipLayout = new QHBoxLayout(chip);
    chipLayout->setContentsMargins(8, 4, 8, 4);
    QLabel *code = plainLabel(headline, chip);
    code->setFont(StatusStyle::scaled(font(), 1.05, true));
    chipLayout->addWidget(code, 1);
    if (flag.floor) {
        QLabel *floor = plainLabel(QStringLiteral("floor: %1").arg(toString(*flag.floor)), chip);
        floor->setWordWrap(false);
        chipLayout->addWidget(floor);
    }
    layout->addWidget(chip);
    for (const QString &line : evidence) {
        QLabel *label = plainLabel(QStringLiteral("• ") + diff::DangerousText::escapedString(line), row);
        label->setContentsMargins(10, 0, 8, 0);
        layout->addWidget(label);
    }
    return row;
}

} // namespace hp
