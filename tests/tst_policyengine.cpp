// The policy engine in the store (DESIGN §3, §5): stored versions, verdicts
// under the policy in force with the clock, timer events written exactly
// once, policy changes adopted by two leads. Every policy setting is flipped
// through a real policy change and seen to change behaviour.
#include "storefixture.h"

#include "policy/policy.h"
#include "review/coveragerequirements.h"

#include <QJsonArray>
#include <QRandomGenerator>

using namespace hp;
using namespace hp::testing;

namespace {

const QByteArray kPatch = QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");

// A clock the test moves; each reading adds a millisecond so times stay ordered.
struct ManualClock
{
    std::shared_ptr<QDateTime> t =
        std::make_shared<QDateTime>(QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC));
    Clock clock() const
    {
        auto p = t;
        return [p] {
            *p = p->addMSecs(1);
            return *p;
        };
    }
    void advance(qint64 seconds) const { *t = t->addSecs(seconds); }
};

// A policy document with the given rules and settings (the default's risk).
QByteArray policyYaml(const QString &rules, const QString &settings = {})
{
    return QStringLiteral("version: 1\n"
                          "targets:\n  \"account:prod-*\": production\n"
                          "rules:\n%1"
                          "%2")
        .arg(rules, settings)
        .toUtf8();
}

template<class T> int codeOf(const Result<T> &r)
{
    return static_cast<int>(r.ok() ? ExitCode::Ok : r.error().code);
}

int code(ExitCode c)
{
    return static_cast<int>(c);
}

int countEntries(Store &store, const QString &action)
{
    auto entries = store.auditEntries(0, 0);
    int n = 0;
    for (const AuditEntry &e : *entries) {
        if (QJsonDocument::fromJson(e.entry).object().value(u"action").toString() == action)
            ++n;
    }
    return n;
}

} // namespace

