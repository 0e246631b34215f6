#pragma once

#include "domain/result.h"
#include "domain/types.h"
#include "policy/policy.h"
#include "review/reviewrules.h"
#include "risk/riskmodel.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

// The storage API every backend implements (SQLite now, PostgreSQL later).
// Callers never see SQL. Every write is one transaction that also appends its
// audit entry (DESIGN §6, §7): all or nothing. The actor is always passed in by
// the caller, who took it from the OS (getpwuid(geteuid())), never from input.
namespace hp {

struct Actor
{
    QString login;
    QString host;       // machine the action came from
    QString appVersion; // holdpoint version
};

// The clock, injectable so tests and the demo can place events in time.
using Clock = std::function<QDateTime()>;
QDateTime systemClock();

struct SubmitRequest
{
    Proposal proposal;
    QString reviseId; // empty: a new change
};

// One computed assessment of a revision (DESIGN §3 Assessment). `sequence`
// counts the assessments of that revision: a new topology or policy adds one.
struct StoredAssessment
{
    QString changeId;
    int revision = 0;
    int sequence = 0;
    QByteArray topologyHash; // hex; empty when no catalog was in force
    QByteArray policyHash;   // hex
    QDateTime computedAt;
    Assessment assessment;
    QByteArray json; // body as stored: risk/assessmentjson.h assessmentBytes()
};

struct SubmitResult
{
    QString changeId;
    int revision = 1;
    QByteArray contentHash; // raw 32 bytes
    bool created = true;     // false: idempotent replay of an earlier submission
    bool unregisteredAgent = false;
    Verdict verdict;
    // The assessment of the submitted revision (the latest one on a replay).
    std::optional<StoredAssessment> assessment;
};

struct DecideRequest
{
    QString changeId;
    DecisionAction action = DecisionAction::Comment;
    QString reason;
    int revision = 0; // 0: the latest
};

struct DecideResult
{
    qint64 decisionId = 0;
    bool counts = false;
    UncountedReason uncounted = UncountedReason::None;
    ChangeStatus before = ChangeStatus::Pending;
    Verdict verdict; // after
};

struct ListFilter
{
    std::optional<ChangeStatus> status;
    bool pendingOnly = false;
    int limit = 0; // 0: all
    // Session 3: verdicts as the written decisions and events state them,
    // without the clock's transitions not yet written (audit verification).
    bool asWritten = false;
};

struct AuditEntry
{
    qint64 seq = 0;
    QByteArray prevHash; // raw 32 bytes
    QByteArray hash;     // raw 32 bytes
    QByteArray entry;    // canonical RFC 8785 bytes
};

enum class AuditProblemClass { Modified, Missing, Reordered, Inserted, Truncated, Mismatch };
QString toString(AuditProblemClass);

struct AuditProblem
{
    qint64 seq = 0;
    AuditProblemClass kind = AuditProblemClass::Modified;
    QString detail;
};

struct VerifyReport
{
    qint64 entries = 0;
    QByteArray headHash;
    std::vector<AuditProblem> problems;
    // What this verification could not look at, for people (e.g. artifact
    // bytes a login may not read in team mode); empty when it saw everything.
    QStringList notChecked;
    bool clean() const { return problems.empty(); }
};

struct StoreInfo
{
    QString location;   // file path or URI (never with a password)
    QString backend;    // "sqlite" or "postgresql"
    bool demo = false;
    int schemaVersion = 0;
    QString storeId;
};

// A catalog file as imported: its name (as given) and bytes.
struct TopologySource
{
    QString name;
    QByteArray content;
};

struct TopologyVersion
{
    int version = 0;
    QByteArray hash; // Topology::hash(), hex
    QString importedBy;
    QDateTime importedAt;
    int nodes = 0;
    int edges = 0;
    std::vector<TopologySource> sources;
};

struct TopologyImportResult
{
    TopologyVersion version;
    bool unchanged = false; // the same hash as the version in force: nothing stored
    int reassessed = 0;     // pending changes given a new assessment
};

// Review coverage items (DESIGN §5 "seen"). Keys:
//   hunk:<artifact index>:<file index>:<hunk index>
//   resource:<artifact index>:<terraform address>
//   node:<topology node id>
namespace coverage {
QString hunkKey(int artifact, int file, int hunk);
QString resourceKey(int artifact, const QString &address);
QString nodeKey(const QString &nodeId);
} // namespace coverage

// A decided change for the History workspace (DESIGN §9 History).
enum class HistoryOutcome { Approved, Rejected, Expired, Withdrawn, Applied, Failed };
QString toString(HistoryOutcome);
std::optional<HistoryOutcome> parseHistoryOutcome(QStringView);

struct HistoryRow
{
    QString changeId;
    QString title;
    QString agentPrincipal;
    QString agentName;
    QString operatorLogin;
    QString environment;
    std::optional<Impact> riskClass; // latest assessment; none when never assessed
    int riskScore = -1;              // -1 when never assessed
    HistoryOutcome outcome = HistoryOutcome::Approved;
    QStringList deciders;      // humans whose counted approve/reject decided it
    QDateTime createdAt;
    QDateTime decidedAt;       // approval, rejection, expiry or withdrawal
    QDateTime outcomeAt;       // when `outcome` happened (applied/failed: the report)
    qint64 secondsToDecision = 0; // decidedAt − createdAt
    QDateTime slaDeadline;     // from the latest revision and the rule's sla
    bool slaMet = true;        // decided before slaDeadline
    bool escalated = false;
    int revisions = 1;
};

struct HistoryQuery
{
    QDateTime from; // invalid: unbounded
    QDateTime to;
};

// A review policy as stored (DESIGN §5). Version 1 is the shipped default,
// stored when the store is created; each later one was adopted when a change
// of kind policy was approved (two leads, neither its proposer).
struct StoredPolicy
{
    int version = 0;
    QByteArray hash;  // hex, Policy::hash
    QString changeId; // the policy change that adopted it; empty for the default
    QString adoptedBy;
    QDateTime adoptedAt;
    Policy policy;
};

// What one `tick` (or any writer noticing first) wrote: the timer events of
// DESIGN §5, each exactly once, audited, in one transaction.
struct TickResult
{
    int escalated = 0;       // SLA breaches escalated by the system actor
    int expired = 0;         // pending changes past expiry
    int approvalsLapsed = 0; // approved changes past approval_ttl
    QStringList changes;     // ids touched, in order
};

// Options for creating a store (`init`, `demo`).
struct CreateOptions
{
    QString adminLogin;
    QString group; // empty: 0600; else group-owned 0660 in a setgid directory
    bool demo = false;
};

class Store
{
public:
    virtual ~Store() = default;

