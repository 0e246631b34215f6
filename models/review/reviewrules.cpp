#include "review/reviewrules.h"

#include "policy/policy.h"

#include <algorithm>

namespace hp {

namespace {

const RevisionInfo *latestRevision(const ChangeDetail &change)
{
    return change.revisions.empty() ? nullptr : &change.revisions.back();
}

QByteArray contentHashOf(const ChangeDetail &change, int revision)
{
    for (const RevisionInfo &r : change.revisions) {
        if (r.number == revision)
            return r.contentHash;
    }
    return {};
}

// Why an approval by someone with `roles` would not count, from the rule
// alone (roles and contributors); Outdated is decided by the caller.
UncountedReason approvalDefect(const QStringList &contributors, const QString &principal,
                               const RoleSet &roles)
{
    if (roles.holds(Role::Admin))
        return UncountedReason::Admin;
    if (!roles.has(Role::Reviewer))
        return UncountedReason::MissingRole;
    if (contributors.contains(principal))
        return UncountedReason::Contributor;
    return UncountedReason::None;
}

// The first terminal event decides the status for good.
std::optional<ChangeStatus> terminalStatus(const ChangeDetail &change)
{
    for (const ChangeEvent &e : change.events) {
        switch (e.kind) {
        case ChangeEventKind::Withdrawn:
            return ChangeStatus::Withdrawn;
        case ChangeEventKind::Applied:
            return ChangeStatus::Applied;
        case ChangeEventKind::Failed:
            return ChangeStatus::Failed;
        case ChangeEventKind::Expired:
            return ChangeStatus::Expired;
        case ChangeEventKind::Reopened:
        case ChangeEventKind::Consumed:
        case ChangeEventKind::Escalated:
            break;
        }
    }
    return std::nullopt;
}

QString approvalsWord(int n)
{
    return n == 1 ? QStringLiteral("approval") : QStringLiteral("approvals");
}

QString needsText(const Verdict &v)
{
    if (v.status != ChangeStatus::Pending)
        return {};
    const int missing = std::max(0, v.requiredApprovals - v.countedApprovals);
    const bool leadMissing = v.leadRequired && !v.leadPresent;
    if (missing == 0 && !leadMissing)
        return {};
    const int more = std::max(missing, 1);
    QString text = v.countedApprovals == 0
                       ? QStringLiteral("needs %1 %2").arg(more).arg(approvalsWord(more))
                       : QStringLiteral("needs %1 more %2").arg(more).arg(approvalsWord(more));
    if (leadMissing)
        text += QStringLiteral(", from a lead");
    if (v.fullReview && missing > 0)
        text += QStringLiteral(", after a full review");
    return text;
}

// Rejects still standing after every withdrawal and override, by author.
QStringList standingRejecters(const ChangeDetail &change)
{
    QStringList rejecters;
    for (const DecisionRecord &d : change.decisions) {
        switch (d.action) {
        case DecisionAction::Reject:
            if (d.counts && !rejecters.contains(d.principal))
                rejecters << d.principal;
            break;
        case DecisionAction::Withdraw:
            if (d.counts)
                rejecters.removeAll(d.principal);
            break;
        case DecisionAction::Override:
            if (d.counts)
                rejecters.clear();
            break;
        default:
            break;
        }
    }
    return rejecters;
}

// Sets counts/uncounted of one decision, given the decisions before it.
void judge(DecisionRecord &d, const ChangeDetail &change, const QStringList &contributors,
           const QByteArray &latestHash, const QStringList &standingBefore, bool fullReview,
           const ReviewFacts &facts)
{
    const bool decider = !d.roles.holds(Role::Admin) && d.roles.has(Role::Reviewer);
    d.counts = false;
    d.uncounted = UncountedReason::None;
    switch (d.action) {
    case DecisionAction::Approve:
        d.uncounted = approvalDefect(contributors, d.principal, d.roles);
        if (d.uncounted == UncountedReason::None && contentHashOf(change, d.revision) != latestHash)
            d.uncounted = UncountedReason::Outdated;
        if (d.uncounted == UncountedReason::None && fullReview) {
            // Coverage must have been complete when the approval was given.
            const QDateTime complete = facts.coverageCompleteAt.value(d.principal);
            if (!complete.isValid() || complete > d.at)
                d.uncounted = UncountedReason::IncompleteReview;
        }
        d.counts = d.uncounted == UncountedReason::None;
        break;
    case DecisionAction::Reject:
    case DecisionAction::Escalate:
        d.counts = decider;
        if (!decider)
            d.uncounted =
                d.roles.holds(Role::Admin) ? UncountedReason::Admin : UncountedReason::MissingRole;
        break;
    case DecisionAction::Withdraw:
        d.counts = standingBefore.contains(d.principal);
        break;
    case DecisionAction::Override:
        d.counts =
            !d.roles.holds(Role::Admin) && d.roles.holds(Role::Lead) && !standingBefore.isEmpty();
        if (!d.counts && !d.roles.holds(Role::Lead))
            d.uncounted =
                d.roles.holds(Role::Admin) ? UncountedReason::Admin : UncountedReason::MissingRole;
        break;
    case DecisionAction::Comment:
        break;
    }
}

} // namespace

QStringList contributorsOf(const ChangeDetail &change)
{
    QStringList out;
    auto add = [&out](const QString &login) {
        if (!login.isEmpty() && !out.contains(login))
            out << login;
    };
    add(change.summary.agentPrincipal);
    add(change.summary.operatorLogin);
    for (const RevisionInfo &r : change.revisions)
        add(r.submitter);
    return out;
}

const Policy &interimPolicy()
{
    static const Policy policy = [] {
        Policy p;
        PolicyRule any;
        any.approvals = 1;
        p.rules.push_back(any);
        p.hash = QByteArrayLiteral("interim");
        return p;
    }();
    return policy;
}

Verdict computeVerdict(ChangeDetail &change)
{
    return computeVerdict(change, interimPolicy(), ReviewFacts{});
}

namespace {

// A policy without a catch-all rule may match nothing: then the strictest
// common demand applies rather than none.
const PolicyRule &fallbackRule()
{
    static const PolicyRule rule = [] {
        PolicyRule r;
        r.approvals = 2;
        r.rolesAny = {Role::Lead};
        return r;
    }();
    return rule;
}

const PolicyRule &ruleOf(const Policy &policy, const ReviewFacts &facts, bool *matched = nullptr)
{
    const PolicyRule *r = policy.ruleFor(facts.riskClass.value_or(Impact::High), facts.environment, facts.flags);
    if (matched)
        *matched = r != nullptr;
    return r ? *r : fallbackRule();
}

QString describeRule(const Policy &policy, const PolicyRule &rule, bool matched)
{
    if (!matched)
        return QStringLiteral("no policy rule matches: 2 approvals, one from a lead");
    const auto index = std::find_if(policy.rules.begin(), policy.rules.end(),
                                    [&](const PolicyRule &r) { return &r == &rule; }) -
                       policy.rules.begin();
    QString text = QStringLiteral("rule %1: %2 %3").arg(index + 1).arg(rule.approvals).arg(approvalsWord(rule.approvals));
    if (rule.rolesAny == QList<Role>{Role::Lead})
        text += QStringLiteral(", one from a lead");
    if (rule.fullReview)
        text += QStringLiteral(", full review");
    if (rule.slaSeconds > 0)
        text += QStringLiteral(", SLA ") + formatPolicyDuration(rule.slaSeconds);
    return text;
}

} // namespace

Verdict computeVerdict(ChangeDetail &change, const Policy &policy, const ReviewFacts &facts)
{
    return computeVerdict(change, policy, facts, QDateTime());
}

namespace {

// DESIGN §5 fixed rule: a policy change needs two leads, neither its proposer,
// whatever the policy in force says.
const PolicyRule &policyChangeRule()
{
    static const PolicyRule rule = [] {
        PolicyRule r;
        r.approvals = 2;
        r.rolesAny = {Role::Lead};
        return r;
    }();
    return rule;
}

bool isPolicyChange(const ChangeDetail &change)
{
    return change.summary.kind == ChangeKind::Policy;
}

void applyEvents(const ChangeDetail &change, Verdict &v)
{
    for (const ChangeEvent &e : change.events) {
        if (e.kind == ChangeEventKind::Escalated)
            v.escalated = true;
    }
}

ChangeStatus statusFrom(const ChangeDetail &change, const QStringList &standing, const Verdict &v)
{
    if (const auto terminal = terminalStatus(change))
        return *terminal;
    if (!standing.isEmpty())
        return ChangeStatus::Rejected;
    if (v.countedApprovals >= v.requiredApprovals && (!v.leadRequired || v.leadPresent))
        return ChangeStatus::Approved;
    return ChangeStatus::Pending;
}

// The clocks of DESIGN §5 at `now`: a read shows the truth before the timer
// events are written.
void applyClock(const ChangeDetail &change, const Policy &policy, Verdict &v, const QDateTime &now)
{
    if (v.status == ChangeStatus::Pending) {
        const RevisionInfo *latest = latestRevision(change);
        if (v.slaSeconds > 0 && latest)
            v.slaDeadline = latest->createdAt.addSecs(v.slaSeconds);
        v.expiresAt = change.summary.createdAt.addSecs(policy.expirySeconds);
        if (!now.isValid())
            return;
        v.slaBreached = v.slaDeadline.isValid() && now >= v.slaDeadline;
        if (v.slaBreached && policy.onSlaBreach == SlaBreachAction::Escalate) {
            v.escalated = true;
            v.leadRequired = true;
        }
        if (now >= v.expiresAt)
            v.status = ChangeStatus::Expired;
    } else if (v.status == ChangeStatus::Approved) {
        const QDateTime at = approvedAt(change, v);
        if (at.isValid())
            v.approvalExpiresAt = at.addSecs(policy.approvalTtlSeconds);
        if (now.isValid() && v.approvalExpiresAt.isValid() && now >= v.approvalExpiresAt)
            v.status = ChangeStatus::Expired;
    }
}

} // namespace

QDateTime approvedAt(const ChangeDetail &change, const Verdict &verdict)
{
    if (verdict.countedApprovals < verdict.requiredApprovals)
        return {};
    QStringList approvers;
    bool lead = false;
    for (const DecisionRecord &d : change.decisions) {
        if (d.action != DecisionAction::Approve || !d.counts || approvers.contains(d.principal))
            continue;
        approvers << d.principal;
        lead = lead || d.roles.holds(Role::Lead);
        if (approvers.size() >= verdict.requiredApprovals && (!verdict.leadRequired || lead))
            return d.at;
    }
    return {};
}

Verdict computeVerdict(ChangeDetail &change, const Policy &policy, const ReviewFacts &facts,
                       const QDateTime &now)
{
    bool matched = true;
    const bool policyChange = isPolicyChange(change);
    const PolicyRule &rule = policyChange ? policyChangeRule() : ruleOf(policy, facts, &matched);
    const QStringList contributors = contributorsOf(change);
    const RevisionInfo *latest = latestRevision(change);
    const QByteArray latestHash = latest ? latest->contentHash : QByteArray();

    Verdict v;
    QStringList standing;
    QStringList approvers;
    for (DecisionRecord &d : change.decisions) {
        judge(d, change, contributors, latestHash, standing, rule.fullReview, facts);
        if (policyChange && d.action == DecisionAction::Approve && d.counts && !d.roles.holds(Role::Lead)) {
            d.counts = false;
            d.uncounted = UncountedReason::MissingRole;
        }
        if (d.action == DecisionAction::Reject && d.counts && !standing.contains(d.principal))
            standing << d.principal;
        else if (d.action == DecisionAction::Withdraw && d.counts)
            standing.removeAll(d.principal);
        else if (d.action == DecisionAction::Override && d.counts)
            standing.clear();
        else if (d.action == DecisionAction::Escalate && d.counts)
            v.escalated = true;
        else if (d.action == DecisionAction::Approve && d.counts &&
                 !approvers.contains(d.principal)) {
            approvers << d.principal;
            v.leadPresent = v.leadPresent || d.roles.holds(Role::Lead);
        }
    }
    applyEvents(change, v);
    v.countedApprovals = static_cast<int>(approvers.size());
    v.requiredApprovals = rule.approvals;
    // roles_any lists reviewer or lead; lead includes reviewer, so only a
    // lead-only list demands more than any counted approver.
    v.leadRequired = v.escalated || (!rule.rolesAny.isEmpty() && !rule.rolesAny.contains(Role::Reviewer));
    v.fullReview = rule.fullReview;
    v.slaSeconds = rule.slaSeconds;
    v.rule = policyChange ? QStringLiteral("policy change: 2 approvals, both from leads, neither the proposer")
                          : describeRule(policy, rule, matched);
    v.status = statusFrom(change, standing, v);
    applyClock(change, policy, v, now);
    v.needs = needsText(v);
    v.policyHash = policy.hash;
    change.summary.verdict = v;
    change.summary.deadline = v.slaDeadline;
    change.contributors = contributors;
    return v;
}

namespace {

ActionCheck refuse(ExitCode code, const QString &reasonCode, const QString &message)
{
    ActionCheck c;
    c.allowed = false;
    c.denial = makeError(code, reasonCode, message);
    c.explanation = message;
    return c;
}

QString statusRefusal(const Verdict &v, DecisionAction action)
{
    return QStringLiteral("the change is %1: it cannot be %2")
        .arg(toString(v.status), action == DecisionAction::Approve  ? QStringLiteral("approved")
                                 : action == DecisionAction::Reject ? QStringLiteral("rejected")
                                 : action == DecisionAction::Escalate
                                     ? QStringLiteral("escalated")
                                     : QStringLiteral("overridden"));
}

QString contributorExplanation(const ChangeDetail &change, const QString &login)
{
    if (login == change.summary.agentPrincipal)
        return QStringLiteral(
            "your approval would not count: you are the agent that proposed this change");
    if (login == change.summary.operatorLogin)
        return QStringLiteral("your approval would not count: you operate this agent");
    return QStringLiteral("your approval would not count: you submitted a revision of this change");
}

bool hasApprovedLatest(const ChangeDetail &change, const QString &login)
{
    const QByteArray latest =
        change.revisions.empty() ? QByteArray() : change.revisions.back().contentHash;
    for (const DecisionRecord &d : change.decisions) {
        if (d.action == DecisionAction::Approve && d.principal == login &&
            contentHashOf(change, d.revision) == latest)
            return true;
    }
    return false;
}

ActionCheck checkApprove(const ChangeDetail &change, const PrincipalInfo &who, const Verdict &v,
                         const ReviewFacts &facts)
{
    if (v.status != ChangeStatus::Pending)
        return refuse(ExitCode::Denied, QStringLiteral("not_pending"),
                      statusRefusal(v, DecisionAction::Approve));
    if (hasApprovedLatest(change, who.login))
        return refuse(ExitCode::Denied, QStringLiteral("already_approved"),
                      QStringLiteral("you have already approved this revision"));
    ActionCheck c;
    c.allowed = true;
    c.uncounted = approvalDefect(change.contributors, who.login, who.roles);
    c.counts = c.uncounted == UncountedReason::None;
    if (c.uncounted == UncountedReason::None && v.fullReview && !facts.coverageCompleteAt.contains(who.login)) {
        c.uncounted = UncountedReason::IncompleteReview;
        c.counts = false;
        c.explanation = QStringLiteral("your approval would not count yet: this change needs a full review "
                                       "(every hunk, destructive resource and impacted node seen)");
    }
    if (c.uncounted == UncountedReason::Contributor)
        c.explanation = contributorExplanation(change, who.login);
    else if (c.counts && v.leadRequired && !v.leadPresent && !who.roles.holds(Role::Lead))
        c.explanation = QStringLiteral("your approval would count, but a lead must also approve");
    return c;
}

ActionCheck checkReject(const ChangeDetail &change, const PrincipalInfo &who, const Verdict &v)
{
    if (v.status != ChangeStatus::Pending && v.status != ChangeStatus::Rejected)
        return refuse(ExitCode::Denied, QStringLiteral("not_pending"),
                      statusRefusal(v, DecisionAction::Reject));
    if (standingRejecters(change).contains(who.login))
        return refuse(ExitCode::Denied, QStringLiteral("already_rejected"),
                      QStringLiteral("your reject of this change already stands"));
    ActionCheck c;
    c.allowed = true;
    c.counts = true;
    return c;
}

ActionCheck checkEscalate(const Verdict &v)
{
    if (v.status != ChangeStatus::Pending)
        return refuse(ExitCode::Denied, QStringLiteral("not_pending"),
                      statusRefusal(v, DecisionAction::Escalate));
    if (v.escalated)
        return refuse(ExitCode::Denied, QStringLiteral("already_escalated"),
                      QStringLiteral("the change is already escalated"));
    ActionCheck c;
    c.allowed = true;
    c.counts = true;
    return c;
}

ActionCheck checkOverride(const ChangeDetail &change, const PrincipalInfo &who, const Verdict &v)
{
    if (!who.roles.holds(Role::Lead))
        return refuse(ExitCode::Denied, QStringLiteral("missing_role"),
                      QStringLiteral("only a lead can override a reject"));
    if (v.status != ChangeStatus::Rejected || standingRejecters(change).isEmpty())
        return refuse(ExitCode::Denied, QStringLiteral("no_reject"),
                      QStringLiteral("there is no standing reject to override"));
    ActionCheck c;
    c.allowed = true;
    c.counts = true;
    return c;
}

ActionCheck checkWithdraw(const ChangeDetail &change, const PrincipalInfo &who, const Verdict &v)
{
    if (isTerminal(v.status) || !standingRejecters(change).contains(who.login))
        return refuse(ExitCode::Denied, QStringLiteral("no_reject"),
                      QStringLiteral("you have no standing reject on this change to withdraw"));
    ActionCheck c;
    c.allowed = true;
    c.counts = true;
    return c;
}

QString actionVerb(DecisionAction action)
{
    return toString(action);
}

} // namespace

ActionCheck checkAction(const ChangeDetail &change, const PrincipalInfo &who, DecisionAction action,
                        const QString &reason)
{
    return checkAction(change, who, action, reason, interimPolicy(), ReviewFacts{});
}

ActionCheck checkAction(const ChangeDetail &change, const PrincipalInfo &who, DecisionAction action,
                        const QString &reason, const Policy &policy, const ReviewFacts &facts)
{
    ChangeDetail now = change; // computeVerdict fills counts; the caller's copy stays as given
    const Verdict v = computeVerdict(now, policy, facts);
    if (who.roles.holds(Role::Admin))
        return refuse(ExitCode::Denied, QStringLiteral("admin"),
                      QStringLiteral("admins decide nothing"));
    if (who.roles.has(Role::Auditor) && !who.roles.has(Role::Reviewer))
        return refuse(ExitCode::Denied, QStringLiteral("missing_role"),
                      QStringLiteral("auditors cannot decide"));
    const bool needsReviewer = action == DecisionAction::Approve ||
                               action == DecisionAction::Reject ||
                               action == DecisionAction::Escalate;
    if (needsReviewer && !who.roles.has(Role::Reviewer))
        return refuse(ExitCode::Denied, QStringLiteral("missing_role"),
                      QStringLiteral("you need the reviewer role to %1").arg(actionVerb(action)));
    ActionCheck c;
    switch (action) {
    case DecisionAction::Approve:
        c = checkApprove(now, who, v, facts);
        break;
    case DecisionAction::Reject:
        c = checkReject(now, who, v);
        break;
    case DecisionAction::Escalate:
        c = checkEscalate(v);
        break;
    case DecisionAction::Override:
        c = checkOverride(now, who, v);
        break;
    case DecisionAction::Withdraw:
        c = checkWithdraw(now, who, v);
        break;
    case DecisionAction::Comment:
        if (reason.trimmed().isEmpty())
            return refuse(ExitCode::Usage, QStringLiteral("reason_required"), QStringLiteral("a comment needs text"));
        c.allowed = true;
        return c;
    }
    if (c.allowed && policy.requiresReason(action) && reason.trimmed().isEmpty())
        return refuse(ExitCode::Usage, QStringLiteral("reason_required"),
                      QStringLiteral("a reason is required to %1").arg(actionVerb(action)));
    return c;
}

qint64 reviewSlaSeconds(std::optional<Impact> riskClass, QStringView environment)
{
    constexpr qint64 kMinute = 60;
    constexpr qint64 kHour = 60 * kMinute;
    if (riskClass == Impact::Critical)
        return 15 * kMinute;
    if (riskClass == Impact::High)
        return kHour;
    if (environment == QLatin1StringView("production"))
        return 4 * kHour;
    return 24 * kHour;
}

QDateTime reviewDeadline(const ChangeSummary &change, const QDateTime &latestRevisionAt)
{
    if (!latestRevisionAt.isValid())
        return {};
    return latestRevisionAt.addSecs(reviewSlaSeconds(change.riskClass, change.environment));
}

} // namespace hp
