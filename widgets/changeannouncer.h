#pragma once

#include "domain/types.h"
#include "review/changenotices.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QSystemTrayIcon;

// Announces new critical and escalated changes (DESIGN §9), chosen by
// ChangeNotices: as a system tray notification where the desktop has a tray,
// else (and in offscreen tests) in this widget, a strip at the top of the
// main window that names the latest notice until dismissed. Titles are the
// agents' words: plain text in the strip, and never sent to the tray, whose
// notification server may interpret markup (it gets the reason and the id).
namespace hp {

class ChangeAnnouncer : public QWidget
{
    Q_OBJECT

public:
    // `useTray`: announce through a tray icon when the desktop has a tray.
    explicit ChangeAnnouncer(bool useTray, QWidget *parent = nullptr);

    // Feeds a queue; announces what ChangeNotices finds new. The first call
    // sets the baseline. Returns what was announced.
    std::vector<ChangeNotice> update(const std::vector<ChangeSummary> &changes);
    bool usesTray() const { return m_tray != nullptr; }
    QLabel *label() const { return m_label; }
    QString latestChangeId() const { return m_latest; }

Q_SIGNALS:
    // The reviewer asked to see the announced change.
    void openRequested(const QString &changeId);

private:
    void announce(const std::vector<ChangeNotice> &notices);

    ChangeNotices m_notices;
    QSystemTrayIcon *m_tray = nullptr;
    QLabel *m_label = nullptr;
    QPushButton *m_open = nullptr;
    QString m_latest;
    int m_unread = 0;
};

} // namespace hp
