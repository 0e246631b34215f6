#pragma once

#include "audit/auditrecord.h"
#include "domain/sha256.h"
#include "review/reviewrules.h"
#include "risk/assessor.h"
#include "storage/store.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <initializer_list>

// The local-mode store: one SQLite file through Qt's QSQLITE driver (DESIGN §6).
// One named connection per instance, used from the thread that opened it.
// Every write runs in BEGIN IMMEDIATE (so two writers queue on the busy
// timeout instead of failing on upgrade) and appends its audit entry in the
// same transaction; any failure rolls everything back.
//
// The implementation is split by concern: sqlitestore.cpp (connection, open,
// create, queries, transactions), sqliteadmin.cpp (principals, roles, agents),
// sqlitesubmit.cpp (submissions), sqlitechanges.cpp (reading changes),
// sqlitedecide.cpp (decisions, withdrawals, checks, denials),
// sqlitehistory.cpp (the executor's report, History rows) and
// sqliteaudit.cpp (appending and verifying the trail).
namespace hp {

struct SqliteSubmitPlan;  // sqlitesubmit.cpp
struct SqliteVerifyState; // sqliteverify.cpp

class SqliteStore final : public Store
{
public:
    ~SqliteStore() override;
    SqliteStore(const SqliteStore &) = delete;
    SqliteStore &operator=(const SqliteStore &) = delete;

    static Result<std::unique_ptr<Store>> open(const QString &path, Clock clock);
    // `path` was just created empty by the caller (O_EXCL, final mode).
    static Result<std::unique_ptr<Store>> create(const QString &path, const CreateOptions &options,
                                                 const Actor &creator, Clock clock);

    StoreInfo info() const override;
    qint64 dataVersion() override;

    Result<PrincipalInfo> principal(const QString &login) override;
    Result<std::vector<PrincipalInfo>> users() override;
    Status addUser(const Actor &actor, const QString &login, const RoleSet &roles) override;
    Status grant(const Actor &actor, const QString &login, Role role) override;
    Status revoke(const Actor &actor, const QString &login, Role role) override;
    Status addAgent(const Actor &actor, const QString &login,
                    const QString &operatorLogin) override;
    Status removeAgent(const Actor &actor, const QString &login) override;
    Result<std::vector<AgentRegistration>> agents() override;

    Result<SubmitResult> submit(const Actor &actor, const SubmitRequest &request) override;
    Result<DecideResult> decide(const Actor &actor, const DecideRequest &request) override;
    Result<Verdict> withdrawChange(const Actor &actor, const QString &changeId,
                                   const QString &reason) override;
    Result<std::vector<ChangeSummary>> listChanges(const ListFilter &filter) override;
    Result<ChangeDetail> change(const QString &changeId) override;
    Result<Artifact> artifact(const QString &changeId, int revision, int index) override;
    Status recordCheck(const Actor &actor, const QString &changeId, int revision, bool passed,
                       const QString &reasonCode, const QString &detail) override;

    Result<TopologyImportResult> importTopology(const Actor &actor,
                                                const std::vector<TopologySource> &sources) override;
    Result<std::optional<TopologyVersion>> currentTopology(bool withSources) override;
    Result<Topology> topologyInForce() override;
    Result<std::optional<StoredAssessment>> assessment(const QString &changeId, int revision) override;
    Result<std::vector<StoredAssessment>> assessments(const QString &changeId) override;
    Result<int> recordCoverage(const Actor &actor, const QString &changeId, int revision,
                               const QStringList &items) override;
    Result<QStringList> coverage(const QString &login, const QString &changeId, int revision) override;
    Result<Verdict> reportOutcome(const Actor &actor, const QString &changeId, bool applied,
                                  const QString &reason) override;
    Result<std::vector<HistoryRow>> history(const HistoryQuery &query) override;

    Result<StoredPolicy> policyInForce() override;
    Result<std::vector<StoredPolicy>> policyVersions() override;
    Result<ReviewFacts> reviewFacts(const QString &changeId) override;
    Result<TickResult> tick(const Actor &actor) override;
    Result<Verdict> consumeApproval(const Actor &actor, const QString &changeId, int revision,
                                    const QString &detail) override;

    Result<AuditEntry> checkpointHead(const Actor &actor, const QByteArray &keyId) override;
    Status recordEvidenceReport(const Actor &actor, const QString &changeId,
                                const QByteArray &reportSha256) override;
    Result<std::vector<AuditEntry>> auditEntries(qint64 fromSeq, qint64 limit) override;
    Result<VerifyReport>
    verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress) override;
    Status recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                        const Error &why) override;
    // Audit workspace and exports (sqliteauditquery.cpp).
    Status recordView(const Actor &actor, const QString &changeId, int revision) override;
    Status recordAuditExport(const Actor &actor, const QJsonObject &what) override;
    Result<qint64> auditHeadSeq() override;