class TestPolicyEngine : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    ManualClock m_clock;
    std::unique_ptr<Store> m_store;

    Store &store() { return *m_store; }

    void addUser(const QString &login, std::initializer_list<Role> roles)
    {
        QVERIFY(store().addUser(actor(QStringLiteral("adam")), login, RoleSet::of(roles)).ok());
    }

    QString submit(const QString &login, Proposal p)
    {
        auto r = store().submit(actor(login), SubmitRequest{std::move(p), QString()});
        if (!r.ok()) {
            qWarning("%s", qPrintable(r.error().message));
            return {};
        }
        return r->changeId;
    }

    // A low-risk patch in a non-production environment.
    QString submitLow(const QString &environment = QStringLiteral("dev"),
                      const QString &target = QStringLiteral("account:dev-1"))
    {
        Proposal p = proposal(QStringLiteral("Tweak x"), kPatch);
        p.environment = environment;
        p.target = target;
        return submit(QStringLiteral("bot"), p);
    }

    // A destructive command in production: DESTRUCTIVE_COMMAND → critical.
    QString submitCritical()
    {
        Proposal p = proposal(QStringLiteral("Wipe the cache"), {});
        p.artifacts.clear();
        p.artifacts.push_back(artifact(ArtifactKind::UnifiedDiff, QStringLiteral("cache.patch"), {kPatch}));
        p.artifacts.push_back(artifact(ArtifactKind::Command, QStringLiteral("run.sh"),
                                       {QByteArrayLiteral("rm -rf /var/lib/cache\n")}));
        p.environment = QStringLiteral("production");
        p.target = QStringLiteral("account:prod-main");
        return submit(QStringLiteral("bot"), p);
    }

    Result<DecideResult> decide(const QString &login, const QString &id, DecisionAction action,
                                const QString &reason = QStringLiteral("looked at it"))
    {
        DecideRequest r;
        r.changeId = id;
        r.action = action;
        r.reason = reason;
        return store().decide(actor(login), r);
    }

    ChangeStatus status(const QString &id)
    {
        auto c = store().change(id);
        return c.ok() ? c->summary.verdict.status : ChangeStatus::Failed;
    }

    // Everything the full review of the latest revision requires, seen by `login`.
    void coverAll(const QString &login, const QString &id)
    {
        auto c = store().change(id);
        QVERIFY(c.ok());
        const int rev = c->summary.latestRevision;
        std::vector<Artifact> artifacts;
        for (size_t i = 0; i < c->revisions.back().artifacts.size(); ++i)
            artifacts.push_back(*store().artifact(id, rev, static_cast<int>(i)));
        auto a = store().assessment(id, rev);
        QVERIFY(a.ok());
        const QStringList items = requiredCoverage(artifacts, *a ? &(*a)->assessment : nullptr);
        if (!items.isEmpty())
            QVERIFY(store().recordCoverage(actor(login), id, rev, items).ok());
    }

    // Proposed by lou, approved by lena and leo: the fixed two-lead rule.
    void adopt(const QByteArray &yaml)
    {
        auto current = store().policyInForce();
        QVERIFY(current.ok());
        QVERIFY2(PolicyReader::read(yaml, QStringLiteral("test")).ok(), yaml.constData());
        Proposal p;
        p.kind = ChangeKind::Policy;
        p.title = QStringLiteral("New policy");
        p.artifacts.push_back(artifact(ArtifactKind::FilePair, QStringLiteral("policy.yaml"),
                                       {current->policy.source, yaml}));
        const QString id = submit(QStringLiteral("lou"), p);
        QVERIFY(!id.isEmpty());
        QVERIFY(decide(QStringLiteral("lena"), id, DecisionAction::Approve).ok());
        QVERIFY(decide(QStringLiteral("leo"), id, DecisionAction::Approve).ok());
        auto after = store().policyInForce();
        QVERIFY(after.ok());
        QCOMPARE(after->policy.source, yaml);
        QCOMPARE(after->version, current->version + 1);
        QCOMPARE(after->changeId, id);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_path = m_dir->filePath(QStringLiteral("holdpoint.db"));
        m_clock = ManualClock{};
        CreateOptions options;
        options.adminLogin = QStringLiteral("adam");
        auto created = createStore(m_path, options, actor(QStringLiteral("root")), m_clock.clock());
        QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
        m_store = std::move(*created);
        addUser(QStringLiteral("rita"), {Role::Reviewer});
        addUser(QStringLiteral("rex"), {Role::Reviewer});
        addUser(QStringLiteral("lena"), {Role::Lead});
        addUser(QStringLiteral("leo"), {Role::Lead});
        addUser(QStringLiteral("lou"), {Role::Lead});
        addUser(QStringLiteral("olga"), {Role::Reviewer});
        QVERIFY(store().addAgent(actor(QStringLiteral("adam")), QStringLiteral("bot"), QStringLiteral("olga")).ok());
    }

    void cleanup() { m_store.reset(); }

    void newStoreHoldsTheDefaultAsVersionOne()
    {
        auto p = store().policyInForce();
        QVERIFY(p.ok());
        QCOMPARE(p->version, 1);
        QCOMPARE(p->hash, PolicyReader::builtin()->hash);
        QVERIFY(p->changeId.isEmpty());
        QCOMPARE(store().policyVersions()->size(), size_t(1));
    }

    void decisionsAndAuditEntriesRecordThePolicyHash()
    {
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve).ok());
        const QByteArray hash = store().policyInForce()->hash;
        const QJsonObject entry = lastEntryOf(store(), QStringLiteral("decision.approve"));
        QCOMPARE(entry.value(u"policy_hash").toString().toLatin1(), hash);
        auto c = store().change(id);
        QCOMPARE(c->summary.verdict.policyHash, hash);
        QCOMPARE(c->summary.verdict.policyVersion, 1);
        auto q = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        {
            q.setDatabaseName(m_path);
            QVERIFY(q.open());
            QSqlQuery rows(q);
            QVERIFY(rows.exec(QStringLiteral("SELECT policy_hash FROM decisions")));
            QVERIFY(rows.next());
            QCOMPARE(rows.value(0).toString().toLatin1(), hash);
            q.close();
        }
        q = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    }

    void criticalNeedsTwoHumansWithALeadAfterFullReview()
    {
        const QString id = submitCritical();
        auto c = store().change(id);
        QCOMPARE(c->summary.riskClass, std::optional<Impact>(Impact::Critical));
        // Without full coverage the approval is stored, uncounted, audited.
        auto first = decide(QStringLiteral("rita"), id, DecisionAction::Approve);
        QVERIFY(first.ok());
        COMPARE_NAME(first->uncounted, UncountedReason::IncompleteReview);
        QCOMPARE(lastEntryOf(store(), QStringLiteral("decision.approve")).value(u"payload").toObject()
                     .value(u"uncounted").toString(),
                 QStringLiteral("incomplete_review"));
        coverAll(QStringLiteral("rex"), id);
        coverAll(QStringLiteral("lena"), id);
        QVERIFY(decide(QStringLiteral("rex"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        auto lead = decide(QStringLiteral("lena"), id, DecisionAction::Approve);
        QVERIFY(lead->counts);
        COMPARE_NAME(lead->verdict.status, ChangeStatus::Approved);
    }

    void operatorApprovalOfItsOwnAgentsChangeNeverCounts()
    {
        const QString id = submitLow();
        auto r = decide(QStringLiteral("olga"), id, DecisionAction::Approve);
        QVERIFY(r.ok());
        QVERIFY(!r->counts);
        COMPARE_NAME(r->uncounted, UncountedReason::Contributor);
        COMPARE_NAME(status(id), ChangeStatus::Pending);
    }

    void staleApprovalAfterARevisionIsKeptButNotCounted()
    {
        // Two approvals needed, so the change stays pending and revisable.
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 2\n")));
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve)->counts);
        Proposal changed = proposal(QStringLiteral("Tweak x"), QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n"));
        QVERIFY(store().submit(actor(QStringLiteral("bot")), SubmitRequest{changed, id}).ok());
        QVERIFY(decide(QStringLiteral("rex"), id, DecisionAction::Approve)->counts);
        auto c = store().change(id);
        COMPARE_NAME(c->decisions.front().uncounted, UncountedReason::Outdated);
        QCOMPARE(c->summary.verdict.countedApprovals, 1);
        COMPARE_NAME(c->summary.verdict.status, ChangeStatus::Pending);
        // The same bytes again keep both approvals.
        QVERIFY(store().submit(actor(QStringLiteral("bot")), SubmitRequest{changed, id}).ok());
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void rejectThenLeadOverrideReopensAudited()
    {
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Reject, QStringLiteral("risky")).ok());
        COMPARE_NAME(status(id), ChangeStatus::Rejected);
        QCOMPARE(codeOf(decide(QStringLiteral("rex"), id, DecisionAction::Override, QStringLiteral("fine"))),
                 code(ExitCode::Denied));
        QCOMPARE(codeOf(decide(QStringLiteral("lena"), id, DecisionAction::Override, QString())), code(ExitCode::Usage));
        QVERIFY(decide(QStringLiteral("lena"), id, DecisionAction::Override, QStringLiteral("checked")).ok());
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        QCOMPARE(countEntries(store(), QStringLiteral("change.reopen")), 1);
    }

    void deniedAttemptsAreAudited()
    {
        const QString id = submitLow();
        QCOMPARE(codeOf(decide(QStringLiteral("adam"), id, DecisionAction::Approve)), code(ExitCode::Denied));
        const QJsonObject e = lastEntry(store());
        QCOMPARE(e.value(u"outcome").toString(), QStringLiteral("denied"));
        QCOMPARE(e.value(u"principal").toString(), QStringLiteral("adam"));
    }

    void slaBreachIsShownOnReadAndEscalatedExactlyOnce()
    {
        const QString id = submitLow(QStringLiteral("production"), QStringLiteral("account:prod-main"));
        auto before = store().change(id);
        QCOMPARE(before->summary.verdict.slaSeconds, qint64(4 * 3600));
        QVERIFY(!before->summary.verdict.slaBreached);
        m_clock.advance(4 * 3600 + 1);
        auto read = store().change(id);
        QVERIFY(read->summary.verdict.slaBreached);
        QVERIFY(read->summary.verdict.escalated); // before anything is written
        QCOMPARE(countEntries(store(), QStringLiteral("change.sla_breach")), 0);
        auto second = openStore(m_path, m_clock.clock());
        QVERIFY(second.ok());
        auto a = store().tick(actor(QStringLiteral("rita")));
        auto b = (*second)->tick(actor(QStringLiteral("rex")));
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->escalated + b->escalated, 1);
        QCOMPARE(countEntries(store(), QStringLiteral("change.sla_breach")), 1);
        const QJsonObject e = lastEntryOf(store(), QStringLiteral("change.sla_breach"));
        QCOMPARE(e.value(u"principal_kind").toString(), QStringLiteral("system"));
        // Escalated: a reviewer alone no longer approves.
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        QVERIFY(decide(QStringLiteral("lena"), id, DecisionAction::Approve).ok());
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void onSlaBreachNoneDoesNotEscalate()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n    sla: 1h\n"),
                         QStringLiteral("on_sla_breach: none\n")));
        const QString id = submitLow();
        m_clock.advance(3601);
        auto read = store().change(id);
        QVERIFY(read->summary.verdict.slaBreached);
        QVERIFY(!read->summary.verdict.escalated);
        QCOMPARE(store().tick(actor(QStringLiteral("rita")))->escalated, 0);
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve).ok());
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void expiryIsWrittenOnceWhoeverNoticesFirst()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n"), QStringLiteral("expiry: 2h\n")));
        const QString id = submitLow();
        m_clock.advance(2 * 3600 + 1);
        COMPARE_NAME(status(id), ChangeStatus::Expired); // read before any write
        QCOMPARE(countEntries(store(), QStringLiteral("change.expire")), 0);
        auto second = openStore(m_path, m_clock.clock());
        QVERIFY(second.ok());
        QCOMPARE(store().tick(actor(QStringLiteral("rita")))->expired, 1);
        QCOMPARE((*second)->tick(actor(QStringLiteral("rex")))->expired, 0);
        // A writer notices too, but there is nothing left to write.
        QCOMPARE(codeOf(decide(QStringLiteral("rita"), id, DecisionAction::Approve)), code(ExitCode::Denied));
        QCOMPARE(countEntries(store(), QStringLiteral("change.expire")), 1);
        QVERIFY(store().verifyAudit()->clean());
    }

    void approvalTtlLapsesTheApprovalOnce()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n"), QStringLiteral("approval_ttl: 1h\n")));
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve).ok());
        auto approved = store().change(id);
        COMPARE_NAME(approved->summary.verdict.status, ChangeStatus::Approved);
        QVERIFY(approved->summary.verdict.approvalExpiresAt.isValid());
        m_clock.advance(3601);
        COMPARE_NAME(status(id), ChangeStatus::Expired);
        // Any writer writes it first: here a comment on another change.
        const QString other = submitLow();
        QVERIFY(!other.isEmpty());
        QCOMPARE(countEntries(store(), QStringLiteral("change.approval_lapse")), 1);
        QCOMPARE(store().tick(actor(QStringLiteral("rita")))->approvalsLapsed, 0);
        QCOMPARE(countEntries(store(), QStringLiteral("change.approval_lapse")), 1);
        QVERIFY(store().verifyAudit()->clean());
    }

    void approvalsSettingChangesTheCount()
    {
        const QString before = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), before, DecisionAction::Approve).ok());
        COMPARE_NAME(status(before), ChangeStatus::Approved);
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 2\n")));
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve).ok());
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        QCOMPARE(store().change(id)->summary.verdict.needs, QStringLiteral("needs 1 more approval"));
        QVERIFY(decide(QStringLiteral("rex"), id, DecisionAction::Approve).ok());
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void rolesAnyDemandsALead()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n    roles_any: [lead]\n")));
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        QVERIFY(decide(QStringLiteral("lena"), id, DecisionAction::Approve).ok());
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void fullReviewCountsOnlyAfterCompleteCoverage()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n    full_review: true\n")));
        const QString id = submitLow();
        auto r = decide(QStringLiteral("rita"), id, DecisionAction::Approve);
        COMPARE_NAME(r->uncounted, UncountedReason::IncompleteReview);
        coverAll(QStringLiteral("rita"), id); // after the approval: it still does not count
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        coverAll(QStringLiteral("rex"), id);
        QVERIFY(decide(QStringLiteral("rex"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Approved);
    }

    void requireRegisteredAgentsRefusesUnregisteredSubmitters()
    {
        Proposal p = proposal(QStringLiteral("From eve"), kPatch);
        QVERIFY(store().submit(actor(QStringLiteral("eve")), SubmitRequest{p, QString()}).ok());
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n"),
                         QStringLiteral("require_registered_agents: true\n")));
        auto refused = store().submit(actor(QStringLiteral("eve")), SubmitRequest{p, QString()});
        QCOMPARE(codeOf(refused), code(ExitCode::Denied));
        QCOMPARE(refused.error().reason, QStringLiteral("unregistered_agent"));
        const QJsonObject e = lastEntry(store());
        QCOMPARE(e.value(u"outcome").toString(), QStringLiteral("denied"));
        QCOMPARE(e.value(u"principal").toString(), QStringLiteral("eve"));
        QVERIFY(!submitLow().isEmpty()); // the registered bot still submits
    }

    void reasonRequiredFollowsThePolicy()
    {
        const QString id = submitLow();
        QCOMPARE(codeOf(decide(QStringLiteral("rita"), id, DecisionAction::Reject, QString())), code(ExitCode::Usage));
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n"), QStringLiteral("reason_required: [override]\n")));
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Reject, QString()).ok());
        COMPARE_NAME(status(id), ChangeStatus::Rejected);
    }

    void whenMatchesClassEnvironmentFlagsAndTargets_data()
    {
        QTest::addColumn<QString>("when");
        QTest::addColumn<QString>("targets");
        QTest::addColumn<bool>("critical"); // submit the command change instead of the patch
        QTest::addColumn<QString>("target");
        QTest::addColumn<bool>("matches");
        const QString t = QStringLiteral("account:dev-1");
        QTest::newRow("class low matches a low patch") << "{class: low}" << "" << false << t << true;
        QTest::newRow("class critical misses a low patch") << "{class: critical}" << "" << false << t << false;
        QTest::newRow("class critical matches the command") << "{class: [high, critical]}" << "" << true << t << true;
        QTest::newRow("flag UNASSESSED matches the command") << "{flags: [UNASSESSED]}" << "" << true << t << true;
        QTest::newRow("flag DATA_LOSS misses the patch") << "{flags: [DATA_LOSS]}" << "" << false << t << false;
        QTest::newRow("environment dev matches") << "{environment: dev}" << "" << false << t << true;
        QTest::newRow("environment production misses dev") << "{environment: production}" << "" << false << t << false;
        QTest::newRow("targets map the target to production")
            << "{environment: production}" << "  \"account:dev-*\": production\n" << false << t << true;
    }
    void whenMatchesClassEnvironmentFlagsAndTargets()
    {
        QFETCH(QString, when);
        QFETCH(QString, targets);
        QFETCH(bool, critical);
        QFETCH(QString, target);
        QFETCH(bool, matches);
        // The matching rule demands 2 approvals; the catch-all 1.
        QByteArray yaml = policyYaml(QStringLiteral("  - when: %1\n    approvals: 2\n  - when: {}\n    approvals: 1\n").arg(when));
        if (!targets.isEmpty())
            yaml.replace("targets:\n  \"account:prod-*\": production\n", "targets:\n" + targets.toUtf8());
        adopt(yaml);
        const QString id = critical ? submitCritical() : submitLow(QStringLiteral("dev"), target);
        QVERIFY(!id.isEmpty());
        QCOMPARE(store().change(id)->summary.verdict.requiredApprovals, matches ? 2 : 1);
    }

    void policyChangeNeedsTwoLeadsNeitherTheProposerAndReevaluatesPending()
    {
        adopt(policyYaml(QStringLiteral("  - when: {}\n    approvals: 2\n")));
        const QString pending = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), pending, DecisionAction::Approve).ok());
        COMPARE_NAME(status(pending), ChangeStatus::Pending);
        const int sequenceBefore = store().change(pending)->summary.assessmentSequence;

        const QByteArray yaml = policyYaml(QStringLiteral("  - when: {}\n    approvals: 1\n"));
        Proposal p;
        p.kind = ChangeKind::Policy;
        p.title = QStringLiteral("One approval is enough");
        p.artifacts.push_back(artifact(ArtifactKind::FilePair, QStringLiteral("policy.yaml"),
                                       {store().policyInForce()->policy.source, yaml}));
        const QString id = submit(QStringLiteral("lou"), p);
        QVERIFY(!decide(QStringLiteral("lou"), id, DecisionAction::Approve)->counts);   // the proposer
        QVERIFY(!decide(QStringLiteral("rita"), id, DecisionAction::Approve)->counts);  // not a lead
        QVERIFY(decide(QStringLiteral("lena"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Pending);
        QCOMPARE(store().policyVersions()->size(), size_t(2));
        QVERIFY(decide(QStringLiteral("leo"), id, DecisionAction::Approve)->counts);
        COMPARE_NAME(status(id), ChangeStatus::Applied);
        auto adopted = store().policyInForce();
        QCOMPARE(adopted->version, 3);
        QCOMPARE(adopted->changeId, id);
        QCOMPARE(countEntries(store(), QStringLiteral("policy.adopt")), 2);
        // The pending change was reassessed under the new policy and now approves.
        auto c = store().change(pending);
        QCOMPARE(c->summary.assessmentSequence, sequenceBefore + 1);
        QCOMPARE((*store().assessment(pending, 0))->policyHash, adopted->hash);
        COMPARE_NAME(c->summary.verdict.status, ChangeStatus::Approved);
        QVERIFY(store().verifyAudit()->clean());
    }

    void consumeSucceedsOncePerApproval()
    {
        const QString id = submitLow();
        QVERIFY(decide(QStringLiteral("rita"), id, DecisionAction::Approve).ok());
        QVERIFY(store().consumeApproval(actor(QStringLiteral("exec")), id, 1, QString()).ok());
        auto again = store().consumeApproval(actor(QStringLiteral("exec")), id, 1, QString());
        QCOMPARE(codeOf(again), code(ExitCode::Denied));
        QCOMPARE(again.error().reason, QStringLiteral("consumed"));
        QCOMPARE(lastEntry(store()).value(u"outcome").toString(), QStringLiteral("denied"));
    }

    // Random principals, roles, registrations and revisions (seeded): no
    // contributor or admin approval ever counts, and a critical change never
    // approves with fewer than two distinct humans including a lead.
    void propertyNoContributorOrAdminCountsAndCriticalNeedsTwoWithALead()
    {
        const Policy policy = *PolicyReader::builtin();
        ReviewFacts facts;
        facts.riskClass = Impact::Critical;
        facts.environment = QStringLiteral("production");
        const QStringList logins{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"),
                                 QStringLiteral("d"), QStringLiteral("e"), QStringLiteral("f")};
        const QList<RoleSet> roleChoices{RoleSet(), RoleSet::of({Role::Reviewer}), RoleSet::of({Role::Lead}),
                                         RoleSet::of({Role::Admin}), RoleSet::of({Role::Auditor}),
                                         RoleSet::of({Role::Reviewer, Role::Auditor})};
        QRandomGenerator rng(20240501);
        int approvedCases = 0;
        for (int n = 0; n < 500; ++n) {
            ChangeDetail c;
            c.summary.id = QStringLiteral("C%1").arg(n);
            c.summary.agentPrincipal = logins[rng.bounded(logins.size())];
            // Registered: the operator is another login; else the agent itself.
            c.summary.operatorLogin = rng.bounded(2) ? logins[rng.bounded(logins.size())] : c.summary.agentPrincipal;
            c.summary.createdAt = QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC);
            const int revisions = 1 + rng.bounded(3);
            for (int r = 1; r <= revisions; ++r) {
                RevisionInfo rev;
                rev.number = r;
                rev.submitter = r == 1 || rng.bounded(2) ? c.summary.agentPrincipal : logins[rng.bounded(logins.size())];
                rev.contentHash = QByteArray(32, static_cast<char>(rng.bounded(2) ? 'a' : 'a' + r));
                rev.createdAt = c.summary.createdAt.addSecs(r);
                c.revisions.push_back(rev);
            }
            c.summary.latestRevision = revisions;
            const int decisions = rng.bounded(8);
            for (int i = 0; i < decisions; ++i) {
                DecisionRecord d;
                d.id = i + 1;
                d.principal = logins[rng.bounded(logins.size())];
                d.roles = roleChoices[rng.bounded(roleChoices.size())];
                d.action = rng.bounded(6) == 0 ? DecisionAction::Escalate : DecisionAction::Approve;
                d.revision = 1 + rng.bounded(revisions);
                d.at = c.summary.createdAt.addSecs(10 + i);
                facts.coverageCompleteAt.insert(d.principal, c.summary.createdAt); // full review done
                c.decisions.push_back(d);
            }
            const Verdict v = computeVerdict(c, policy, facts, QDateTime());
            const QStringList contributors = contributorsOf(c);
            QStringList counted;
            bool lead = false;
            for (const DecisionRecord &d : c.decisions) {
                if (d.action != DecisionAction::Approve || !d.counts)
                    continue;
                QVERIFY2(!contributors.contains(d.principal), qPrintable(c.summary.id));
                QVERIFY2(!d.roles.holds(Role::Admin), qPrintable(c.summary.id));
                if (!counted.contains(d.principal))
                    counted << d.principal;
                lead = lead || d.roles.holds(Role::Lead);
            }
            if (v.status == ChangeStatus::Approved) {
                ++approvedCases;
                QVERIFY2(counted.size() >= 2 && lead, qPrintable(c.summary.id));
            }
        }
        QVERIFY(approvedCases > 0); // the property was exercised, not vacuous
    }
};

QTEST_GUILESS_MAIN(TestPolicyEngine)
#include "tst_policyengine.moc"
