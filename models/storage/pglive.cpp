#include "storage/pgstore.h"

#include "domain/log.h"

#include <QSqlDriver>
#include <QSqlError>

// Live updates (issue #9 item 4): LISTEN on channel 'holdpoint', where the
// functions NOTIFY 'change:<id>' for every change whose state moved and
// hp_append_audit 'audit' for every entry. QPSQL watches the connection's
// socket from the event loop of the thread that opened it and emits
// QSqlDriver::notification; our own notifications are skipped, since our
// own writes are known to us already.
namespace hp {

namespace {

const QString kChannel = QStringLiteral("holdpoint");

} // namespace

bool PgStore::setChangeListener(std::function<void()> listener)
{
    QSqlDriver *driver = m_db.database().driver();
    if (!driver || !driver->hasFeature(QSqlDriver::EventNotifications))
        return false;
    QObject::disconnect(m_notifications);
    m_listener = std::move(listener);
    const bool subscribed = driver->subscribedToNotifications().contains(kChannel);
    if (!m_listener) {
        if (subscribed)
            driver->unsubscribeFromNotification(kChannel);
        return true;
    }
    if (!subscribed && !driver->subscribeToNotification(kChannel)) {
        log::storage()->warn("cannot LISTEN on {} at {}: {}; falling back to polling",
                           kChannel.toStdString(), m_info.location.toStdString(),
                           driver->lastError().text().toStdString());
        m_listener = {};
        return false;
    }
    m_notifications = QObject::connect(
        driver, &QSqlDriver::notification, driver,
        [this](const QString &name, QSqlDriver::NotificationSource source, const QVariant &) {
            if (name == kChannel && source != QSqlDriver::SelfSource && m_listener)
                m_listener();
        });
    return true;
}

} // namespace hp