    virtual StoreInfo info() const = 0;
    // Changes whenever any connection commits (PRAGMA data_version / NOTIFY).
    virtual qint64 dataVersion() = 0;

    // Identity and administration (admin role; no self-grants; audited).
    virtual Result<PrincipalInfo> principal(const QString &login) = 0;
    virtual Result<std::vector<PrincipalInfo>> users() = 0;
    virtual Status addUser(const Actor &actor, const QString &login, const RoleSet &roles) = 0;
    virtual Status grant(const Actor &actor, const QString &login, Role role) = 0;
    virtual Status revoke(const Actor &actor, const QString &login, Role role) = 0;
    virtual Status addAgent(const Actor &actor, const QString &login, const QString &operatorLogin) = 0;
    virtual Status removeAgent(const Actor &actor, const QString &login) = 0;
    virtual Result<std::vector<AgentRegistration>> agents() = 0;

    // Changes.
    virtual Result<SubmitResult> submit(const Actor &actor, const SubmitRequest &request) = 0;
    virtual Result<DecideResult> decide(const Actor &actor, const DecideRequest &request) = 0;
    virtual Result<Verdict> withdrawChange(const Actor &actor, const QString &changeId, const QString &reason) = 0;
    virtual Result<std::vector<ChangeSummary>> listChanges(const ListFilter &filter) = 0;
    virtual Result<ChangeDetail> change(const QString &changeId) = 0;
    // All parts of one artifact, raw bytes as received.
    virtual Result<Artifact> artifact(const QString &changeId, int revision, int index) = 0;
    // Records a `check` (passed or not) in the audit trail.
    virtual Status recordCheck(const Actor &actor, const QString &changeId, int revision, bool passed,
                               const QString &reasonCode, const QString &detail) = 0;

    // Topology (DESIGN §3): lead role; audited; a new version with its hash,
    // then a new assessment of every pending change. An invalid catalog is
    // refused with file and line and nothing is stored.
    virtual Result<TopologyImportResult> importTopology(const Actor &actor,
                                                        const std::vector<TopologySource> &sources) = 0;
    // The version in force, without sources unless `withSources`; none before the first import.
    virtual Result<std::optional<TopologyVersion>> currentTopology(bool withSources = false) = 0;
    // The catalog in force as a graph, read again from its stored sources and
    // checked against its hash (a mismatch is ExitCode::StoreProblem); an
    // empty topology before the first import. Cached while the version stands.
    virtual Result<Topology> topologyInForce() = 0;

    // Assessments: the latest of a revision (none when it never had one),
    // and every one of a change, ascending.
    virtual Result<std::optional<StoredAssessment>> assessment(const QString &changeId, int revision) = 0;
    virtual Result<std::vector<StoredAssessment>> assessments(const QString &changeId) = 0;

