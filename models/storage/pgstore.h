#pragma once

#include "risk/assessor.h"
#include "storage/pgconnection.h"
#include "storage/store.h"

#include <QHash>

#include <memory>
#include <optional>

// The team-mode store: PostgreSQL 15 through QPSQL (DESIGN §6). It never
// writes a table: every write calls one SECURITY DEFINER function of
// resources/schema/postgresql/ that takes the actor from session_user,
// checks the role, recomputes the counting rules and appends the audit entry
// (hashed by the server under the audit_head lock). `Actor::login` is
// therefore informational here; host and app version are passed along.
// Opening refuses the database owner, superusers and BYPASSRLS roles.
//
// The review policy (DESIGN §5) — what the database enforces and what
// clients compute: the assessment and the policy's rule are C++. The
// submitting agent's client computes them and hp_submit stores them with the
// revision's requirement and coverage items. Since an agent with psql could
// lie, the server counts no approval until a reviewer-role client confirmed
// the latest assessment under the policy and topology in force: every
// change() of a pending change by a reviewer or lead (not a contributor)
// whose latest assessment is not such recomputes it from the artifacts, the
// topology and the policy in force and stores it with hp_reassess (audited
// `assessment`, reason "verify"), which only raises the requirement; a
// decide that the server refuses as `unconfirmed_assessment` does the same
// and retries. So decide stays one round trip once the change was read (the
// console always reads first), two more the first time otherwise. The server
// itself enforces the stored requirement: distinct counted humans, a lead
// when required or escalated, full review against its coverage rows at
// approval time, two leads for a policy change, timers against its own clock
// (hp_tick), one consumption per approval (hp_consume). Verdicts on reads
// are computed by computeVerdict under the policy in force with the clock,
// never weaker than the stored requirement.
//
// Split by concern: pgstore.cpp (open, info, calls and
// refusals), pgadmin.cpp (principals, roles, agents), pgsubmit.cpp (submissions),
// pgchanges.cpp (reading changes), pgdecide.cpp (decisions, withdrawals,
// checks, denials), pgaudit.cpp (the trail), pgtopology.cpp (catalogs),
// pgreview.cpp (coverage, views, reports, exports), pghistory.cpp (History
// rows), pglive.cpp (LISTEN), pgpolicy.cpp (policy, verdicts, timers,
// consumption), pgassess.cpp (assessments and their confirmation).
namespace hp {

struct RecordedRows;

// What hp_submit / hp_reassess stored for a change's latest revision.
struct PgRequirement
{
    int approvals = 1;
    bool lead = false;
    bool fullReview = false;
    qint64 slaSeconds = 0;
};

// A submission as planned before hp_submit (pgsubmit.cpp).
struct PgSubmission
{
    RevisionMeta meta;
    AssessmentMeta assessMeta;
    QString agent;        // the change's agent principal
    QString changeTarget; // the change's target (the mass-change window's key)
};

// One change as read, with what the server stored beside it.
struct PgLoadedChange
{
    ChangeDetail detail;
    ChangeStatus storedStatus = ChangeStatus::Pending;
    bool storedEscalated = false;
    PgRequirement requirement;
    QString effectiveEnvironment; // of the latest assessment
    bool confirmed = false;       // that assessment was stored by a reviewer-role client
    QByteArray assessedPolicyHash;   // the policy it was computed under (hex)
    QByteArray assessedTopologyHash; // the catalog it was computed against (hex; empty: none)
};

// The assessment a client computes for a revision and what the policy in
// force asks of it, as hp_submit and hp_reassess take them (pgassess.cpp).
struct PgAssessed
{
    Assessment assessment;
    QByteArray body; // assessmentBytes()
    QStringList coverage; // requiredCoverage(): what a full review must see
    int approvals = 1;
    bool lead = false;
    bool fullReview = false;
    QStringList rolesAny;
    qint64 slaSeconds = 0;
};
PgAssessed pgAssess(const Policy &policy, ChangeKind kind, const std::vector<Artifact> &artifacts,
                    const AssessmentMeta &meta, const CatalogInForce *catalog);
// body, score, class, flags, destructive, effective environment, topology
// hash, policy hash, approvals, lead, full review, roles_any, SLA seconds.
QVariantList pgAssessmentValues(const PgAssessed &assessed, const QByteArray &policyHash);

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

    Result<PgSubmission> planSubmission(const SubmitRequest &request);
    Result<SubmitResult> finishSubmission(SubmitResult result);

    // Reading changes (pgchanges.cpp). `where` follows the FROM clause.
    Result<std::vector<PgLoadedChange>> loadChanges(const QString &where, const QVariantList &values);
    Result<PgLoadedChange> loadOne(const QString &changeId);
    Status loadRevisions(std::vector<PgLoadedChange> &changes, const QHash<QString, size_t> &index,
                         const QVariantList &ids);
    Status loadDecisionsAndEvents(std::vector<PgLoadedChange> &changes,
                                  const QHash<QString, size_t> &index, const QVariantList &ids);
    Result<Verdict> loadVerdict(const QString &changeId);
    Result<std::vector<Artifact>> loadArtifacts(const QString &changeId, int revision);

    // The policy (pgpolicy.cpp).
    Result<std::shared_ptr<const StoredPolicy>> currentPolicy();
    Result<std::vector<StoredPolicy>> loadPolicies(bool latestOnly);
    Result<ReviewFacts> factsOf(const PgLoadedChange &change, const Policy &policy, bool withCoverage);
    // The verdict at `at` (invalid: as written) into change.detail.summary.
    Status evaluate(PgLoadedChange &change, const QDateTime &at);
    Status runTimers(const Actor &actor, TickResult &out);

    // Assessments (pgassess.cpp).
    Result<bool> readerConfirms();
    Actor readerActor();
    // `reason`: "verify" (a reviewer's read or decide), "topology" (an import).
    Status confirmAssessment(const Actor &actor, const ChangeDetail &change,
                             const QString &reason = QStringLiteral("verify"));
    Result<int> otherDestructiveCount(const QString &agent, const QString &target, const QString &changeId);

    PgConnection m_db;
    Clock m_clock;
    StoreInfo m_info;
    std::shared_ptr<const CatalogInForce> m_catalog; // the last one parsed
    std::shared_ptr<const StoredPolicy> m_policy;
    std::optional<RoleSet> m_readerRoles;
    QString m_sessionUser;
    // LISTEN on 'holdpoint' (pglive.cpp): the driver's notification signal,
    // connected while a listener is set.
    std::function<void()> m_listener;
    QMetaObject::Connection m_notifications;
};

} // namespace hp
