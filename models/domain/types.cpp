#include "domain/types.h"

#include <array>
#include <utility>

namespace hp {

namespace {

// One name table per enum: toString and parse stay in step by construction.
template<class E, std::size_t N>
using Names = std::array<std::pair<E, const char16_t *>, N>;

constexpr Names<Role, 4> kRoles{{{Role::Reviewer, u"reviewer"},
                                  {Role::Lead, u"lead"},
                                  {Role::Auditor, u"auditor"},
                                  {Role::Admin, u"admin"}}};
constexpr Names<PrincipalKind, 3> kPrincipalKinds{
    {{PrincipalKind::Human, u"human"}, {PrincipalKind::Agent, u"agent"}, {PrincipalKind::System, u"system"}}};
constexpr Names<ChangeKind, 2> kChangeKinds{{{ChangeKind::Infra, u"infra"}, {ChangeKind::Policy, u"policy"}}};
constexpr Names<ArtifactKind, 6> kArtifactKinds{{{ArtifactKind::TerraformPlan, u"terraform-plan"},
                                                  {ArtifactKind::TerraformPlanfile, u"terraform-planfile"},
                                                  {ArtifactKind::UnifiedDiff, u"unified-diff"},
                                                  {ArtifactKind::FilePair, u"file-pair"},
                                                  {ArtifactKind::K8sManifest, u"k8s-manifest"},
                                                  {ArtifactKind::Command, u"command"}}};
constexpr Names<ChangeStatus, 7> kStatuses{{{ChangeStatus::Pending, u"pending"},
                                            {ChangeStatus::Approved, u"approved"},
                                            {ChangeStatus::Rejected, u"rejected"},
                                            {ChangeStatus::Expired, u"expired"},
                                            {ChangeStatus::Withdrawn, u"withdrawn"},
                                            {ChangeStatus::Applied, u"applied"},
                                            {ChangeStatus::Failed, u"failed"}}};
constexpr Names<DecisionAction, 6> kActions{{{DecisionAction::Approve, u"approve"},
                                             {DecisionAction::Reject, u"reject"},
                                             {DecisionAction::Escalate, u"escalate"},
                                             {DecisionAction::Comment, u"comment"},
                                             {DecisionAction::Withdraw, u"withdraw"},
                                             {DecisionAction::Override, u"override"}}};
constexpr Names<UncountedReason, 6> kUncounted{{{UncountedReason::None, u""},
                                                {UncountedReason::Contributor, u"contributor"},
                                                {UncountedReason::Outdated, u"outdated"},
                                                {UncountedReason::MissingRole, u"missing_role"},
                                                {UncountedReason::IncompleteReview, u"incomplete_review"},
                                                {UncountedReason::Admin, u"admin"}}};
constexpr Names<Impact, 4> kImpacts{
    {{Impact::Low, u"low"}, {Impact::Medium, u"medium"}, {Impact::High, u"high"}, {Impact::Critical, u"critical"}}};
constexpr Names<ChangeEventKind, 7> kEvents{{{ChangeEventKind::Withdrawn, u"withdrawn"},
                                             {ChangeEventKind::Applied, u"applied"},
                                             {ChangeEventKind::Failed, u"failed"},
                                             {ChangeEventKind::Expired, u"expired"},
                                             {ChangeEventKind::Reopened, u"reopened"},
                                             {ChangeEventKind::Consumed, u"consumed"},
                                             {ChangeEventKind::Escalated, u"escalated"}}};

template<class E, std::size_t N>
QString nameOf(const Names<E, N> &table, E value)
{
    for (const auto &[e, name] : table) {
        if (e == value)
            return QString::fromUtf16(name);
    }
    return {};
}

template<class E, std::size_t N>
std::optional<E> parseName(const Names<E, N> &table, QStringView text)
{
    for (const auto &[e, name] : table) {
        if (text == QStringView(name))
            return e;
    }
    return std::nullopt;
}

} // namespace

RoleSet RoleSet::of(std::initializer_list<Role> roles)
{
    RoleSet set;
    for (Role r : roles)
        set.add(r);
    return set;
}

bool RoleSet::has(Role r) const
{
    if (r == Role::Reviewer && holds(Role::Lead))
        return true;
    return holds(r);
}

QStringList RoleSet::names() const
{
    QStringList out;
    for (const auto &[role, name] : kRoles) {
        if (holds(role))
            out << QString::fromUtf16(name);
    }
    out.sort();
    return out;
}

qint64 Artifact::totalSize() const
{
    qint64 total = 0;
    for (const QByteArray &p : parts)
        total += p.size();
    return total;
}

QString toString(Role v) { return nameOf(kRoles, v); }
QString toString(PrincipalKind v) { return nameOf(kPrincipalKinds, v); }
QString toString(ChangeKind v) { return nameOf(kChangeKinds, v); }
QString toString(ArtifactKind v) { return nameOf(kArtifactKinds, v); }
QString toString(ChangeStatus v) { return nameOf(kStatuses, v); }
QString toString(DecisionAction v) { return nameOf(kActions, v); }
QString toString(UncountedReason v) { return nameOf(kUncounted, v); }
QString toString(Impact v) { return nameOf(kImpacts, v); }
QString toString(ChangeEventKind v) { return nameOf(kEvents, v); }
std::optional<Role> parseRole(QStringView t) { return parseName(kRoles, t); }
std::optional<PrincipalKind> parsePrincipalKind(QStringView t) { return parseName(kPrincipalKinds, t); }
std::optional<ChangeKind> parseChangeKind(QStringView t) { return parseName(kChangeKinds, t); }
std::optional<ArtifactKind> parseArtifactKind(QStringView t) { return parseName(kArtifactKinds, t); }
std::optional<ChangeStatus> parseChangeStatus(QStringView t) { return parseName(kStatuses, t); }
std::optional<DecisionAction> parseDecisionAction(QStringView t) { return parseName(kActions, t); }
std::optional<UncountedReason> parseUncountedReason(QStringView t) { return parseName(kUncounted, t); }
std::optional<Impact> parseImpact(QStringView t) { return parseName(kImpacts, t); }
std::optional<ChangeEventKind> parseChangeEventKind(QStringView t) { return parseName(kEvents, t); }

bool isTerminal(ChangeStatus s)
{
    switch (s) {
    case ChangeStatus::Pending:
    case ChangeStatus::Approved:
    case ChangeStatus::Rejected:
        return false;
    case ChangeStatus::Expired:
    case ChangeStatus::Withdrawn:
    case ChangeStatus::Applied:
    case ChangeStatus::Failed:
        return true;
    }
    return false;
}

} // namespace hp
