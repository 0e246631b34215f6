#pragma once

#include "domain/result.h"
#include "domain/types.h"
#include "plan/plansummary.h"
#include "plan/sensitivity.h"
#include "review/reviewrules.h"
#include "storage/store.h"
#include "topology/topology.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

// What the console does with the store, for one principal: list the queue,
// load a change and its artifacts, decide. Actions are methods that return a
// result and announce success with a signal; item models and panes refresh
// from the signals (STYLE model/view 5). The principal comes from the OS
// (currentLogin()), never from input; its roles are re-read whenever the
// store changes, so a grant or revoke shows without a restart.
//
// Live updates: a timer polls Store::dataVersion(), which changes when another
// connection commits, and refreshes when it moved. Our own writes do not move
// it, so decide() refreshes by itself. When the store pushes changes (team
// mode: LISTEN/NOTIFY, Store::setChangeListener) the service refreshes on
// each push, bursts coalesced, and polling only backs that up, slowly.
namespace hp {

// An artifact as the console may show it.
struct ShownArtifact
{
    Artifact artifact;   // text parts with every sensitive value masked
    bool masked = false; // something was masked
};

// A Terraform plan of a revision, read for display: the plan (its strings
// masked by its own Redactor), its summary, and the Redactor of the whole
// revision, which views apply on top (a secret of one plan may appear in
// another artifact of the revision).
struct ReadPlan
{
    Plan plan;
    PlanSummary summary;
    Redactor revisionRedactor;
};

class ReviewService : public QObject
{
    Q_OBJECT

public:
    static constexpr int kDefaultPollMs = 500;
    // Polling behind pushed updates, in case a notification is lost.
    static constexpr int kPushedPollMs = 5000;
    // Pushed updates arriving within this window are one refresh.
    static constexpr int kCoalesceMs = 50;
    // DESIGN §5 timer events: the console writes them when it notices first.
    static constexpr int kDefaultTickMs = 30 * 1000;

    // `store` must outlive the service.
    ReviewService(Store &store, const QString &login, QObject *parent = nullptr);
    ~ReviewService() override;
    ReviewService(const ReviewService &) = delete;
    ReviewService &operator=(const ReviewService &) = delete;

    // Whether the store pushes its changes (then polling is only a backstop).
    bool pushedUpdates() const { return m_pushed; }

    const PrincipalInfo &principal() const { return m_principal; }
    StoreInfo storeInfo() const { return m_store.info(); }
    // The store, for read-only gathering such as the evidence report.
    Store &store() const { return m_store; }
    // Records that this principal produced the change's evidence report
    // (auditors and leads; the store refuses and audits anyone else).
    Status recordEvidenceReport(const QString &changeId, const QByteArray &reportSha256);
    const std::vector<ChangeSummary> &changes() const { return m_changes; }

    // Starts (or restarts) polling every `intervalMs` (at least kPushedPollMs
    // when the store pushes its changes).
    void startPolling(int intervalMs = kDefaultPollMs);
    void stopPolling();

    // Re-reads the principal and the queue; emits changesUpdated on success,
    // storeFailed otherwise.
    Status refresh();
    Result<ChangeDetail> loadChange(const QString &changeId);
    // Records one `review.view` of a revision the console opened; nothing
    // when it is the revision recorded last (a refresh is not a new view).
    Status recordView(const QString &changeId, int revision);
    const Actor &actor() const { return m_actor; }
    // An artifact for display. Sensitive values never leave the store (DESIGN
    // §9): every secret of the revision's Terraform plans is masked in every
    // text part of every artifact of the revision. A plan that cannot be read
    // is refused, since its secrets are unknown. Binary parts (a NUL byte, as
    // in a planfile) are left alone; the console shows only their first bytes.
    Result<ShownArtifact> loadArtifact(const QString &changeId, const RevisionInfo &revision,
                                       int index);
    // Review coverage of the principal on one revision (DESIGN §5 "seen"):
    // records the items not recorded yet and returns how many were new; and
    // the items recorded so far (coverage keys, storage/store.h).
    Result<int> recordCoverage(const QString &changeId, int revision, const QStringList &keys);
    Result<QStringList> coverage(const QString &changeId, int revision);
    // Reading the revision's plans (parse, secrets, summary) happens once per
    // revision. plansRead() says whether it has; readPlansInBackground() runs
    // it off the GUI thread (the bytes are read from the store here, parsing
    // runs in QtConcurrent) and emits plansReady when done, so a
    // 20,000-resource plan never freezes the console. loadArtifact() reads
    // them synchronously when nobody did.
    bool plansRead(const QString &changeId, int revision) const;
    void readPlansInBackground(const QString &changeId, const RevisionInfo &revision);
    // The plan artifact `index` as read, or null when it is not a plan, could
    // not be read, or the revision's plans have not been read yet.
    std::shared_ptr<const ReadPlan> readPlan(const QString &changeId, int revision, int index) const;
    // Decides on the latest revision. On success emits decisionRecorded, then
    // refreshes (which emits changesUpdated).
    Result<DecideResult> decide(const QString &changeId, DecisionAction action,
                                const QString &reason);
    // Whether the principal may take `action` now, and why not: what the
    // decision bar shows beside each button. Judged under the policy in
    // force with the facts last read for the change (reviewFacts()).
    ActionCheck checkAction(const ChangeDetail &change, DecisionAction action,
                            const QString &reason) const;
    // The same with the facts given (the console adds its live coverage).
    ActionCheck checkAction(const ChangeDetail &change, DecisionAction action, const QString &reason,
                            const ReviewFacts &facts) const;

