#pragma once

// Hand-made History rows shared by the History tests, with expectations worked
// out by hand in each test. Week 1 starts Monday 2024-05-06.
#include "storage/store.h"

#include <vector>

namespace hp::testing {

// "A B C" -> {"A", "B", "C"}
inline QStringList ids(const char *spaced)
{
    return QString::fromLatin1(spaced).split(u' ', Qt::SkipEmptyParts);
}

inline QDateTime at(int day, int hour)
{
    return QDateTime(QDate(2024, 5, 6).addDays(day), QTime(hour, 0), Qt::UTC);
}

inline HistoryRow historyRow(const char *id, const char *agent, const char *env,
                             HistoryOutcome outcome, std::optional<Impact> riskClass,
                             QDateTime decided, qint64 seconds, QStringList deciders,
                             bool slaMet = true, bool escalated = false)
{
    HistoryRow r;
    r.changeId = QString::fromLatin1(id);
    r.title = QStringLiteral("Change ") + r.changeId;
    r.agentPrincipal = QString::fromLatin1(agent);
    r.agentName = r.agentPrincipal;
    r.operatorLogin = QStringLiteral("op-") + r.agentPrincipal;
    r.environment = QString::fromLatin1(env);
    r.riskClass = riskClass;
    r.riskScore = riskClass ? 20 * (static_cast<int>(*riskClass) + 1) : -1;
    r.outcome = outcome;
    r.deciders = std::move(deciders);
    r.decidedAt = decided;
    r.outcomeAt = decided;
    r.createdAt = decided.addSecs(-seconds);
    r.secondsToDecision = seconds;
    r.slaDeadline = slaMet ? decided.addSecs(60) : decided.addSecs(-60);
    r.slaMet = slaMet;
    r.escalated = escalated;
    return r;
}

//  id agent env      outcome    class     decided          secs  deciders      sla  esc
//  A  a     prod     approved   critical  d0 10:00 (Mon)     30  tom           met
//  B  a     prod     rejected   high      d0 12:00          600  rita          met
//  C  b     staging  applied    low       d1 09:00         3600  rita          met
//  D  b     staging  failed     high      d2 09:00          120  tom           met
//  E  b     prod     withdrawn  -         d2 15:00          100  -             breached
//  F  a     prod     failed     critical  d8 10:00 (Tue)   7200  lena, rita    breached yes
//  G  c     prod     rejected   medium    d14 08:00 (Mon)   900  rex           met
//  H  c     prod     expired    medium    d15 08:00          50  rex           met
inline std::vector<HistoryRow> sampleHistory()
{
    using O = HistoryOutcome;
    const QStringList tom{QStringLiteral("tom")}, rita{QStringLiteral("rita")},
        rex{QStringLiteral("rex")};
    return {
        historyRow("A", "a", "prod", O::Approved, Impact::Critical, at(0, 10), 30, tom),
        historyRow("B", "a", "prod", O::Rejected, Impact::High, at(0, 12), 600, rita),
        historyRow("C", "b", "staging", O::Applied, Impact::Low, at(1, 9), 3600, rita),
        historyRow("D", "b", "staging", O::Failed, Impact::High, at(2, 9), 120, tom),
        historyRow("E", "b", "prod", O::Withdrawn, std::nullopt, at(2, 15), 100, {}, false),
        historyRow("F", "a", "prod", O::Failed, Impact::Critical, at(8, 10), 7200,
                   {QStringLiteral("lena"), QStringLiteral("rita")}, false, true),
        historyRow("G", "c", "prod", O::Rejected, Impact::Medium, at(14, 8), 900, rex),
        historyRow("H", "c", "prod", O::Expired, Impact::Medium, at(15, 8), 50, rex),
    };
}

} // namespace hp::testing
