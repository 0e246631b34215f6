#include "blast/blastscorebadge.h"

#include "blast/blaststyle.h"
#include "statusstyle.h"

#include <QPainter>

namespace hp {

BlastScoreBadge::BlastScoreBadge(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void BlastScoreBadge::setScore(int score, Impact riskClass)
{
    m_score = score;
    m_class = riskClass;
    setAccessibleName(QStringLiteral("Risk score %1, %2").arg(score).arg(toString(riskClass)));
    update();
}

QString BlastScoreBadge::classText() const
{
    return toString(m_class).toUpper();
}

QSize BlastScoreBadge::sizeHint() const
{
    const QFontMetrics metrics(StatusStyle::scaled(font(), 0.9, true));
    const int width = std::max(metrics.horizontalAdvance(QStringLiteral("CRITICAL")) + 20, 92);
    return QSize(width, 78);
}

void BlastScoreBadge::paintEvent(QPaintEvent *)
{
    const BlastColors colors = BlastStyle::riskClass(m_class);
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(colors.background);
    const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
    painter.drawRoundedRect(r, 6, 6);
    painter.setPen(colors.foreground);
    painter.setFont(StatusStyle::scaled(font(), 2.6, true));
    painter.drawText(QRectF(r.left(), r.top() + 2, r.width(), r.height() * 0.66),
                     Qt::AlignHCenter | Qt::AlignBottom, QString::number(m_score));
    painter.setFont(StatusStyle::scaled(font(), 0.9, true));
    painter.drawText(QRectF(r.left(), r.top() + r.height() * 0.66, r.width(), r.height() * 0.34 - 4),
                     Qt::AlignHCenter | Qt::AlignVCenter, classText());
}

} // namespace hp
