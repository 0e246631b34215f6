#pragma once

#include "domain/types.h"

#include <QSet>
#include <QString>

#include <vector>

// Which changes the console announces (DESIGN §9: "a tray notification
// announces new critical and escalated changes"), as a plain rule apart from
// any tray. The first queue it sees is the baseline: what was already
// critical or escalated when the console started is not news. After that,
// each change is announced at most once per reason, when it first shows that
// reason while pending.
namespace hp {

enum class NoticeReason { Critical, Escalated };
QString toString(NoticeReason);

struct ChangeNotice
{
    QString changeId;
    NoticeReason reason = NoticeReason::Critical;
    QString title;  // as the agent sent it: plain text only
    QString text;   // one line for people, e.g. "Critical change awaiting review: …"
};

class ChangeNotices
{
public:
    // The notices the queue `changes` brings, in queue order.
    std::vector<ChangeNotice> update(const std::vector<ChangeSummary> &changes);
    bool started() const { return m_started; }

private:
    static QString key(const QString &changeId, NoticeReason reason);

    bool m_started = false;
    QSet<QString> m_known; // change id + reason already announced or in the baseline
};

} // namespace hp
