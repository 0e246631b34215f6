#pragma once

#include "risk/assessor.h"
#include "storage/pgconnection.h"
#include "storage/store.h"

#include <memory>

// The team-mode store: PostgreSQL 15 through QPSQL (DESIGN §6). It never
// writes a table: every write calls one SECURITY DEFINER function of
// resources/schema/postgresql/ that takes the actor from session_user,
// checks the role, recomputes the counting rules and appends the audit entry
// (hashed by the server under the audit_head lock). `Actor::login` is
// therefore informational here; host and app version are passed along.
// Opening refuses the database owner, superusers and BYPASSRLS roles.
//
// Split by concern: pgstore.cpp (open, info, what team mode does not do
// yet), pgadmin.cpp (principals, roles, agents), pgsubmit.cpp (submissions),
// pgchanges.cpp (reading changes), pgdecide.cpp (decisions, withdrawals,
// checks, denials), pgaudit.cpp (the trail), pgtopology.cpp (catalogs),
// pgreview.cpp (coverage, views, reports, exports), pghistory.cpp (History
// rows), pglive.cpp (LISTEN).
namespace hp {

struct RecordedRows;

class PgStore final : public Store
{
public:
    ~PgStore() override;
    PgStore(const PgStore &) = delete;
    PgStore &operator=(const PgStore &) = delete;

    static Result<std::unique_ptr<Store>> open(const QString &location, Clock clock);

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

    Result<AuditEntry> checkpointHead(const Actor &actor, const QByteArray &keyId) override;
    Status recordEvidenceReport(const Actor &actor, const QString &changeId,
                                const QByteArray &reportSha256) override;
    Result<Verdict> consumeApproval(const Actor &actor, const QString &changeId, int revision,
                                    const QString &detail) override;
    Status recordView(const Actor &actor, const QString &changeId, int revision) override;
    Status recordAuditExport(const Actor &actor, const QJsonObject &what) override;
    Result<qint64> auditHeadSeq() override;
    Result<std::vector<AuditEntry>> auditEntries(qint64 fromSeq, qint64 limit) override;
    Result<VerifyReport>
    verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress) override;
    Status recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                        const Error &why) override;

    bool setChangeListener(std::function<void()> listener) override;
    QString sessionLogin() const override { return m_sessionUser; }

private:
    PgStore(PgLocation location, Clock clock);
    Status loadInfo();
    // The error of a Store method team mode does not implement yet.
    static Error notYet(const QString &command);
    // A refused write (Denied or Mismatch) is recorded by hp_record_denied in
    // its own transaction, then handed back unchanged.
    Status auditRefusal(const Actor &actor, const QString &action, const QString &changeId,
                        Status result);
    // One function call in its own transaction (retried on serialization
    // failures and deadlocks); `read` sees the result rows.
    Status call(const QString &sql, const QVariantList &values,
                const std::function<Status(QSqlQuery &)> &read = {});

    Result<std::vector<StoredAssessment>> readAssessments(const QString &changeId, int revision);
    // audit verify's cross-checks of decision rows and statuses (pgaudit.cpp).
    Status crossCheckRows(RecordedRows &recorded, VerifyReport &report);
    Status crossCheckRevisions(RecordedRows &recorded, VerifyReport &report);
    // The topology in force, parsed once per hash (pgtopology.cpp); null
    // when none was imported.
    Result<std::shared_ptr<const CatalogInForce>> catalogInForce();

    // History (pghistory.cpp).
    struct Decided;
    Status loadDecidedParts(Decided &decided, const QString &of, const QVariantList &values);

    // Reading changes (pgchanges.cpp).
    Verdict verdictFrom(const QSqlQuery &row, int firstColumn) const;
    Result<Verdict> loadVerdict(const QString &changeId);
    Status loadRevisions(ChangeDetail &detail);
    Status loadDecisions(ChangeDetail &detail);

    PgConnection m_db;
    Clock m_clock;
    StoreInfo m_info;
    std::shared_ptr<const CatalogInForce> m_catalog; // the last one parsed
    QString m_sessionUser;
    // LISTEN on 'holdpoint' (pglive.cpp): the driver's notification signal,
    // connected while a listener is set.
    std::function<void()> m_listener;
    QMetaObject::Connection m_notifications;
};

} // namespace hp
