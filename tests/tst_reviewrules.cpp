#include "policy/policy.h"
#include "review/reviewrules.h"

#include <QTest>

using namespace hp;

namespace {

// One decision in a scenario: who, with which roles at the time, on which
// revision (0: the latest).
struct Step
{
    QString principal;
    QString roles; // comma-separated
    DecisionAction action = DecisionAction::Comment;
    int revision = 0;
};

RoleSet roles(const QString &names)
{
    RoleSet set;
    const QStringList list = names.split(u',', Qt::SkipEmptyParts);
    for (const QString &n : list)
        set.add(*parseRole(n));
    return set;
}

Step step(const char *principal, const char *roleNames, DecisionAction action, int revision = 0)
{
    return Step{QString::fromLatin1(principal), QString::fromLatin1(roleNames), action, revision};
}

// Agent "bot" operated by "olga"; revision 1 by bot; revision 2 (when asked
// for) by `secondSubmitter`, with the same or another content hash.
ChangeDetail makeChange(int revisions, bool sameHash,
                        const QString &secondSubmitter = QStringLiteral("bot"))
{
    ChangeDetail c;
    c.summary.id = QStringLiteral("01HZZZZZZZZZZZZZZZZZZZZZZZ");
    c.summary.agentPrincipal = QStringLiteral("bot");
    c.summary.operatorLogin = QStringLiteral("olga");
    for (int n = 1; n <= revisions; ++n) {
        RevisionInfo r;
        r.number = n;
        r.submitter = n == 1 ? QStringLiteral("bot") : secondSubmitter;
        r.contentHash = QByteArray(32, (n == 1 || sameHash) ? 'a' : static_cast<char>('a' + n));
        c.revisions.push_back(r);
    }
    c.summary.latestRevision = revisions;
    return c;
}

void apply(ChangeDetail &c, const QList<Step> &steps)
{
    qint64 id = 0;
    for (const Step &s : steps) {
        DecisionRecord d;
        d.id = ++id;
        d.principal = s.principal;
        d.roles = roles(s.roles);
        d.action = s.action;
        d.reason = QStringLiteral("because");
        d.revision = s.revision > 0 ? s.revision : c.summary.latestRevision;
        c.decisions.push_back(d);
    }
}

PrincipalInfo person(const QString &login, const QString &roleNames)
{
    PrincipalInfo p;
    p.login = login;
    p.roles = roles(roleNames);
    return p;
}

} // namespace

Q_DECLARE_METATYPE(Step)
Q_DECLARE_METATYPE(hp::ChangeStatus)
Q_DECLARE_METATYPE(hp::DecisionAction)
Q_DECLARE_METATYPE(hp::UncountedReason)

// hp::toString(enum) returns QString, which QTest's ADL lookup would pick up
// for enum comparisons: compare the names instead, which also reads well.
#define COMPARE_NAME(actual, expected) QCOMPARE(hp::toString(actual), hp::toString(expected))

class TestReviewRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deadlineFollowsTheDefaultRules_data();
    void deadlineFollowsTheDefaultRules();
    void verdict_data();
    void verdict();
    void checkAction_data();
    void checkAction();
    void contributorsAreAgentOperatorAndSubmitters();
    void withdrawnChangeIsWithdrawnWhateverTheDecisions();
    void verdictIgnoresTheStatusGivenAsInput();
    void policyRuleSetsApprovalsAndLead_data();
    void policyRuleSetsApprovalsAndLead();
    void fullReviewCountsOnlyApprovalsAfterCompleteCoverage();
    void approveExplainsIncompleteReview();
    void reasonRequiredFollowsThePolicy();
    void policyWithoutMatchingRuleFallsBackToTwoWithALead();
};

namespace {

const QDateTime kT0 = QDateTime(QDate(2026, 11, 2), QTime(9, 0), Qt::UTC);

Policy builtinPolicy()
{
    Result<Policy> p = PolicyReader::builtin();
    if (!p)
        qFatal("%s", qPrintable(p.error().message));
    return *p;
}

// Decisions one minute apart from kT0.
ChangeDetail decided(const QList<Step> &steps)
{
    ChangeDetail c = makeChange(1, true);
    apply(c, steps);
    for (size_t i = 0; i < c.decisions.size(); ++i)
        c.decisions[i].at = kT0.addSecs(60 * static_cast<qint64>(i + 1));
    return c;
}

} // namespace