    // Review coverage of `actor` on one revision: adds the items not yet
    // recorded (one audit entry listing them); returns how many were new.
    virtual Result<int> recordCoverage(const Actor &actor, const QString &changeId, int revision,
                                       const QStringList &items) = 0;
    virtual Result<QStringList> coverage(const QString &login, const QString &changeId, int revision) = 0;

    // The executor reports how applying an approved change went (`report`,
    // DESIGN §8): applied or failed, once, audited.
    virtual Result<Verdict> reportOutcome(const Actor &actor, const QString &changeId, bool applied,
                                          const QString &reason) = 0;
    // Decided changes whose decision falls in the query's range.
    virtual Result<std::vector<HistoryRow>> history(const HistoryQuery &query) = 0;

    // Policy (DESIGN §5). The policy in force and every version, oldest first.
    virtual Result<StoredPolicy> policyInForce() = 0;
    virtual Result<std::vector<StoredPolicy>> policyVersions() = 0;
    // What the policy in force reads about a change's latest revision: the
    // latest assessment's class and flags, the effective environment and,
    // per reviewer, when coverage of every required item was complete.
    virtual Result<ReviewFacts> reviewFacts(const QString &changeId) = 0;
    // Writes the due timer events (SLA breach escalation, expiry, approval
    // lapse) exactly once each, audited, as the system actor on behalf of
    // `actor`; nothing due writes nothing.
    virtual Result<TickResult> tick(const Actor &actor) = 0;

    // Session 3 (policy, issue #6) additions.
    // `check --consume` (DESIGN §3.1): in one transaction records a passed
    // check of `revision` and consumes the approval, once per approval; the
    // change must be approved (within approval_ttl) at that revision. A
    // second consumption is ExitCode::Denied, reason "consumed", audited.
    virtual Result<Verdict> consumeApproval(const Actor &actor, const QString &changeId, int revision,
                                            const QString &detail) = 0;

    // Audit.
    virtual Result<std::vector<AuditEntry>> auditEntries(qint64 fromSeq, qint64 limit) = 0;
    virtual Result<VerifyReport> verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress = {}) = 0;
    // Checkpoint (DESIGN §7; auditors and leads): in one transaction reads the
    // head of the chain and appends an `audit.checkpoint` entry naming it and
    // the signing key; returns the head it recorded (seq 0 for an empty chain).
    virtual Result<AuditEntry> checkpointHead(const Actor &actor, const QByteArray &keyId) = 0;
    // Records that `actor` (an auditor or a lead) produced the evidence report
    // of a change (`audit.report`, naming the report's SHA-256, raw 32 bytes);
    // anyone else is refused (ExitCode::Denied) and the attempt audited; an
    // unknown change is ExitCode::NotFound.
    virtual Status recordEvidenceReport(const Actor &actor, const QString &changeId,
                                        const QByteArray &reportSha256) = 0;
    // Appends an entry recording a denied attempt (the caller's action failed
    // a permission check before any transaction).
    virtual Status recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                                const Error &why) = 0;

    // Audit workspace and exports (issue #7; sqliteauditquery.cpp).
    // One `review.view` entry: `actor` opened revision `revision` of a change
    // in the console (0: the latest). Unknown change or revision: NotFound.
    virtual Status recordView(const Actor &actor, const QString &changeId, int revision) = 0;
    // One `audit.export` entry whose payload is `what` (format, filter,
    // entries); auditors and leads only, a refusal is audited (exit 8).
    virtual Status recordAuditExport(const Actor &actor, const QJsonObject &what) = 0;
    // The highest seq in the trail (0 when empty): a cheap total for progress.
    virtual Result<qint64> auditHeadSeq() = 0;

    // Session 4 (team mode, issue #9).
    // Live updates the backend pushes: `listener` is called from the event
    // loop of the thread that opened the store whenever another connection
    // committed something (team mode: NOTIFY on channel 'holdpoint'); an
    // empty function stops it. One listener per store. False when the
    // backend pushes nothing: the caller polls dataVersion() instead (SQLite).
    virtual bool setChangeListener(std::function<void()>) { return false; }
    // The login the backend itself says this connection acts as (team mode:
    // session_user), which is then the principal whatever the OS login;
    // empty when the caller's OS login is the principal (SQLite).
    virtual QString sessionLogin() const { return {}; }
};

// Opens an existing store at `location` (a path for SQLite). A missing store
// is an error with ExitCode::StoreProblem whose message says how to create one.
Result<std::unique_ptr<Store>> openStore(const QString &location, Clock clock = systemClock);
// Creates a new store; refuses an existing file.
Result<std::unique_ptr<Store>> createStore(const QString &location, const CreateOptions &options,
                                           const Actor &creator, Clock clock = systemClock);
// The default location: HOLDPOINT_DB if set, else
// QStandardPaths::AppDataLocation/holdpoint.db (application name "holdpoint").
QString defaultStoreLocation();

} // namespace hp
