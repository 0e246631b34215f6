#include "changeannouncer.h"

#include "statusstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSystemTrayIcon>

namespace hp {

namespace {

// The tray needs an icon; Holdpoint ships none, so it draws its mark.
QIcon trayIcon()
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(StatusStyle::escalation());
    painter.setPen(Qt::NoPen);
    painter.drawRoundedRect(QRectF(1, 1, 30, 30), 6, 6);
    painter.setPen(Qt::white);
    painter.setFont(StatusStyle::scaled(QFont(), 1.4, true));
    painter.drawText(QRect(0, 0, 32, 32), Qt::AlignCenter, QStringLiteral("H"));
    return QIcon(pixmap);
}

} // namespace

ChangeAnnouncer::ChangeAnnouncer(bool useTray, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("changeAnnouncer"));
    setAttribute(Qt::WA_StyledBackground);
    setStyleSheet(QStringLiteral("QWidget#changeAnnouncer { background: #fff4e5; border-bottom: 1px solid %1; }")
                      .arg(StatusStyle::escalation().name()));
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setFont(StatusStyle::scaled(font(), 1.0, true));
    m_open = new QPushButton(QStringLiteral("Show"), this);
    m_open->setAutoDefault(false);
    auto *dismiss = new QPushButton(QStringLiteral("Dismiss"), this);
    dismiss->setAutoDefault(false);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 10, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_open);
    layout->addWidget(dismiss);
    connect(m_open, &QPushButton::clicked, this, [this] {
        hide();
        m_unread = 0;
        Q_EMIT openRequested(m_latest);
    });
    connect(dismiss, &QPushButton::clicked, this, [this] {
        hide();
        m_unread = 0;
    });
    hide();

    if (useTray && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(trayIcon(), this);
        m_tray->setToolTip(QStringLiteral("Holdpoint"));
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] { Q_EMIT openRequested(m_latest); });
        m_tray->show();
    }
}

std::vector<ChangeNotice> ChangeAnnouncer::update(const std::vector<ChangeSummary> &changes)
{
    std::vector<ChangeNotice> notices = m_notices.update(changes);
    if (!notices.empty())
        announce(notices);
    return notices;
}

void ChangeAnnouncer::announce(const std::vector<ChangeNotice> &notices)
{
    const ChangeNotice &latest = notices.back();
    m_latest = latest.changeId;
    if (m_tray && QSystemTrayIcon::supportsMessages()) {
        // Notification servers may render markup: the agent's title stays in
        // the console, the tray names only the reason and the change id.
        for (const ChangeNotice &n : notices)
            m_tray->showMessage(QStringLiteral("Holdpoint: %1 change").arg(toString(n.reason)),
                                n.reason == NoticeReason::Critical
                                    ? QStringLiteral("Critical change %1 awaits review").arg(n.changeId)
                                    : QStringLiteral("Change %1 was escalated to the leads").arg(n.changeId),
                                n.reason == NoticeReason::Critical ? QSystemTrayIcon::Critical
                                                                   : QSystemTrayIcon::Warning);
        return;
    }
    m_unread += static_cast<int>(notices.size());
    m_label->setText(m_unread > 1 ? QStringLiteral("%1  (+%2 more)").arg(latest.text).arg(m_unread - 1)
                                  : latest.text);
    show();
}

} // namespace hp