Q_DECLARE_METATYPE(hp::Impact)

void TestReviewRules::policyRuleSetsApprovalsAndLead_data()
{
    QTest::addColumn<Impact>("riskClass");
    QTest::addColumn<QString>("environment");
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<ChangeStatus>("status");
    QTest::addColumn<QString>("needs");
    const DecisionAction A = DecisionAction::Approve;
    QTest::newRow("critical: one reviewer is not enough")
        << Impact::Critical << QStringLiteral("production") << QList<Step>{step("ann", "reviewer", A)}
        << ChangeStatus::Pending << QStringLiteral("needs 1 more approval, from a lead, after a full review");
    QTest::newRow("critical: two reviewers but no lead")
        << Impact::Critical << QStringLiteral("production")
        << QList<Step>{step("ann", "reviewer", A), step("ben", "reviewer", A)} << ChangeStatus::Pending
        << QStringLiteral("needs 1 more approval, from a lead");
    QTest::newRow("critical: reviewer and lead")
        << Impact::Critical << QStringLiteral("production")
        << QList<Step>{step("ann", "reviewer", A), step("lee", "lead", A)} << ChangeStatus::Approved << QString();
    QTest::newRow("high: one approval pending")
        << Impact::High << QStringLiteral("staging") << QList<Step>{step("ann", "reviewer", A)}
        << ChangeStatus::Pending << QStringLiteral("needs 1 more approval");
    QTest::newRow("high: the same person twice counts once")
        << Impact::High << QStringLiteral("staging")
        << QList<Step>{step("ann", "reviewer", A), step("ann", "reviewer", A)} << ChangeStatus::Pending
        << QStringLiteral("needs 1 more approval");
    QTest::newRow("high: operator plus reviewer is one")
        << Impact::High << QStringLiteral("staging")
        << QList<Step>{step("olga", "reviewer", A), step("ann", "reviewer", A)} << ChangeStatus::Pending
        << QStringLiteral("needs 1 more approval");
    QTest::newRow("medium in production: one approval")
        << Impact::Medium << QStringLiteral("production") << QList<Step>{step("ann", "reviewer", A)}
        << ChangeStatus::Approved << QString();
    QTest::newRow("low elsewhere: one approval")
        << Impact::Low << QStringLiteral("dev") << QList<Step>{step("ann", "reviewer", A)} << ChangeStatus::Approved
        << QString();
}

void TestReviewRules::policyRuleSetsApprovalsAndLead()
{
    QFETCH(Impact, riskClass);
    QFETCH(QString, environment);
    QFETCH(QList<Step>, steps);
    QFETCH(ChangeStatus, status);
    QFETCH(QString, needs);
    ChangeDetail c = decided(steps);
    ReviewFacts facts;
    facts.riskClass = riskClass;
    facts.environment = environment;
    for (const Step &s : steps) // everyone finished the full review before deciding
        facts.coverageCompleteAt.insert(s.principal, kT0);
    const Verdict v = computeVerdict(c, builtinPolicy(), facts);
    COMPARE_NAME(v.status, status);
    QCOMPARE(v.needs, needs);
}

void TestReviewRules::fullReviewCountsOnlyApprovalsAfterCompleteCoverage()
{
    ChangeDetail c = decided({step("ann", "reviewer", DecisionAction::Approve),
                              step("lee", "lead", DecisionAction::Approve)});
    ReviewFacts facts;
    facts.riskClass = Impact::Critical;
    facts.environment = QStringLiteral("production");
    facts.coverageCompleteAt.insert(QStringLiteral("ann"), kT0);            // before her approval
    facts.coverageCompleteAt.insert(QStringLiteral("lee"), kT0.addSecs(3600)); // after his
    Verdict v = computeVerdict(c, builtinPolicy(), facts);
    COMPARE_NAME(v.status, ChangeStatus::Pending);
    QVERIFY(v.fullReview);
    QCOMPARE(v.rule, QStringLiteral("rule 1: 2 approvals, one from a lead, full review, SLA 15m"));
    QVERIFY(c.decisions[0].counts);
    COMPARE_NAME(c.decisions[1].uncounted, UncountedReason::IncompleteReview);
    QCOMPARE(v.needs, QStringLiteral("needs 1 more approval, from a lead, after a full review"));
    // Without any coverage (every CLI approval) nothing counts.
    ReviewFacts none = facts;
    none.coverageCompleteAt.clear();
    v = computeVerdict(c, builtinPolicy(), none);
    QCOMPARE(v.countedApprovals, 0);
    COMPARE_NAME(c.decisions[0].uncounted, UncountedReason::IncompleteReview);
    // A class that does not require full review counts the same approvals.
    none.riskClass = Impact::High;
    v = computeVerdict(c, builtinPolicy(), none);
    COMPARE_NAME(v.status, ChangeStatus::Approved);
}

