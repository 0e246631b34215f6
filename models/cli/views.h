#pragma once

#include "domain/result.h"
#include "domain/types.h"

#include <QJsonObject>
#include <QString>

#include <vector>

// How changes, verdicts and principals look in holdpointctl output: one JSON
// shape (snake_case keys, hashes as lower-case hex, times in UTC ISO 8601) and
// one text shape. Agent-supplied text passes through oneLine()/block() in the
// text shape; JSON escapes it by construction.
namespace hp::cli {

QJsonObject verdictJson(const Verdict &v);
QJsonObject summaryJson(const ChangeSummary &s);
QJsonObject detailJson(const ChangeDetail &d);
QJsonObject principalJson(const PrincipalInfo &p);
QJsonObject agentJson(const AgentRegistration &a);

QString approvalsText(const Verdict &v); // "1/1", with "+lead" when a lead is still needed
QString statusText(const Verdict &v);    // "pending", "pending (escalated)", ...
QString riskText(const ChangeSummary &s); // "74 critical", "-" when never assessed
QString listText(const std::vector<ChangeSummary> &changes);
QString detailText(const ChangeDetail &d);

// What a verdict means for `wait` and `check`: nothing when approved (or
// applied/failed, which were approved), else the error whose code is the exit
// (3 rejected, 4 expired or withdrawn, 5 pending).
std::optional<Error> verdictExit(const ChangeDetail &d);

} // namespace hp::cli
