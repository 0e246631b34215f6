#include "pgharness.h"
#include "storefixture.h"

#include "intake/contenthash.h"
#include "policy/policy.h"
#include "review/coveragerequirements.h"
#include "storage/pgsetup.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

// The review policy in team mode (issue 9, DESIGN §5) on a real PostgreSQL
// 15: a critical plan needs what the policy says (two distinct humans, one a
// lead, after a full review) exactly as in a local store; a lying submission
// made with psql is raised back by a reviewer's client; timer events are
// written once whoever ticks; an approval is consumed once.
using namespace hp;
using namespace hp::testing;

namespace {

QByteArray planBytes()
{
    QFile f(QStringLiteral(HP_TEST_DATA "/plan/destroy-environment.plan.json"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

const QByteArray kWipe = QByteArrayLiteral("rm -rf /var/lib/postgresql\n");

// A plan that destroys a production environment (class high on its own
// without a topology: score 59) and the command that wipes its data
// (DESTRUCTIVE_COMMAND in production): class critical, as a local store says.
Proposal criticalProposal(const QString &title)
{
    Proposal p;
    p.title = title;
    p.environment = QStringLiteral("production");
    p.target = QStringLiteral("account:prod-main");
    p.intent = QStringLiteral("tear down the old environment");
    p.artifacts.push_back(
        artifact(ArtifactKind::TerraformPlan, QStringLiteral("plan.json"), {planBytes()}));
    p.artifacts.push_back(artifact(ArtifactKind::Command, QStringLiteral("wipe.sh"), {kWipe}));
    return p;
}

// hp_submit as an agent could call it with psql: the critical plan and its
// wipe command, claimed low risk with one approval needed (the content hash
// is the honest one: verify recomputes it).
QString lyingSubmission(const QString &id)
{
    const Proposal p = criticalProposal(QStringLiteral("harmless"));
    std::vector<Artifact> artifacts = p.artifacts;
    hashArtifacts(artifacts);
    const QByteArray hash =
        contentHash(RevisionMeta{ChangeKind::Infra, *p.environment, *p.target}, artifacts).toHex();
    return QStringLiteral(
               "SELECT r_change FROM holdpoint.hp_submit('%1', '', 'infra', 'harmless', NULL, "
               "NULL, "
               "NULL, NULL, NULL, NULL, 'production', 'account:prod-main', NULL, decode('%2', "
               "'hex'), "
               "ARRAY['terraform-plan', 'command'], ARRAY['plan.json', 'wipe.sh'], ARRAY[1, 2], "
               "ARRAY[decode('%3', 'base64'), convert_to('%4', 'UTF8')], '\\x7b7d'::bytea, 1, "
               "'low', '', "
               "0, 'dev', '', '', 1, false, false, '{}', 0, 259200, 86400, true, 1, '{}', '', '');")
        .arg(id, QString::fromLatin1(hash), QString::fromLatin1(planBytes().toBase64()),
             QString::fromLatin1(kWipe));
}

// A one-line patch in a development account: class low, one approval.
Proposal lowProposal(const QString &title)
{
    Proposal p;
    p.title = title;
    p.environment = QStringLiteral("dev");
    p.target = QStringLiteral("account:dev-1");
    p.artifacts.push_back(artifact(ArtifactKind::UnifiedDiff, QStringLiteral("x.patch"),
                                   {QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")}));
    return p;
}

DecideRequest approve(const QString &id)
{
    return DecideRequest{id, DecisionAction::Approve, QStringLiteral("looked at it"), 0};
}

} // namespace

class TestPgPolicy : public QObject
{
    Q_OBJECT

    PgHarness m_pg;

    std::unique_ptr<Store> openAs(const QString &login) { return m_pg.openAs(login); }

    QString submitAs(const QString &login, const Proposal &p, SubmitResult *out = nullptr)
    {
        auto store = openAs(login);
        auto submitted = store->submit(actor(login), SubmitRequest{p, {}});
        if (!submitted) {
            qWarning("%s", qPrintable(submitted.error().message));
            return {};
        }
        if (out)
            *out = *submitted;
        return submitted->changeId;
    }

    QByteArray owner(const QString &sql)
    {
        const PsqlRun r = m_pg.psql(QStringLiteral("hp_owner"), sql);
        if (r.exitCode != 0)
            qWarning("%s", r.err.constData());
        return r.out.trimmed();
    }

    // Stands in for the console's coverage reports (another helper writes
    // hp_record_coverage): every required item seen by `login` now.
    void coverAll(const QString &login, const QString &id)
    {
        owner(QStringLiteral(
                  "INSERT INTO holdpoint.coverage (change_id, revision, login, item, seen_at) "
                  "SELECT change_id, revision, '%1', item, holdpoint.hp_now() FROM "
                  "holdpoint.coverage_required WHERE change_id = '%2' ON CONFLICT DO NOTHING;")
                  .arg(login, id));
    }

    int count(const QString &sql) { return owner(sql).toInt(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(!planBytes().isEmpty());
        HP_START_TEAM_STORE(m_pg);
        auto admin = openAs(QStringLiteral("adm"));
        QVERIFY(admin);
        const Actor a = actor(QStringLiteral("adm"));
        QVERIFY(admin->addUser(a, QStringLiteral("lead1"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("lead2"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("op1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("rev1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("rev2"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("aud1"), RoleSet::of({Role::Auditor})).ok());
        QVERIFY(admin->addAgent(a, QStringLiteral("bot"), QStringLiteral("op1")).ok());
    }

    void theDefaultPolicyIsVersionOneWithTheLocalHash()
    {
        auto store = openAs(QStringLiteral("rev1"));
        auto policy = store->policyInForce();
        QVERIFY2(policy.ok(), policy.ok() ? "" : qPrintable(policy.error().message));
        QCOMPARE(policy->version, 1);
        QCOMPARE(policy->hash, PolicyReader::builtin()->hash);
        QCOMPARE(store->policyVersions()->size(), size_t(1));
        // db migrate leaves it alone.
        QVERIFY(migrateTeamStore(m_pg.uri(QStringLiteral("hp_owner"))).ok());
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM holdpoint.policies;")), 1);
    }

    void submissionsAreAssessedAndRuledExactlyAsLocally_data()
    {
        // Each on its own target: the team store holds the agent's other
        // destructive changes (MASS_CHANGE counts them), the local one not.
        QTest::addColumn<Proposal>("proposal");
        Proposal critical = criticalProposal(QStringLiteral("parity"));
        critical.target = QStringLiteral("account:prod-parity-1");
        Proposal planOnly = criticalProposal(QStringLiteral("plan only"));
        planOnly.artifacts.pop_back();
        planOnly.target = QStringLiteral("account:prod-parity-2");
        Proposal staging = planOnly;
        staging.environment = QStringLiteral("staging");
        staging.target = QStringLiteral("account:stage-1");
        QTest::newRow("plan and wipe: critical") << critical;
        QTest::newRow("plan alone: high") << planOnly;
        QTest::newRow("plan in staging") << staging;
        QTest::newRow("dev patch: low") << lowProposal(QStringLiteral("parity low"));
    }

    void submissionsAreAssessedAndRuledExactlyAsLocally()
    {
        QFETCH(Proposal, proposal);
        QTemporaryDir dir;
        CreateOptions options;
        options.adminLogin = QStringLiteral("adm");
        auto local = createStore(dir.filePath(QStringLiteral("local.db")), options,
                                 actor(QStringLiteral("root")));
        QVERIFY(local.ok());
        QVERIFY((*local)
                    ->addUser(actor(QStringLiteral("adm")), QStringLiteral("op1"),
                              RoleSet::of({Role::Reviewer}))
                    .ok());
        QVERIFY((*local)
                    ->addAgent(actor(QStringLiteral("adm")), QStringLiteral("bot"),
                               QStringLiteral("op1"))
                    .ok());
        auto there = (*local)->submit(actor(QStringLiteral("bot")), SubmitRequest{proposal, {}});
        QVERIFY(there.ok() && there->assessment);
        SubmitResult here;
        const QString id = submitAs(QStringLiteral("bot"), proposal, &here);
        QVERIFY(!id.isEmpty() && here.assessment);
        const Assessment &a = here.assessment->assessment;
        const Assessment &b = there->assessment->assessment;
        COMPARE_NAME(a.riskClass, b.riskClass);
        QCOMPARE(a.score, b.score);
        QCOMPARE(a.flagCodes(), b.flagCodes());
        QCOMPARE(a.effectiveEnvironment, b.effectiveEnvironment);
        QCOMPARE(here.assessment->policyHash, there->assessment->policyHash);
        QCOMPARE(here.verdict.requiredApprovals, there->verdict.requiredApprovals);
        QCOMPARE(here.verdict.leadRequired, there->verdict.leadRequired);
        QCOMPARE(here.verdict.fullReview, there->verdict.fullReview);
        QCOMPARE(here.verdict.slaSeconds, there->verdict.slaSeconds);
        QCOMPARE(here.verdict.rule, there->verdict.rule);
        std::vector<Artifact> artifacts = proposal.artifacts;
        QStringList required = requiredCoverage(artifacts, &b);
        required.sort();
        const QByteArray stored =
            owner(QStringLiteral("SELECT coalesce(string_agg(item, ',' ORDER BY item), '') FROM "
                                 "holdpoint.coverage_required WHERE change_id = '%1';")
                      .arg(id));
        QCOMPARE(QString::fromUtf8(stored), required.join(u','));
    }

    void theAgentsOtherDestructiveChangesRaiseMassChange()
    {
        Proposal plan = criticalProposal(QStringLiteral("mass"));
        plan.artifacts.pop_back();
        plan.target = QStringLiteral("account:prod-mass");
        SubmitResult first;
        SubmitResult second;
        QVERIFY(!submitAs(QStringLiteral("bot"), plan, &first).isEmpty());
        QVERIFY(!first.assessment->assessment.flagCodes().contains(QStringLiteral("MASS_CHANGE")));
        QVERIFY(!submitAs(QStringLiteral("bot"), plan, &second).isEmpty());
        QVERIFY(second.assessment->assessment.flagCodes().contains(QStringLiteral("MASS_CHANGE")));
        COMPARE_NAME(second.assessment->assessment.riskClass, Impact::Critical);
    }

    void aCriticalPlanNeedsTwoDistinctHumansWithALeadAfterFullReview()
    {
        SubmitResult submitted;
        const QString id = submitAs(QStringLiteral("bot"),
                                    criticalProposal(QStringLiteral("destroy")), &submitted);
        QVERIFY(!id.isEmpty());
        QVERIFY(submitted.assessment);
        COMPARE_NAME(submitted.assessment->assessment.riskClass, Impact::Critical);
        QCOMPARE(submitted.verdict.requiredApprovals, 2);
        QVERIFY(submitted.verdict.leadRequired);
        QVERIFY(submitted.verdict.fullReview);
        QVERIFY(submitted.verdict.slaDeadline.isValid());

        // The agent's operator never counts, coverage or not.
        coverAll(QStringLiteral("op1"), id);
        auto byOperator =
            openAs(QStringLiteral("op1"))->decide(actor(QStringLiteral("op1")), approve(id));
        QVERIFY(byOperator.ok());
        COMPARE_NAME(byOperator->uncounted, UncountedReason::Contributor);

        // Without full coverage the approval is stored, uncounted, audited.
        auto rev1 = openAs(QStringLiteral("rev1"));
        auto early = rev1->decide(actor(QStringLiteral("rev1")), approve(id));
        QVERIFY2(early.ok(), early.ok() ? "" : qPrintable(early.error().message));
        QVERIFY(!early->counts);
        COMPARE_NAME(early->uncounted, UncountedReason::IncompleteReview);
        QCOMPARE(lastEntryOf(*rev1, QStringLiteral("decision.approve"))
                     .value(u"payload")
                     .toObject()
                     .value(u"uncounted")
                     .toString(),
                 QStringLiteral("incomplete_review"));

        coverAll(QStringLiteral("rev1"), id);
        coverAll(QStringLiteral("rev2"), id);
        coverAll(QStringLiteral("lead1"), id);
        auto first = rev1->decide(actor(QStringLiteral("rev1")), approve(id));
        QVERIFY(first.ok());
        QVERIFY(first->counts);
        COMPARE_NAME(first->verdict.status, ChangeStatus::Pending);
        // Two distinct humans, but neither a lead: still pending.
        auto second =
            openAs(QStringLiteral("rev2"))->decide(actor(QStringLiteral("rev2")), approve(id));
        QVERIFY(second.ok());
        QVERIFY(second->counts);
        COMPARE_NAME(second->verdict.status, ChangeStatus::Pending);
        auto shown = rev1->change(id);
        QVERIFY(shown.ok());
        COMPARE_NAME(shown->summary.verdict.status, ChangeStatus::Pending);
        QCOMPARE(shown->summary.verdict.countedApprovals, 2);
        QVERIFY(shown->summary.verdict.needs.contains(QLatin1String("lead")));
        auto lead =
            openAs(QStringLiteral("lead1"))->decide(actor(QStringLiteral("lead1")), approve(id));
        QVERIFY(lead.ok());
        QVERIFY(lead->counts);
        COMPARE_NAME(lead->verdict.status, ChangeStatus::Approved);
        auto after = rev1->change(id);
        COMPARE_NAME(after->summary.verdict.status, ChangeStatus::Approved);
        QVERIFY(after->summary.verdict.approvalExpiresAt.isValid());
        QCOMPARE(after->summary.verdict.policyVersion, 1);
    }

    void aLowChangeNeedsOneApproval()
    {
        const QString id = submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("tweak")));
        QVERIFY(!id.isEmpty());
        auto decided =
            openAs(QStringLiteral("rev1"))->decide(actor(QStringLiteral("rev1")), approve(id));
        QVERIFY(decided.ok());
        COMPARE_NAME(decided->verdict.status, ChangeStatus::Approved);
    }

    void aLyingSubmissionIsRaisedBackByAReviewersRead()
    {
        // With psql in hand an agent calls hp_submit itself, claiming a
        // critical plan is low risk and needs one approval.
        const QString sql = lyingSubmission(QStringLiteral("LIE1"));
        const PsqlRun lie = m_pg.psql(QStringLiteral("bot"), sql);
        QVERIFY2(lie.exitCode == 0, lie.err.constData());
        QCOMPARE(owner(QStringLiteral(
                     "SELECT required_approvals FROM holdpoint.changes WHERE id = 'LIE1';")),
                 QByteArray("1"));
        // Nobody can approve on the lie: the server wants a confirmed assessment.
        const PsqlRun early =
            m_pg.psql(QStringLiteral("rev1"),
                      QStringLiteral("SELECT r_after FROM holdpoint.hp_decide('LIE1', 0, "
                                     "'approve', '', 1, false, '', '', '');"));
        QVERIFY(early.exitCode != 0);
        QVERIFY(early.err.contains("unconfirmed_assessment"));
        // A reviewer's read recomputes it and raises the requirement.
        auto rev1 = openAs(QStringLiteral("rev1"));
        auto shown = rev1->change(QStringLiteral("LIE1"));
        QVERIFY2(shown.ok(), shown.ok() ? "" : qPrintable(shown.error().message));
        COMPARE_NAME(*shown->summary.riskClass, Impact::Critical);
        QCOMPARE(shown->summary.verdict.requiredApprovals, 2);
        QVERIFY(shown->summary.verdict.leadRequired);
        QVERIFY(shown->summary.verdict.fullReview);
        QCOMPARE(owner(QStringLiteral(
                     "SELECT required_approvals || ' ' || lead_required || ' ' || full_review "
                     "FROM holdpoint.changes WHERE id = 'LIE1';")),
                 QByteArray("2 true true"));
        QVERIFY(count(QStringLiteral(
                    "SELECT count(*) FROM holdpoint.coverage_required WHERE change_id = 'LIE1';")) >
                0);
        const QJsonObject verified = lastEntryOf(*rev1, QStringLiteral("assessment"));
        QCOMPARE(verified.value(u"principal").toString(), QStringLiteral("rev1"));
        QCOMPARE(verified.value(u"payload").toObject().value(u"class").toString(),
                 QStringLiteral("critical"));
        // One reviewer's approval without coverage does not count.
        auto decided = rev1->decide(actor(QStringLiteral("rev1")), approve(QStringLiteral("LIE1")));
        QVERIFY(decided.ok());
        COMPARE_NAME(decided->uncounted, UncountedReason::IncompleteReview);
        COMPARE_NAME(decided->verdict.status, ChangeStatus::Pending);
    }

    void aLyingSubmissionIsRaisedBackByAReviewersDecide()
    {
        const QString sql = lyingSubmission(QStringLiteral("LIE2"));
        QVERIFY(m_pg.psql(QStringLiteral("bot"), sql).exitCode == 0);
        // Deciding without reading first: the client confirms, then decides.
        auto rev2 = openAs(QStringLiteral("rev2"));
        auto decided = rev2->decide(actor(QStringLiteral("rev2")), approve(QStringLiteral("LIE2")));
        QVERIFY2(decided.ok(), decided.ok() ? "" : qPrintable(decided.error().message));
        COMPARE_NAME(decided->uncounted, UncountedReason::IncompleteReview);
        QCOMPARE(decided->verdict.requiredApprovals, 2);
        QVERIFY(decided->verdict.leadRequired);
        COMPARE_NAME(decided->verdict.status, ChangeStatus::Pending);
    }

    void aContributorsApprovalNeverCountsAndAgentsCannotDecide()
    {
        const QString id = submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("mine")));
        auto byOperator =
            openAs(QStringLiteral("op1"))->decide(actor(QStringLiteral("op1")), approve(id));
        QVERIFY(byOperator.ok());
        QVERIFY(!byOperator->counts);
        COMPARE_NAME(byOperator->verdict.status, ChangeStatus::Pending);
        auto byAgent =
            openAs(QStringLiteral("bot"))->decide(actor(QStringLiteral("bot")), approve(id));
        QVERIFY(!byAgent.ok());
        QCOMPARE(byAgent.error().code, ExitCode::Denied);
    }

    void aLeadsOverrideReopensARejectedChangeAudited()
    {
        const QString id =
            submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("reject me")));
        auto rev1 = openAs(QStringLiteral("rev1"));
        QVERIFY(rev1->decide(actor(QStringLiteral("rev1")),
                             DecideRequest{id, DecisionAction::Reject, QStringLiteral("risky"), 0})
                    .ok());
        COMPARE_NAME(rev1->change(id)->summary.verdict.status, ChangeStatus::Rejected);
        auto byReviewer =
            openAs(QStringLiteral("rev2"))
                ->decide(actor(QStringLiteral("rev2")),
                         DecideRequest{id, DecisionAction::Override, QStringLiteral("fine"), 0});
        QVERIFY(!byReviewer.ok());
        QCOMPARE(byReviewer.error().code, ExitCode::Denied);
        auto lead = openAs(QStringLiteral("lead1"));
        auto noReason = lead->decide(actor(QStringLiteral("lead1")),
                                     DecideRequest{id, DecisionAction::Override, {}, 0});
        QVERIFY(!noReason.ok());
        auto overridden =
            lead->decide(actor(QStringLiteral("lead1")),
                         DecideRequest{id, DecisionAction::Override, QStringLiteral("checked"), 0});
        QVERIFY2(overridden.ok(), overridden.ok() ? "" : qPrintable(overridden.error().message));
        COMPARE_NAME(overridden->verdict.status, ChangeStatus::Pending);
        COMPARE_NAME(rev1->change(id)->summary.verdict.status, ChangeStatus::Pending);
        const QJsonObject reopened = lastEntryOf(*lead, QStringLiteral("change.reopen"));
        QCOMPARE(reopened.value(u"change").toString(), id);
        QCOMPARE(reopened.value(u"principal").toString(), QStringLiteral("lead1"));
        QCOMPARE(reopened.value(u"status_after").toString(), QStringLiteral("pending"));
    }

    void aRejectStandsAcrossRevisionsUntilItsAuthorWithdrawsIt()
    {
        const QString id = submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("fix me")));
        auto rev1 = openAs(QStringLiteral("rev1"));
        QVERIFY(
            rev1->decide(actor(QStringLiteral("rev1")),
                         DecideRequest{id, DecisionAction::Reject, QStringLiteral("wrong line"), 0})
                .ok());
        Proposal fixed = lowProposal(QStringLiteral("fix me"));
        fixed.artifacts.front().parts = {
            QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+c\n")};
        auto revised = openAs(QStringLiteral("bot"))
                           ->submit(actor(QStringLiteral("bot")), SubmitRequest{fixed, id});
        QVERIFY2(revised.ok(), revised.ok() ? "" : qPrintable(revised.error().message));
        COMPARE_NAME(revised->verdict.status, ChangeStatus::Rejected);
        QCOMPARE(
            owner(QStringLiteral("SELECT status FROM holdpoint.changes WHERE id = '%1';").arg(id)),
            QByteArray("rejected"));
        auto other =
            openAs(QStringLiteral("rev2"))
                ->decide(actor(QStringLiteral("rev2")),
                         DecideRequest{id, DecisionAction::Withdraw, QStringLiteral("x"), 0});
        QVERIFY(!other.ok());
        auto withdrawn = rev1->decide(
            actor(QStringLiteral("rev1")),
            DecideRequest{id, DecisionAction::Withdraw, QStringLiteral("fixed now"), 0});
        QVERIFY(withdrawn.ok());
        COMPARE_NAME(withdrawn->verdict.status, ChangeStatus::Pending);
        auto approved = rev1->decide(actor(QStringLiteral("rev1")), approve(id));
        QVERIFY(approved.ok());
        COMPARE_NAME(approved->verdict.status, ChangeStatus::Approved);
        COMPARE_NAME(rev1->change(id)->summary.verdict.status, ChangeStatus::Approved);
    }

    void tickWritesEachTimerEventOnceFromTwoStores()
    {
        // Expiry: created four days ago (as the server's clock sees it).
        const QString expiring =
            submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("old")));
        // SLA breach: the latest revision two days old, the change not expired.
        const QString late = submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("late")));
        QVERIFY(!expiring.isEmpty() && !late.isEmpty());
        owner(QStringLiteral("UPDATE holdpoint.changes SET created_at = to_char((now() - interval "
                             "'4 days') AT TIME ZONE 'UTC', "
                             "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') WHERE id = '%1';\n"
                             "UPDATE holdpoint.changes SET created_at = to_char((now() - interval "
                             "'2 days') AT TIME ZONE 'UTC', "
                             "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') WHERE id = '%2';\n"
                             "UPDATE holdpoint.revisions SET created_at = to_char((now() - "
                             "interval '2 days') AT TIME ZONE 'UTC', "
                             "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') WHERE change_id = '%2';\n")
                  .arg(expiring, late));
        // A client whose clock lies cannot make the server write early.
        QCOMPARE(
            m_pg.psql(QStringLiteral("rev1"),
                      QStringLiteral("SELECT holdpoint.hp_tick('%1', 'approval_lapse', '', '');\n"
                                     "SELECT holdpoint.hp_tick('%1', 'sla_breach', '', '');")
                          .arg(expiring))
                .out,
            QByteArray("f\nf\n"));
        auto one = openAs(QStringLiteral("rev1"));
        auto two = openAs(QStringLiteral("lead1"));
        auto first = one->tick(actor(QStringLiteral("rev1")));
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        auto second = two->tick(actor(QStringLiteral("lead1")));
        QVERIFY(second.ok());
        QCOMPARE(first->expired + second->expired, 1);
        QCOMPARE(first->escalated + second->escalated, 1);
        QVERIFY(second->changes.isEmpty());
        QCOMPARE(
            count(
                QStringLiteral(
                    "SELECT count(*) FROM holdpoint.timer_events WHERE change_id IN ('%1', '%2');")
                    .arg(expiring, late)),
            2);
        QCOMPARE(owner(QStringLiteral("SELECT status FROM holdpoint.changes WHERE id = '%1';")
                           .arg(expiring)),
                 QByteArray("expired"));
        COMPARE_NAME(one->change(expiring)->summary.verdict.status, ChangeStatus::Expired);
        auto escalated = two->change(late);
        QVERIFY(escalated->summary.verdict.escalated);
        QVERIFY(escalated->summary.verdict.leadRequired);
        const QJsonObject expire = lastEntryOf(*one, QStringLiteral("change.expire"));
        QCOMPARE(expire.value(u"principal").toString(), QStringLiteral("system"));
        QCOMPARE(expire.value(u"change").toString(), expiring);
        // A reviewer's approval no longer suffices: the breach escalated it.
        auto decided = one->decide(actor(QStringLiteral("rev1")), approve(late));
        QVERIFY(decided.ok());
        QVERIFY(decided->counts);
        COMPARE_NAME(decided->verdict.status, ChangeStatus::Pending);
    }