void TestReviewRules::approveExplainsIncompleteReview()
{
    const ChangeDetail c = makeChange(1, true);
    ReviewFacts facts;
    facts.riskClass = Impact::Critical;
    facts.environment = QStringLiteral("production");
    const PrincipalInfo ann = person(QStringLiteral("ann"), QStringLiteral("reviewer"));
    ActionCheck check = hp::checkAction(c, ann, DecisionAction::Approve, {}, builtinPolicy(), facts);
    QVERIFY(check.allowed);
    QVERIFY(!check.counts);
    COMPARE_NAME(check.uncounted, UncountedReason::IncompleteReview);
    QVERIFY(check.explanation.contains(QStringLiteral("full review")));
    facts.coverageCompleteAt.insert(QStringLiteral("ann"), kT0);
    check = hp::checkAction(c, ann, DecisionAction::Approve, {}, builtinPolicy(), facts);
    QVERIFY(check.counts);
}

void TestReviewRules::reasonRequiredFollowsThePolicy()
{
    Result<Policy> p = PolicyReader::read("version: 1\n"
                                          "rules: [{when: {}, approvals: 1}]\n"
                                          "reason_required: [approve]\n",
                                          QStringLiteral("p.yaml"));
    QVERIFY(p.ok());
    const ChangeDetail c = makeChange(1, true);
    const PrincipalInfo ann = person(QStringLiteral("ann"), QStringLiteral("reviewer"));
    ActionCheck approve = hp::checkAction(c, ann, DecisionAction::Approve, {}, *p, {});
    QVERIFY(!approve.allowed);
    QCOMPARE(approve.denial.reason, QStringLiteral("reason_required"));
    QVERIFY(hp::checkAction(c, ann, DecisionAction::Approve, QStringLiteral("looked"), *p, {}).allowed);
    QVERIFY(hp::checkAction(c, ann, DecisionAction::Reject, {}, *p, {}).allowed);
    // The shipped policy asks a reason to reject.
    QVERIFY(!hp::checkAction(c, ann, DecisionAction::Reject, {}, builtinPolicy(), {}).allowed);
}

void TestReviewRules::policyWithoutMatchingRuleFallsBackToTwoWithALead()
{
    Result<Policy> p = PolicyReader::read("version: 1\n"
                                          "rules: [{when: {class: critical}, approvals: 3}]\n",
                                          QStringLiteral("p.yaml"));
    QVERIFY(p.ok());
    ChangeDetail c = decided({step("ann", "reviewer", DecisionAction::Approve),
                              step("ben", "reviewer", DecisionAction::Approve)});
    ReviewFacts facts;
    facts.riskClass = Impact::Low;
    const Verdict v = computeVerdict(c, *p, facts);
    COMPARE_NAME(v.status, ChangeStatus::Pending);
    QCOMPARE(v.requiredApprovals, 2);
    QVERIFY(v.leadRequired);
    QVERIFY(v.rule.startsWith(QStringLiteral("no policy rule matches")));
}

