#pragma once

#include "domain/result.h"
#include "domain/types.h"

#include <QDateTime>
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

struct SubmitResult
{
    QString changeId;
    int revision = 1;
    QByteArray contentHash; // raw 32 bytes
    bool created = true;     // false: idempotent replay of an earlier submission
    bool unregisteredAgent = false;
    Verdict verdict;
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

    // Audit.
    virtual Result<std::vector<AuditEntry>> auditEntries(qint64 fromSeq, qint64 limit) = 0;
    virtual Result<VerifyReport> verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress = {}) = 0;
    // Appends an entry recording a denied attempt (the caller's action failed
    // a permission check before any transaction).
    virtual Status recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                                const Error &why) = 0;
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
