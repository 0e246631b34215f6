#pragma once

#include "domain/result.h"
#include "domain/types.h"
#include "risk/riskconfig.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

// The review policy document of DESIGN §5 as a value, and its reader. The
// reader is strict: duplicate keys, anchors and aliases, unknown keys, wrong
// types and out-of-range values are refused with file:line:column and what is
// wrong. The fixed rules of §5 (contributors and admins never count, distinct
// humans, two leads for policy changes) are code in the evaluator, not
// settings, so they have no key here.
namespace hp {

// `when:` of a rule: keys AND together; a list is any-of; an absent key matches all.
struct PolicyMatch
{
    QList<Impact> classes;
    QStringList environments;
    QStringList flags; // any of these flags raised
};

struct PolicyRule
{
    PolicyMatch when;
    int approvals = 1;       // ≥ 1
    QList<Role> rolesAny;    // at least one counted approver holds one of these
    bool fullReview = false; // every hunk, destructive resource and impacted node seen
    qint64 slaSeconds = 0;   // 0: no SLA
    int line = 0;            // where the rule starts, for explanations
};

enum class SlaBreachAction { Escalate, None };

struct Policy
{
    int version = 1;
    RiskConfig risk; // with `targets:`
    std::vector<PolicyRule> rules;
    qint64 expirySeconds = 72 * 3600;
    qint64 approvalTtlSeconds = 24 * 3600;
    SlaBreachAction onSlaBreach = SlaBreachAction::Escalate;
    bool requireRegisteredAgents = false;
    QList<DecisionAction> reasonRequired{DecisionAction::Reject, DecisionAction::Escalate,
                                         DecisionAction::Override};
    QByteArray source; // the document's bytes as read
    QByteArray hash;   // SHA-256 of `source`, hex

    // The first rule whose `when` matches; nullptr when none does (a policy
    // whose last rule is `when: {}` always matches).
    const PolicyRule *ruleFor(Impact riskClass, const QString &environment, const QStringList &flags) const;
    bool requiresReason(DecisionAction action) const { return reasonRequired.contains(action); }
};

class PolicyReader
{
public:
    // `source` names the document in errors (a file name, or "default policy").
    static Result<Policy> read(const QByteArray &yaml, const QString &source);
    static Result<Policy> readFile(const QString &path);
    // The policy shipped in resources/policy/default.yaml.
    static Result<Policy> builtin();
};

// "^(\d+d)?(\d+h)?(\d+m)?(\d+s)?$", at least one term: seconds, or nothing.
std::optional<qint64> parsePolicyDuration(QStringView text);
QString formatPolicyDuration(qint64 seconds); // "1h30m", "0s"

} // namespace hp