void TestReviewRules::verdict_data()
{
    QTest::addColumn<int>("revisions");
    QTest::addColumn<bool>("sameHash");
    QTest::addColumn<QString>("secondSubmitter");
    QTest::addColumn<QList<Step>>("steps");
    QTest::addColumn<ChangeStatus>("status");
    QTest::addColumn<bool>("escalated");
    QTest::addColumn<int>("counted");
    QTest::addColumn<QString>("needs");
    QTest::addColumn<UncountedReason>("firstUncounted");

    using A = DecisionAction;
    const QString bot = QStringLiteral("bot");
    QTest::newRow("nothing yet needs one approval")
        << 1 << true << bot << QList<Step>{} << ChangeStatus::Pending << false << 0
        << "needs 1 approval" << UncountedReason::None;
    QTest::newRow("approveByOperatorIsNotCounted")
        << 1 << true << bot << QList<Step>{step("olga", "reviewer", A::Approve)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval"
        << UncountedReason::Contributor;
    QTest::newRow("approveByAgentPrincipalIsNotCounted")
        << 1 << true << bot << QList<Step>{step("bot", "reviewer", A::Approve)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval"
        << UncountedReason::Contributor;
    QTest::newRow("approveByLaterSubmitterIsNotCounted")
        << 2 << false << QStringLiteral("sam") << QList<Step>{step("sam", "lead", A::Approve)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval"
        << UncountedReason::Contributor;
    QTest::newRow("approveWithoutReviewerRoleIsNotCounted")
        << 1 << true << bot << QList<Step>{step("nora", "", A::Approve)} << ChangeStatus::Pending
        << false << 0 << "needs 1 approval" << UncountedReason::MissingRole;
    QTest::newRow("approveByAdminIsNotCounted")
        << 1 << true << bot << QList<Step>{step("adam", "admin", A::Approve)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval" << UncountedReason::Admin;
    QTest::newRow("oneReviewerApprovalApproves")
        << 1 << true << bot << QList<Step>{step("rita", "reviewer", A::Approve)}
        << ChangeStatus::Approved << false << 1 << "" << UncountedReason::None;
    QTest::newRow("escalationWithoutApprovalsNeedsLead")
        << 1 << true << bot << QList<Step>{step("rita", "reviewer", A::Escalate)}
        << ChangeStatus::Pending << true << 0 << "needs 1 approval, from a lead"
        << UncountedReason::None;
    QTest::newRow("escalatedReviewerApprovalStillNeedsLead")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Escalate), step("rex", "reviewer", A::Approve)}
        << ChangeStatus::Pending << true << 1 << "needs 1 more approval, from a lead"
        << UncountedReason::None;
    QTest::newRow("escalatedLeadApprovalApproves")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Escalate), step("rex", "reviewer", A::Approve),
                       step("lena", "lead", A::Approve)}
        << ChangeStatus::Approved << true << 2 << "" << UncountedReason::None;
    QTest::newRow("rejectRejects")
        << 1 << true << bot << QList<Step>{step("rita", "reviewer", A::Reject)}
        << ChangeStatus::Rejected << false << 0 << "" << UncountedReason::None;
    QTest::newRow("rejectStandsAcrossRevisions")
        << 2 << false << bot << QList<Step>{step("rita", "reviewer", A::Reject, 1)}
        << ChangeStatus::Rejected << false << 0 << "" << UncountedReason::None;
    QTest::newRow("withdrawingOwnRejectReopens")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Reject), step("rita", "reviewer", A::Withdraw)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval" << UncountedReason::None;
    QTest::newRow("withdrawingSomeoneElsesRejectDoesNothing")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Reject), step("rex", "reviewer", A::Withdraw)}
        << ChangeStatus::Rejected << false << 0 << "" << UncountedReason::None;
    QTest::newRow("overrideByLeadReopens")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Reject), step("lena", "lead", A::Override)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval" << UncountedReason::None;
    QTest::newRow("overrideByReviewerDoesNotCount")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Reject), step("rex", "reviewer", A::Override)}
        << ChangeStatus::Rejected << false << 0 << "" << UncountedReason::None;
    QTest::newRow("approvalOfEarlierRevisionIsOutdated")
        << 2 << false << bot << QList<Step>{step("rita", "reviewer", A::Approve, 1)}
        << ChangeStatus::Pending << false << 0 << "needs 1 approval" << UncountedReason::Outdated;
    QTest::newRow("identicalHashRevisionKeepsApproval")
        << 2 << true << bot << QList<Step>{step("rita", "reviewer", A::Approve, 1)}
        << ChangeStatus::Approved << false << 1 << "" << UncountedReason::None;
    QTest::newRow("twoApprovalsBySamePersonCountOnce")
        << 1 << true << bot
        << QList<Step>{step("rita", "reviewer", A::Escalate), step("rex", "reviewer", A::Approve),
                       step("rex", "reviewer", A::Approve)}
        << ChangeStatus::Pending << true << 1 << "needs 1 more approval, from a lead"
        << UncountedReason::None;
}