private:
    SqliteStore(QString path, Clock clock);

    // Connection and schema (sqlitestore.cpp).
    Status connect();
    Status loadInfo();
    Status initialize(const CreateOptions &options, const Actor &creator);

    // Queries: prepared, positional bound values only. A null QString binds
    // as '' and QVariant() as NULL.
    Result<QSqlQuery> exec(const QString &sql, std::initializer_list<QVariant> values = {});
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values);
    Error sqlError(const QString &what, const QString &detail) const;
    Status begin();
    Status commit();
    void rollback();
    // Runs `body` in one BEGIN IMMEDIATE transaction: commits if it succeeds,
    // rolls back otherwise.
    template<class T> Result<T> inTransaction(const std::function<Result<T>()> &body);
    QDateTime now() const;
    static QDateTime parseTime(const QVariant &text);
    static Status checkLogin(const QString &login, const QString &what);
    // Records a refusal (Denied or Mismatch) in its own transaction, after the
    // refused one rolled back, and hands the result back unchanged.
    template<class T>
    Result<T> auditRefusal(const Actor &actor, const QString &action, const QString &changeId,
                           Result<T> result);

    // Principals (sqliteadmin.cpp).
    Result<std::optional<PrincipalInfo>> findPrincipal(const QString &login);
    Result<PrincipalInfo> loadPrincipal(const QString &login); // unknown: a human without roles
    Status requireAdmin(const Actor &actor, const QString &what);
    Status insertRole(const Actor &actor, const QString &login, Role role);
    Status grantInTransaction(const Actor &actor, const QString &login, Role role);
    Status revokeInTransaction(const Actor &actor, const QString &login, Role role);
    Status addUserInTransaction(const Actor &actor, const QString &login, const RoleSet &roles);
    Status addAgentInTransaction(const Actor &actor, const QString &login,
                                 const QString &operatorLogin);
    Status removeAgentInTransaction(const Actor &actor, const QString &login);

    // Changes (sqlitechanges.cpp).
    Result<ChangeDetail> loadChange(const QString &changeId, bool withArtifacts);
    Result<std::vector<RevisionInfo>> loadRevisions(const QString &changeId, bool withArtifacts);
    Result<std::vector<DecisionRecord>> loadDecisions(const QString &changeId);
    Result<std::vector<ChangeEvent>> loadEvents(const QString &changeId);
    Status updateStatusCache(const QString &changeId, const Verdict &verdict);

    // Submissions (sqlitesubmit.cpp).
    Result<SubmitResult> submitInTransaction(const Actor &actor, const SubmitRequest &request);
    Result<SqliteSubmitPlan> planSubmission(const Actor &actor, const SubmitRequest &request);
    Status planNewChange(SqliteSubmitPlan &plan, const Actor &actor, const PrincipalInfo &who);
    Status planRevision(SqliteSubmitPlan &plan, const Actor &actor, const QString &reviseId);
    Result<std::optional<SubmitResult>> idempotentReplay(const Actor &actor,
                                                         const SqliteSubmitPlan &plan);
    Status insertChange(const SqliteSubmitPlan &plan);
    Status insertRevision(const SqliteSubmitPlan &plan);

    // Decisions (sqlitedecide.cpp).
    Result<DecideResult> decideInTransaction(const Actor &actor, const DecideRequest &request);
    // Inserts the decision and appends it to `detail.decisions`.
    Result<qint64> insertDecision(const Actor &actor, ChangeDetail &detail,
                                  const PrincipalInfo &who, const DecideRequest &request,
                                  const ActionCheck &check, const QString &time);
    Status recordReopening(const Actor &actor, const ChangeDetail &detail, const QString &reason,
                           qint64 decisionId, const QString &time);
    Result<Verdict> withdrawInTransaction(const Actor &actor, const QString &changeId,
                                          const QString &reason);

    // Topology (sqlitetopology.cpp). The catalog in force, parsed from its
    // stored sources (cached by hash: versions never change); none before
    // the first import.
    Result<std::shared_ptr<const CatalogInForce>> catalogInForce();
    Result<TopologyImportResult> importInTransaction(const Actor &actor,
                                                     const std::vector<TopologySource> &sources);
    Status insertTopologyVersion(const Actor &actor, const TopologyVersion &version);
    Result<int> reassessPending(const Actor &actor, const CatalogInForce &catalog);

    // Assessments (sqliteassess.cpp), within the open transaction.
    // Computes, stores (next sequence) and audits the assessment of one
    // revision; `reason` says why ("submit", "topology"). `known`: the
    // revision's artifacts when the caller holds them (not read again).
    Result<StoredAssessment> assessRevision(const Actor &actor, const QString &changeId, int revision,
                                            const CatalogInForce *catalog, const QString &reason,
                                            const std::vector<Artifact> *known = nullptr);
    Status insertAssessment(StoredAssessment &stored);
    Result<std::vector<Artifact>> loadArtifacts(const QString &changeId, int revision);
    Result<int> otherDestructiveCount(const ChangeDetail &change);
    Result<std::vector<StoredAssessment>> loadAssessments(const QString &where,
                                                          const QVariantList &values);
    // Fills riskScore, riskClass, riskFlags and deadline of each summary
    // from the latest assessment of its latest revision.
    // `environments`, when given, receives each change's effective environment
    // as assessed ('' when unknown).
    // `onlyWhere`, when given, is an SQL condition on `changes` limiting the
    // read to the changes it selects.
    Status fillRisk(std::vector<ChangeSummary *> &summaries,
                    QHash<QString, QString> *environments = nullptr, const QString &onlyWhere = {});

    // Coverage (sqlitecoverage.cpp).
    Result<int> recordCoverageInTransaction(const Actor &actor, const QString &changeId, int revision,
                                            const QStringList &items);
    // Inserts new items and audits them in one `review.coverage` entry.
    Status insertCoverage(const Actor &actor, const ChangeDetail &change, const QStringList &items);
    // Reports (sqlitehistory.cpp).
    Result<Verdict> reportInTransaction(const Actor &actor, ChangeDetail &detail,
                                        const PrincipalInfo &who, bool applied,
                                        const QString &reason);

    // Policy (sqlitepolicy.cpp). Version 1 (the shipped default) is inserted
    // when the store is created or migrated to schema 3.
    Status insertDefaultPolicy(const QString &by, const QString &time);
    Result<std::vector<StoredPolicy>> loadPolicies(bool latestOnly);
    Result<std::shared_ptr<const StoredPolicy>> currentPolicy();
    // Facts for `detail` (risk filled) under `policy`; coverage completion
    // only when the matching rule demands a full review.
    Result<ReviewFacts> factsOf(const ChangeDetail &detail, const Policy &policy,
                                const QString &effectiveEnvironment);
    Result<QHash<QString, QDateTime>> coverageComplete(const ChangeDetail &detail);
    // Recomputes the verdict of `detail` under `policy` with the clock at
    // `at` (read once per batch); invalid `at`: as written.
    Status evaluate(ChangeDetail &detail, const StoredPolicy &policy,
                    const QString &effectiveEnvironment, const QDateTime &at);
    // Every change with revisions, decisions, events and risk; `environments`
    // receives each one's effective environment. `onlyWhere`, when given, is
    // an SQL condition on `changes` (no bound values) selecting which to read.
    Result<std::vector<ChangeDetail>> loadAllChanges(QHash<QString, QString> &environments,
                                                     const QString &onlyWhere = {});
    Result<QString> effectiveEnvironmentOf(const QString &changeId);
    Status adoptPolicy(const Actor &actor, const ChangeDetail &change);
    Status recordReevaluation(const Actor &actor, const QString &changeId, ChangeStatus before);

    // Timers (sqlitetimers.cpp): the due timer events, in the open transaction.
    Result<TickResult> runTimers(const Actor &actor);
    // Runs runTimers in its own transaction before a write (DESIGN §5: every
    // writer notices due timers first).
    Status tickBeforeWrite(const Actor &actor);
    Status writeTimer(const Actor &actor, const ChangeDetail &written, const Verdict &clocked,
                      TickResult &out);

    // Audit (sqliteaudit.cpp). Appends within the open transaction.
    Status appendAudit(const Actor &actor, AuditRecord record);

    // Verification (sqliteverify.cpp), inside one read snapshot.
    Result<VerifyReport> verifySnapshot(SqliteVerifyState &state);
    Status crossCheckDecisions(SqliteVerifyState &state, VerifyReport &report);
    Status crossCheckRevisions(SqliteVerifyState &state, VerifyReport &report);
    // Re-hashes one revision's artifacts; returns what no longer matches.
    QStringList recheckRevision(const QString &changeId, int number, const RevisionMeta &meta,
                                const QByteArray &storedHash);
    Status crossCheckStatuses(SqliteVerifyState &state, VerifyReport &report);
    // Rows against what their entries recorded: revision and artifact rows
    // against the submission payload, change rows against the latest one.
    Status crossCheckRecordedRows(SqliteVerifyState &state, VerifyReport &report);
    Status crossCheckChangeRows(SqliteVerifyState &state, VerifyReport &report);

    QString m_path;
    QString m_connection;
    Clock m_clock;
    StoreInfo m_info;
    Sha256 m_hasher;
    qint64 m_ownCommits = 0;
    bool m_inTransaction = false;
    std::shared_ptr<const CatalogInForce> m_catalog; // the last one parsed
    std::shared_ptr<const StoredPolicy> m_policy;    // the last one parsed (versions never change)
};

template<class T>
Result<T> SqliteStore::auditRefusal(const Actor &actor, const QString &action,
                                    const QString &changeId, Result<T> result)
{
    if (!result &&
        (result.error().code == ExitCode::Denied || result.error().code == ExitCode::Mismatch)) {
        if (Status recorded = recordDenied(actor, action, changeId, result.error()); !recorded)
            return recorded.error();
    }
    return result;
}

template<class T> Result<T> SqliteStore::inTransaction(const std::function<Result<T>()> &body)
{
    if (Status started = begin(); !started)
        return started.error();
    Result<T> result = body();
    if (!result) {
        rollback();
        return result;
    }
    if (Status committed = commit(); !committed) {
        rollback();
        return committed.error();
    }
    return result;
}

} // namespace hp
