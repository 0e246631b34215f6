#include "review/changenotices.h"

namespace hp {

QString toString(NoticeReason reason)
{
    return reason == NoticeReason::Critical ? QStringLiteral("critical") : QStringLiteral("escalated");
}

QString ChangeNotices::key(const QString &changeId, NoticeReason reason)
{
    return changeId + QLatin1Char('/') + toString(reason);
}

std::vector<ChangeNotice> ChangeNotices::update(const std::vector<ChangeSummary> &changes)
{
    std::vector<ChangeNotice> out;
    for (const ChangeSummary &c : changes) {
        if (c.verdict.status != ChangeStatus::Pending)
            continue;
        std::vector<NoticeReason> reasons;
        if (c.riskClass == Impact::Critical)
            reasons.push_back(NoticeReason::Critical);
        if (c.verdict.escalated)
            reasons.push_back(NoticeReason::Escalated);
        for (NoticeReason reason : reasons) {
            const QString k = key(c.id, reason);
            if (m_known.contains(k))
                continue;
            m_known.insert(k);
            if (!m_started)
                continue; // the baseline: already so when the console started
            const QString what = reason == NoticeReason::Critical ? QStringLiteral("Critical change awaiting review")
                                                                  : QStringLiteral("Change escalated to the leads");
            out.push_back({c.id, reason, c.title, QStringLiteral("%1: %2 (%3)").arg(what, c.title, c.id)});
        }
    }
    m_started = true;
    return out;
}

} // namespace hp