    // The review policy (reviewpolicy.cpp). The policy in force, re-read by
    // every refresh(); until the first successful read a policy without rules,
    // which judges every change by the strictest fallback (fail closed).
    const StoredPolicy &policy() const { return m_policy; }
    // What the policy reads about a change's latest revision (Store::reviewFacts);
    // remembered for checkAction().
    Result<ReviewFacts> reviewFacts(const QString &changeId);
    // The first rule of the policy in force that `facts` match; null when none.
    const PolicyRule *ruleFor(const ReviewFacts &facts) const;
    // Writes the due timer events (Store::tick) as this principal's console:
    // now and every `intervalMs`. Failures are logged and reported through
    // storeFailed, never thrown at the reviewer.
    void startTicking(int intervalMs = kDefaultTickMs);
    Result<TickResult> tick();

    // Full review (reviewcoverage.cpp): the items a full review of a
    // revision must see (review/coveragerequirements.h), worked out off the
    // GUI thread once per revision and assessment; requiredCoverageReady
    // announces them. requiredCoverage() is empty until then.
    void readRequiredCoverage(const QString &changeId, const RevisionInfo &revision);
    std::optional<QStringList> requiredCoverage(const QString &changeId, int revision) const;

    // The blast radius panel (reviewassessment.cpp). The latest assessment of
    // a revision; none when it never had one.
    Result<std::optional<StoredAssessment>> loadAssessment(const QString &changeId, int revision);
    // The catalog in force, for node names, kinds, tiers, owners and
    // environments; an empty topology before the first import. Parsed again
    // only when the version in force changes.
    Result<Topology> currentTopology();

Q_SIGNALS:
    void changesUpdated(const std::vector<hp::ChangeSummary> &changes);
    void principalChanged(const hp::PrincipalInfo &principal);
    void decisionRecorded(const QString &changeId, hp::DecisionAction action,
                          const hp::DecideResult &result);
    void storeFailed(const hp::Error &error);
    // The plans of the revision have been read (see readPlansInBackground).
    void plansReady(const QString &changeId, int revision);
    // The items a full review of the revision must see are known.
    void requiredCoverageReady(const QString &changeId, int revision);
    // A tick wrote timer events (escalations, expiries, lapsed approvals).
    void ticked(const hp::TickResult &result);

private:
    struct PlanSecrets
    {
        Redactor redactor;
        QHash<int, QString> unreadable; // artifact index → why its plan could not be read
        QHash<int, std::shared_ptr<const ReadPlan>> plans; // artifact index → the plan
    };
    struct PlanBytes
    {
        int index = 0;
        QString name;
        Result<Artifact> artifact;
    };
    static PlanSecrets readSecrets(const std::vector<PlanBytes> &plans);
    std::vector<PlanBytes> planBytes(const QString &changeId, const RevisionInfo &revision) const;
    const PlanSecrets &storeSecrets(const QString &key, PlanSecrets secrets);
    const PlanSecrets &planSecrets(const QString &changeId, const RevisionInfo &revision);
    void poll();
    void pushedRefresh();
    Status refreshPrincipal();
    void refreshPolicy();

    Store &m_store;
    Actor m_actor;
    PrincipalInfo m_principal;
    std::vector<ChangeSummary> m_changes;
    QHash<QString, PlanSecrets> m_planSecrets; // by "change/revision": revisions never change
    QStringList m_planOrder;                   // keys of entries holding parsed plans, oldest first
    QSet<QString> m_reading;                   // keys being read in the background
    QTimer m_timer;
    QTimer m_pushTimer; // single shot: coalesces pushed updates
    bool m_pushed = false;
    qint64 m_seenVersion = -1;
    StoredPolicy m_policy;
    QHash<QString, ReviewFacts> m_facts; // by change id: the facts last read
    // Required coverage by "change/revision" with the assessment sequence it was computed for.
    struct Required
    {
        int sequence = 0;
        QStringList keys;
    };
    QHash<QString, Required> m_required;
    QSet<QString> m_requiring; // "change/revision/sequence" being worked out
    QTimer m_tickTimer;
    QString m_lastView; // revisionKey of the last recorded view
};

} // namespace hp
