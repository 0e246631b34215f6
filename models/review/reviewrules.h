#pragma once

#include "domain/result.h"
#include "domain/types.h"

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringView>

#include <optional>

// The interim review rule (Foundation issue, until the policy engine of DESIGN
// §5 replaces it), as pure functions the store calls inside its transaction
// and the console calls to explain its buttons. One place decides; everyone
// else asks.
//
//  * approve/reject/escalate need the reviewer role (lead includes it);
//    admins and auditors are refused (ExitCode::Denied, reason "admin" /
//    "missing_role"), and so is anyone else without a reviewer role.
//  * a contributor's approval (agent principal, its operator, any submitter)
//    is recorded and never counts (UncountedReason::Contributor).
//  * approvals of an earlier revision are kept but outdated (do not count);
//    rejects stand across revisions until withdrawn by their author or
//    overridden by a lead (reason required), which reopens the change.
//  * one counted approval approves; once escalated, at least one counted
//    approver must be a lead. A standing reject rejects.
//  * comments: anyone but admins and auditors. Reasons are required for
//    reject, escalate and override.
//  * decisions act on the latest revision; an older one is ExitCode::Mismatch.
namespace hp {

struct Policy;

// What the policy reads about a change besides its decisions (DESIGN §5): the
// latest assessment's class, effective environment and flags, and when each
// reviewer's coverage of the latest revision became complete.
struct ReviewFacts
{
    std::optional<Impact> riskClass; // none: not assessed, judged as high
    QString environment;             // effective environment
    QStringList flags;
    QHash<QString, QDateTime> coverageCompleteAt; // login → when every required item was seen
};

struct ActionCheck
{
    bool allowed = false;             // false: refused, see `denial`
    bool counts = false;              // for approve: whether it would count
    UncountedReason uncounted = UncountedReason::None;
    Error denial;                     // set when !allowed (code, reason code, message)
    QString explanation;              // for people: why disabled / why it would not count
};

// Contributors of a change: agent principal, its operator, every submitter.
QStringList contributorsOf(const ChangeDetail &change);

// Whether `who` may take `action` on `change` now (revision = latest), and
// whether an approval would count. Pure: no clock, no store.
ActionCheck checkAction(const ChangeDetail &change, const PrincipalInfo &who, DecisionAction action,
                        const QString &reason);
// The same under `policy`: the first matching rule sets the approvals needed,
// roles_any, full review and the SLA; reason_required names the actions that
// need a reason. The fixed rules (contributors and admins never count,
// distinct humans, outdated approvals) apply whatever the policy says.
ActionCheck checkAction(const ChangeDetail &change, const PrincipalInfo &who, DecisionAction action,
                        const QString &reason, const Policy &policy, const ReviewFacts &facts);

// Recomputes counts/uncounted of every decision (outdated ones included) and
// the verdict, from decisions and events alone. `change.summary.verdict` is
// ignored as input.
Verdict computeVerdict(ChangeDetail &change);
Verdict computeVerdict(ChangeDetail &change, const Policy &policy, const ReviewFacts &facts);
// The same with the clock of DESIGN §5 at `now` (invalid: only written
// events count): the SLA deadline from the latest revision (a breach
// escalates a pending change when on_sla_breach says so), expiry from
// creation (pending → expired) and approval_ttl from approval (approved →
// expired), so a read shows the truth before any timer event is written.
// A change of kind policy follows the fixed rule instead of the policy's
// rules: two counted approvals, both from leads, neither a contributor.
Verdict computeVerdict(ChangeDetail &change, const Policy &policy, const ReviewFacts &facts,
                       const QDateTime &now);
// When the approval that approved `change` was given (the counted approval
// that first met the requirement); invalid when not approved.
QDateTime approvedAt(const ChangeDetail &change, const Verdict &verdict);

// The interim rule as a policy: one approval from anyone eligible, no SLA.
const Policy &interimPolicy();

// The interim review SLA, the `sla` of the first DESIGN §5 default rule that
// matches: class critical 15m, class high 1h, environment production 4h, else
// 24h. The policy engine replaces it; until then the queue's deadline and the
// History's "SLA met" both ask here so they can never disagree. `riskClass`
// absent (never assessed): the environment alone decides.
qint64 reviewSlaSeconds(std::optional<Impact> riskClass, QStringView environment);
// When the review of `change` is due: its latest revision's time plus the SLA.
QDateTime reviewDeadline(const ChangeSummary &change, const QDateTime &latestRevisionAt);

} // namespace hp