void TestReviewRules::verdict()
{
    QFETCH(int, revisions);
    QFETCH(bool, sameHash);
    QFETCH(QString, secondSubmitter);
    QFETCH(QList<Step>, steps);
    QFETCH(ChangeStatus, status);
    QFETCH(bool, escalated);
    QFETCH(int, counted);
    QFETCH(QString, needs);
    QFETCH(UncountedReason, firstUncounted);

    ChangeDetail c = makeChange(revisions, sameHash, secondSubmitter);
    apply(c, steps);
    const Verdict v = computeVerdict(c);
    COMPARE_NAME(v.status, status);
    QCOMPARE(v.escalated, escalated);
    QCOMPARE(v.leadRequired, escalated);
    QCOMPARE(v.countedApprovals, counted);
    QCOMPARE(v.needs, needs);
    COMPARE_NAME(c.summary.verdict.status, status);
    if (!c.decisions.empty())
        COMPARE_NAME(c.decisions.front().uncounted, firstUncounted);
}

void TestReviewRules::checkAction_data()
{
    QTest::addColumn<QString>("login");
    QTest::addColumn<QString>("roleNames");
    QTest::addColumn<DecisionAction>("action");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("rejected"); // rita's reject stands
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<bool>("counts");
    QTest::addColumn<QString>("reasonCode");
    QTest::addColumn<QString>("explanation");

    using A = DecisionAction;
    const QString why = QStringLiteral("looks risky");
    QTest::newRow("reviewerApprovalCounts")
        << "rex"
        << "reviewer" << A::Approve << "" << false << true << true << ""
        << "";
    QTest::newRow("operatorApprovalWouldNotCount")
        << "olga"
        << "reviewer" << A::Approve << "" << false << true << false << ""
        << "your approval would not count: you operate this agent";
    QTest::newRow("agentWithoutRoleCannotApprove")
        << "bot"
        << "" << A::Approve << "" << false << false << false << "missing_role"
        << "you need the reviewer role to approve";
    QTest::newRow("auditorCannotDecide")
        << "aria"
        << "auditor" << A::Approve << "" << false << false << false << "missing_role"
        << "auditors cannot decide";
    QTest::newRow("auditorCannotComment")
        << "aria"
        << "auditor" << A::Comment << why << false << false << false << "missing_role"
        << "auditors cannot decide";
    QTest::newRow("adminDecidesNothing")
        << "adam"
        << "admin" << A::Approve << "" << false << false << false << "admin"
        << "admins decide nothing";
    QTest::newRow("rejectNeedsReason")
        << "rex"
        << "reviewer" << A::Reject << " " << false << false << false << "reason_required"
        << "a reason is required to reject";
    QTest::newRow("escalateNeedsReason")
        << "rex"
        << "reviewer" << A::Escalate << "" << false << false << false << "reason_required"
        << "a reason is required to escalate";
    QTest::newRow("rejectWithReason")
        << "rex"
        << "reviewer" << A::Reject << why << false << true << true << ""
        << "";
    QTest::newRow("approveRejectedChangeRefused")
        << "rex"
        << "reviewer" << A::Approve << "" << true << false << false << "not_pending"
        << "the change is rejected: it cannot be approved";
    QTest::newRow("overrideNeedsLead")
        << "rex"
        << "reviewer" << A::Override << why << true << false << false << "missing_role"
        << "only a lead can override a reject";
    QTest::newRow("leadOverrides") << "lena"
                                   << "lead" << A::Override << why << true << true << true << ""
                                   << "";
    QTest::newRow("overrideNeedsReason")
        << "lena"
        << "lead" << A::Override << "" << true << false << false << "reason_required"
        << "a reason is required to override";
    QTest::newRow("overrideWithoutRejectRefused")
        << "lena"
        << "lead" << A::Override << why << false << false << false << "no_reject"
        << "there is no standing reject to override";
    QTest::newRow("withdrawOwnReject")
        << "rita"
        << "reviewer" << A::Withdraw << "" << true << true << true << ""
        << "";
    QTest::newRow("withdrawWithoutOwnRejectRefused")
        << "rex"
        << "reviewer" << A::Withdraw << "" << true << false << false << "no_reject"
        << "you have no standing reject on this change to withdraw";
    QTest::newRow("agentMayComment") << "bot"
                                     << "" << A::Comment << why << false << true << false << ""
                                     << "";
}

