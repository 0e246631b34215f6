#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

// Plain value types of the domain (DESIGN §3). No behaviour beyond naming;
// logic lives in services (review/, intake/) and SQL in storage/.
namespace hp {

enum class Role { Reviewer, Lead, Auditor, Admin };

// A set of roles. `lead` includes `reviewer`; `admin` is exclusive (an admin
// holds no other role). has() applies the inclusion, bits() does not.
class RoleSet
{
public:
    RoleSet() = default;
    static RoleSet of(std::initializer_list<Role> roles);
    void add(Role r) { m_bits |= bit(r); }
    void remove(Role r) { m_bits &= ~bit(r); }
    bool has(Role r) const;            // lead counts as reviewer
    bool holds(Role r) const { return m_bits & bit(r); } // exactly as granted
    bool empty() const { return m_bits == 0; }
    QStringList names() const;          // sorted, as granted
    unsigned bits() const { return m_bits; }
    bool operator==(const RoleSet &) const = default;

private:
    static unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }
    unsigned m_bits = 0;
};

enum class PrincipalKind { Human, Agent, System };
enum class ChangeKind { Infra, Policy };
enum class ArtifactKind { TerraformPlan, TerraformPlanfile, UnifiedDiff, FilePair, K8sManifest, Command };
enum class ChangeStatus { Pending, Approved, Rejected, Expired, Withdrawn, Applied, Failed };
enum class DecisionAction { Approve, Reject, Escalate, Comment, Withdraw, Override };
enum class UncountedReason { None, Contributor, Outdated, MissingRole, IncompleteReview, Admin };
enum class Impact { Low, Medium, High, Critical };

// Names as they appear in proposals, JSON output, the store and the audit.
QString toString(Role);
QString toString(PrincipalKind);
QString toString(ChangeKind);
QString toString(ArtifactKind);
QString toString(ChangeStatus);
QString toString(DecisionAction);
QString toString(UncountedReason); // "" for None
QString toString(Impact);
std::optional<Role> parseRole(QStringView);
std::optional<PrincipalKind> parsePrincipalKind(QStringView);
std::optional<ChangeKind> parseChangeKind(QStringView);
std::optional<ArtifactKind> parseArtifactKind(QStringView);
std::optional<ChangeStatus> parseChangeStatus(QStringView);
std::optional<DecisionAction> parseDecisionAction(QStringView);
std::optional<UncountedReason> parseUncountedReason(QStringView);
std::optional<Impact> parseImpact(QStringView);
bool isTerminal(ChangeStatus); // approved counts as non-terminal until applied/failed/expired

// One artifact as received. Parts are the raw bytes, never altered: a
// file-pair has two parts (before, after; either may be empty), every other
// kind has one. sha256 is the raw 32-byte SHA-256 of the last part (§3.1).
struct Artifact
{
    ArtifactKind kind = ArtifactKind::UnifiedDiff;
    QString name;
    std::vector<QByteArray> parts;
    QByteArray sha256;

    const QByteArray &content() const { return parts.back(); }
    qint64 totalSize() const;
};

// What a submission says. Every optional field a revision leaves out is
// inherited from the change (§3).
struct Proposal
{
    std::optional<QString> title;
    std::optional<ChangeKind> kind;
    std::optional<QString> agentName;
    std::optional<QString> agentVersion;
    std::optional<QString> agentRunId;
    std::optional<QString> operatorLogin;
    std::optional<QString> intent;
    std::optional<Impact> declaredImpact;
    std::optional<QString> environment;
    std::optional<QString> target;
    QString idempotencyKey; // empty: none
    std::vector<Artifact> artifacts;
};

// The meta record of the content hash (§3.1).
struct RevisionMeta
{
    ChangeKind kind = ChangeKind::Infra;
    QString environment;
    QString target;
    bool operator==(const RevisionMeta &) const = default;
};

struct PrincipalInfo
{
    QString login;
    PrincipalKind kind = PrincipalKind::Human;
    RoleSet roles;
    QString operatorLogin; // set when a registered agent
    bool registeredAgent = false;
};