    void anApprovalIsConsumedOnce()
    {
        const QString id = submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("use me")));
        QVERIFY(openAs(QStringLiteral("rev1"))
                    ->decide(actor(QStringLiteral("rev1")), approve(id))
                    .ok());
        auto bot = openAs(QStringLiteral("bot"));
        auto once =
            bot->consumeApproval(actor(QStringLiteral("bot")), id, 1, QStringLiteral("applying"));
        QVERIFY2(once.ok(), once.ok() ? "" : qPrintable(once.error().message));
        COMPARE_NAME(once->status, ChangeStatus::Approved);
        auto twice =
            bot->consumeApproval(actor(QStringLiteral("bot")), id, 1, QStringLiteral("again"));
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().code, ExitCode::Denied);
        QCOMPARE(twice.error().reason, QStringLiteral("consumed"));
        const QJsonObject denied = lastEntry(*bot);
        QCOMPARE(denied.value(u"action").toString(), QStringLiteral("check.consume"));
        QCOMPARE(denied.value(u"outcome").toString(), QStringLiteral("denied"));
        QCOMPARE(denied.value(u"reason_code").toString(), QStringLiteral("consumed"));
        QCOMPARE(count(QStringLiteral(
                           "SELECT count(*) FROM holdpoint.change_events WHERE change_id = '%1' "
                           "AND kind = 'consumed';")
                           .arg(id)),
                 1);
    }

    void theCommandLineShowsPolicyVerdictsAndTicksInTeamMode()
    {
        const QString id = submitAs(QStringLiteral("bot"), criticalProposal(QStringLiteral("cli")));
        QVERIFY(!id.isEmpty());
        const auto run = [&](const QString &login, const QStringList &args) {
            QProcess p;
            p.start(QStringLiteral(HP_CTL_PATH),
                    args + QStringList{QStringLiteral("--db"), m_pg.uri(login)});
            p.waitForFinished(60000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() +
                                                                  p.readAllStandardError()));
        };
        const auto shown = run(QStringLiteral("rev2"), {QStringLiteral("show"), id});
        QVERIFY2(shown.first == 0, qPrintable(shown.second));
        QVERIFY2(shown.second.contains(QLatin1String("critical")), qPrintable(shown.second));
        const auto policy =
            run(QStringLiteral("rev2"), {QStringLiteral("policy"), QStringLiteral("show")});
        QVERIFY2(policy.first == 0, qPrintable(policy.second));
        QVERIFY2(policy.second.contains(QLatin1String("roles_any")), qPrintable(policy.second));
        const auto ticked = run(QStringLiteral("bot"), {QStringLiteral("tick")});
        QVERIFY2(ticked.first == 0, qPrintable(ticked.second));
    }

    void afterATopologyImportPendingChangesAreReassessedBeforeApprovalsCount()
    {
        QFile f(QStringLiteral(HP_TEST_DATA "/topology/cost-explorer.yaml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::vector<TopologySource> sources{
            TopologySource{QStringLiteral("cost-explorer.yaml"), f.readAll()}};
        const QString pending =
            submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("waiting")));
        auto rev1 = openAs(QStringLiteral("rev1"));
        auto refused = rev1->importTopology(actor(QStringLiteral("rev1")), sources);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ExitCode::Denied);
        QCOMPARE(lastEntry(*rev1).value(u"outcome").toString(), QStringLiteral("denied"));
        auto lead = openAs(QStringLiteral("lead1"));
        auto imported = lead->importTopology(actor(QStringLiteral("lead1")), sources);
        QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().message));
        QVERIFY(!imported->unchanged);
        QCOMPARE(imported->version.version, 1);
        QVERIFY(rev1->topologyInForce()->nodes().size() > 0);
        auto current = rev1->currentTopology(false);
        QVERIFY(current.ok() && *current);
        // The pending change was assessed without a catalog: no approval
        // counts on that any more (psql gets the refusal)...
        const PsqlRun stale = m_pg.psql(
            QStringLiteral("rev2"), QStringLiteral("SELECT r_after FROM holdpoint.hp_decide('%1', "
                                                   "0, 'approve', '', 1, false, '', '', '');")
                                        .arg(pending));
        QVERIFY(stale.err.contains("unconfirmed_assessment"));
        // ... until a reviewer's client reassesses it against the topology.
        QVERIFY(rev1->change(pending).ok());
        auto latest = rev1->assessment(pending, 1);
        QVERIFY(latest.ok() && *latest);
        QCOMPARE((*latest)->topologyHash, (*current)->hash);
        QCOMPARE(lastEntryOf(*rev1, QStringLiteral("assessment")).value(u"change").toString(),
                 pending);
        auto decided = rev1->decide(actor(QStringLiteral("rev1")), approve(pending));
        QVERIFY(decided.ok());
        COMPARE_NAME(decided->verdict.status, ChangeStatus::Approved);
    }

    // Runs last: it changes the policy in force for everything after it.
    void twoLeadsAdoptAPolicyChangeAndPendingChangesFollowIt()
    {
        const QString before =
            submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("before")));
        const QByteArray current = PolicyReader::builtin()->source;
        const QByteArray stricter = QByteArray(current).replace("  - when: {}\n    approvals: 1\n",
                                                                "  - when: {}\n    approvals: 2\n");
        QVERIFY(stricter != current);
        Proposal p;
        p.kind = ChangeKind::Policy;
        p.title = QStringLiteral("two approvals for everything");
        p.artifacts.push_back(
            artifact(ArtifactKind::FilePair, QStringLiteral("policy.yaml"), {current, stricter}));
        SubmitResult proposed;
        const QString id = submitAs(QStringLiteral("bot"), p, &proposed);
        QVERIFY(!id.isEmpty());
        QCOMPARE(proposed.verdict.requiredApprovals, 2);
        QVERIFY(proposed.verdict.leadRequired);
        auto byReviewer =
            openAs(QStringLiteral("rev1"))->decide(actor(QStringLiteral("rev1")), approve(id));
        QVERIFY(byReviewer.ok());
        COMPARE_NAME(byReviewer->uncounted, UncountedReason::MissingRole);
        auto first =
            openAs(QStringLiteral("lead1"))->decide(actor(QStringLiteral("lead1")), approve(id));
        QVERIFY(first.ok());
        QVERIFY(first->counts);
        COMPARE_NAME(first->verdict.status, ChangeStatus::Pending);
        auto lead2 = openAs(QStringLiteral("lead2"));
        auto second = lead2->decide(actor(QStringLiteral("lead2")), approve(id));
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().message));
        COMPARE_NAME(second->verdict.status, ChangeStatus::Approved);
        auto policy = lead2->policyInForce();
        QVERIFY(policy.ok());
        QCOMPARE(policy->version, 2);
        QCOMPARE(policy->changeId, id);
        QCOMPARE(policy->policy.source, stricter);
        COMPARE_NAME(lead2->change(id)->summary.verdict.status, ChangeStatus::Applied);
        QCOMPARE(lastEntry(*lead2).value(u"action").toString(), QStringLiteral("policy.adopt"));
        // A change pending since before: the next approver's client
        // reassesses it under version 2, which asks two approvals.
        auto rev1 = openAs(QStringLiteral("rev1"));
        auto pending = rev1->decide(actor(QStringLiteral("rev1")), approve(before));
        QVERIFY2(pending.ok(), pending.ok() ? "" : qPrintable(pending.error().message));
        QVERIFY(pending->counts);
        QCOMPARE(pending->verdict.requiredApprovals, 2);
        COMPARE_NAME(pending->verdict.status, ChangeStatus::Pending);
        SubmitResult after;
        QVERIFY(!submitAs(QStringLiteral("bot"), lowProposal(QStringLiteral("after")), &after)
                     .isEmpty());
        QCOMPARE(after.verdict.requiredApprovals, 2);
        QCOMPARE(after.verdict.policyVersion, 2);
    }

    void theTrailVerifiesAfterwards()
    {
        auto report = openAs(QStringLiteral("aud1"))->verifyAudit({});
        QVERIFY(report.ok());
        QVERIFY2(report->clean(), "the audit trail does not verify");
    }

    void cleanupTestCase() { m_pg.stop(); }
};

QTEST_GUILESS_MAIN(TestPgPolicy)
#include "tst_pgpolicy.moc"