void TestReviewRules::checkAction()
{
    QFETCH(QString, login);
    QFETCH(QString, roleNames);
    QFETCH(DecisionAction, action);
    QFETCH(QString, reason);
    QFETCH(bool, rejected);
    QFETCH(bool, allowed);
    QFETCH(bool, counts);
    QFETCH(QString, reasonCode);
    QFETCH(QString, explanation);

    ChangeDetail c = makeChange(1, true);
    if (rejected)
        apply(c, {step("rita", "reviewer", DecisionAction::Reject)});
    const ActionCheck check = hp::checkAction(c, person(login, roleNames), action, reason);
    QCOMPARE(check.allowed, allowed);
    QCOMPARE(check.counts, counts);
    QCOMPARE(check.explanation, explanation);
    if (!allowed) {
        QCOMPARE(check.denial.reason, reasonCode);
        QCOMPARE(check.denial.message, explanation);
        QVERIFY(check.denial.code ==
                (reasonCode == u"reason_required" ? ExitCode::Usage : ExitCode::Denied));
    }
}

void TestReviewRules::contributorsAreAgentOperatorAndSubmitters()
{
    ChangeDetail c = makeChange(2, false, QStringLiteral("sam"));
    apply(c, {step("cora", "reviewer", DecisionAction::Comment)});
    QCOMPARE(contributorsOf(c),
             (QStringList{QStringLiteral("bot"), QStringLiteral("olga"), QStringLiteral("sam")}));
}

void TestReviewRules::withdrawnChangeIsWithdrawnWhateverTheDecisions()
{
    ChangeDetail c = makeChange(1, true);
    apply(c, {step("rita", "reviewer", DecisionAction::Approve)});
    c.events.push_back(ChangeEvent{ChangeEventKind::Withdrawn, 1, QStringLiteral("bot"), {}, {}});
    COMPARE_NAME(computeVerdict(c).status, ChangeStatus::Withdrawn);
    QCOMPARE(computeVerdict(c).needs, QString());
    const ActionCheck check = hp::checkAction(
        c, person(QStringLiteral("rex"), QStringLiteral("reviewer")), DecisionAction::Approve, {});
    QVERIFY(!check.allowed);
    QCOMPARE(check.denial.reason, QStringLiteral("not_pending"));
}

void TestReviewRules::verdictIgnoresTheStatusGivenAsInput()
{
    ChangeDetail c = makeChange(1, true);
    c.summary.verdict.status = ChangeStatus::Approved;
    c.summary.verdict.countedApprovals = 5;
    const Verdict v = computeVerdict(c);
    COMPARE_NAME(v.status, ChangeStatus::Pending);
    QCOMPARE(v.countedApprovals, 0);
}

void TestReviewRules::deadlineFollowsTheDefaultRules_data()
{
    QTest::addColumn<int>("riskClass"); // -1: never assessed
    QTest::addColumn<QString>("environment");
    QTest::addColumn<qint64>("minutes");
    QTest::newRow("critical in staging") << int(Impact::Critical) << QStringLiteral("staging") << qint64(15);
    QTest::newRow("high in production") << int(Impact::High) << QStringLiteral("production") << qint64(60);
    QTest::newRow("medium in production") << int(Impact::Medium) << QStringLiteral("production") << qint64(240);
    QTest::newRow("unassessed in production") << -1 << QStringLiteral("production") << qint64(240);
    QTest::newRow("low elsewhere") << int(Impact::Low) << QStringLiteral("dev") << qint64(24 * 60);
}

void TestReviewRules::deadlineFollowsTheDefaultRules()
{
    QFETCH(int, riskClass);
    QFETCH(QString, environment);
    QFETCH(qint64, minutes);
    ChangeSummary change;
    if (riskClass >= 0)
        change.riskClass = static_cast<Impact>(riskClass);
    change.environment = environment;
    const QDateTime at(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
    QCOMPARE(reviewDeadline(change, at), at.addSecs(minutes * 60));
    QVERIFY(!reviewDeadline(change, QDateTime()).isValid());
}

QTEST_GUILESS_MAIN(TestReviewRules)
#include "tst_reviewrules.moc"