struct AgentRegistration
{
    QString login;
    QString operatorLogin;
    QString registeredBy;
    QDateTime registeredAt;
};

struct ArtifactInfo
{
    int index = 0; // position in the revision, stable
    ArtifactKind kind = ArtifactKind::UnifiedDiff;
    QString name;
    QByteArray sha256; // raw 32 bytes
    qint64 size = 0;   // bytes of the last part
    int parts = 1;
};

struct RevisionInfo
{
    int number = 0;
    QString submitter;
    QDateTime createdAt;
    QByteArray contentHash; // raw 32 bytes
    QString title;
    RevisionMeta meta;
    std::vector<ArtifactInfo> artifacts;
};

struct DecisionRecord
{
    qint64 id = 0;
    int revision = 0;
    QString principal;
    RoleSet roles; // at decision time
    DecisionAction action = DecisionAction::Comment;
    QString reason;
    QDateTime at;
    bool counts = false;                              // recomputed on read
    UncountedReason uncounted = UncountedReason::None; // why not, recomputed on read
};

// Events that change status without being a reviewer's decision.
// Escalated: the system actor escalated a pending change on an SLA breach
// (session 3; stored as a timer event, read back as a change event).
enum class ChangeEventKind { Withdrawn, Applied, Failed, Expired, Reopened, Consumed, Escalated };
QString toString(ChangeEventKind);
std::optional<ChangeEventKind> parseChangeEventKind(QStringView);

struct ChangeEvent
{
    ChangeEventKind kind = ChangeEventKind::Withdrawn;
    int revision = 0;
    QString principal;
    QString reason;
    QDateTime at;
};

// The verdict, always recomputed from decisions and events (never read from a
// status column alone). `needs` says in words what is still required.
struct Verdict
{
    ChangeStatus status = ChangeStatus::Pending;
    bool escalated = false;
    int countedApprovals = 0;
    int requiredApprovals = 1;
    bool leadRequired = false;
    bool leadPresent = false;
    QString needs; // e.g. "needs 1 more approval, from a lead"; empty when decided
    // The policy rule that applied (DESIGN §5): what it asks, for people, and
    // whether approvals must follow a full review.
    QString rule;
    bool fullReview = false;
    qint64 slaSeconds = 0; // 0: none
    // Clocks of DESIGN §5, computed on every read (invalid when not running):
    // the review deadline (SLA from the latest revision), when a pending change
    // expires (expiry from creation), when an approved one's approval lapses
    // (approval_ttl from approval).
    QDateTime slaDeadline;
    bool slaBreached = false;
    QDateTime expiresAt;
    QDateTime approvalExpiresAt;
    // The policy version and hash the verdict was computed under (hex).
    int policyVersion = 0;
    QByteArray policyHash;
};

// One row of the queue / list.
struct ChangeSummary
{
    QString id;
    ChangeKind kind = ChangeKind::Infra;
    QString title;
    QString agentPrincipal;
    QString agentName;
    QString operatorLogin;
    QString environment;
    QString target;
    std::optional<Impact> declaredImpact;
    int latestRevision = 1;
    QDateTime createdAt;
    QDateTime updatedAt;
    Verdict verdict;
    // The latest assessment of the latest revision; -1 / none when never assessed.
    int riskScore = -1;
    std::optional<Impact> riskClass;
    QStringList riskFlags;
    int assessmentSequence = 0; // of that assessment; 0 when none
    // When the review should be done (SLA of the rule that applies, from the
    // latest revision); invalid when unknown. The queue sorts by class, then this.
    QDateTime deadline;
};

struct ChangeDetail
{
    ChangeSummary summary;
    QString intent;
    QString agentVersion;
    QString agentRunId;
    bool unregisteredAgent = false;
    QStringList contributors; // agent principal, operator, every submitter
    std::vector<RevisionInfo> revisions; // ascending
    std::vector<DecisionRecord> decisions; // ascending by id
    std::vector<ChangeEvent> events;       // ascending
};

} // namespace hp
