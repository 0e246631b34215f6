#include "artifactpane.h"
#include "blast/blastradiusview.h"
#include "blast/impactednodesmodel.h"
#include "changeannouncer.h"
#include "decisionbar.h"
#include "diff/sidebysidediffview.h"
#include "itemmodels/changequeuemodel.h"
#include "mainwindow.h"
#include "plan/plantreemodel.h"
#include "plan/planview.h"
#include "review/coveragerequirements.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "shortcutsheet.h"
#include "storefixture.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QTreeView>

using namespace hp;
using namespace hp::testing;

namespace {

constexpr int kWait = 30000;

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/topology/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

// Three hunks in one file, then a production plan that recreates a database:
// with the cost-explorer catalog the change is critical with impacted nodes.
Proposal criticalProposal()
{
    Proposal p = proposal(QStringLiteral("Recreate the cost-explorer environment"),
                          QByteArrayLiteral("--- a/main.tf\n+++ b/main.tf\n"
                                            "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
                                            "@@ -10,3 +10,3 @@\n j\n-k\n+K\n l\n"
                                            "@@ -20,3 +20,3 @@\n t\n-u\n+U\n v\n"));
    p.environment = QStringLiteral("production");
    p.target = QStringLiteral("account:prod-7");
    p.artifacts.push_back(artifact(ArtifactKind::TerraformPlan, QStringLiteral("recreate-environment.plan.json"),
                                   {readData(QStringLiteral("recreate-environment.plan.json"))}));
    return p;
}

} // namespace

class TstPolicyUi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<StoreFixture> m_fixture;
    std::unique_ptr<ReviewService> m_service;
    std::unique_ptr<MainWindow> m_window;

    Store &store() { return *m_fixture->store; }
    ReviewWorkspace *workspace() const { return m_window->reviewWorkspace(); }
    DecisionBar *bar() const { return workspace()->decisionBar(); }

    QString submitCritical(Store &into)
    {
        SubmitRequest request;
        request.proposal = criticalProposal();
        Result<SubmitResult> r = into.submit(actor(QStringLiteral("bot")), request);
        if (!r) {
            qWarning("submit: %s", qPrintable(r.error().message));
            return {};
        }
        return r->changeId;
    }

    void open(const QString &login)
    {
        m_service = std::make_unique<ReviewService>(store(), login);
        m_window = std::make_unique<MainWindow>(*m_service);
        m_window->resize(1500, 950);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(!workspace()->currentChangeId().isEmpty(), kWait);
    }

    void press(QChar key)
    {
        QWidget *target = QApplication::focusWidget() ? QApplication::focusWidget() : m_window.get();
        QTest::keyClick(target, key.toLatin1());
    }

    // Where the jump to `key` must have landed.
    void verifyShown(const QString &key)
    {
        const QStringList parts = key.split(QLatin1Char(':'));
        ArtifactPane *pane = workspace()->artifactPane();
        if (parts.first() == QLatin1String("hunk")) {
            QCOMPARE(pane->currentArtifact(), parts.at(1).toInt());
            QTRY_VERIFY_WITH_TIMEOUT(pane->diffView()->currentHunk() >= 0, kWait);
            const HunkSpan &h = pane->diffView()->layout().hunks().at(size_t(pane->diffView()->currentHunk()));
            QCOMPARE(QStringLiteral("hunk:%1:%2:%3").arg(parts.at(1)).arg(h.file).arg(h.hunk), key);
        } else if (parts.first() == QLatin1String("resource")) {
            QCOMPARE(pane->currentArtifact(), parts.at(1).toInt());
            QTRY_COMPARE_WITH_TIMEOUT(
                pane->planView()->tree()->currentIndex().data(PlanTreeModel::CoverageKeyRole).toString(), key, kWait);
        } else {
            QCOMPARE(workspace()->sideTabs()->currentWidget(), workspace()->blastView());
            BlastRadiusView *blast = workspace()->blastView();
            const int row = blast->impactedView()->currentIndex().row();
            QVERIFY(row >= 0);
            QCOMPARE(QStringLiteral("node:") + blast->impactedModel()->nodeAt(row), key);
        }
    }

private Q_SLOTS:
    void init()
    {
        m_fixture = std::make_unique<StoreFixture>();
        m_fixture->addTeam();
    }

    void cleanup()
    {
        m_window.reset();
        m_service.reset();
        m_fixture.reset();
    }

    void operatorIsToldItsApprovalWouldNotCount()
    {
        QVERIFY(store().grant(actor(QStringLiteral("adam")), QStringLiteral("olga"), Role::Reviewer).ok());
        const QString id = m_fixture->submitAsBot();
        QVERIFY(!id.isEmpty());
        open(QStringLiteral("olga"));
        QPushButton *approve = bar()->button(DecisionAction::Approve);
        // Allowed (recorded, audited) but never counted, and the bar says why.
        QVERIFY(approve->isEnabled());
        QVERIFY(bar()->explanationLabel()->isVisible());
        QVERIFY2(bar()->explanationLabel()->text().contains(QStringLiteral("you operate this agent")),
                 qPrintable(bar()->explanationLabel()->text()));
        QVERIFY(approve->toolTip().contains(QStringLiteral("would not count")));
        QVERIFY(bar()->needsLabel()->text().startsWith(QStringLiteral("Needs")));
    }

    void adminCannotDecideAndEveryDisabledControlSaysWhy()
    {
        QVERIFY(!m_fixture->submitAsBot().isEmpty());
        open(QStringLiteral("adam"));
        QVERIFY(!bar()->button(DecisionAction::Approve)->isVisibleTo(m_window.get()));
        for (DecisionAction action : {DecisionAction::Reject, DecisionAction::Escalate}) {
            QPushButton *b = bar()->button(action);
            QVERIFY(!b->isEnabled());
            QVERIFY(b->toolTip().contains(QStringLiteral("admins decide nothing")));
        }
        QVERIFY(bar()->explanationLabel()->text().contains(QStringLiteral("Reject unavailable: admins decide nothing")));
        press(QLatin1Char('r'));
        QVERIFY(bar()->resultLabel()->text().contains(QStringLiteral("admins decide nothing")));
    }

    void auditorSeesNoDecisionBar()
    {
        QVERIFY(!m_fixture->submitAsBot().isEmpty());
        open(QStringLiteral("aria"));
        QVERIFY(!bar()->isVisibleTo(m_window.get()));
    }

    void criticalChangeNeedsFullReviewAndNextUnseenWalksThroughIt()
    {
        QVERIFY(store().importTopology(actor(QStringLiteral("lena")),
                                       {TopologySource{QStringLiteral("cost-explorer.yaml"),
                                                       readData(QStringLiteral("cost-explorer.yaml"))}})
                    .ok());
        const QString id = submitCritical(store());
        QVERIFY(!id.isEmpty());
        open(QStringLiteral("rita"));
        QCOMPARE(workspace()->currentChangeId(), id);
        QVERIFY(bar()->fullReviewRequired());
        QPushButton *approve = bar()->button(DecisionAction::Approve);
        QPushButton *next = bar()->nextUnseenButton();
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), kWait);
        // The plan is not shown until asked for: its destructive resources are unseen.
        QVERIFY(!approve->isEnabled());
        QVERIFY2(bar()->reviewLabel()->text().contains(QStringLiteral("destructive resource")),
                 qPrintable(bar()->reviewLabel()->text()));
        QVERIFY(bar()->reviewLabel()->text().contains(QStringLiteral("not yet seen")));
        QVERIFY(approve->toolTip().contains(QStringLiteral("full review required")));
        QVERIFY(bar()->explanationLabel()->text().contains(QStringLiteral("Approve unavailable: full review required")));
        press(QLatin1Char('a'));
        QVERIFY(bar()->resultLabel()->text().contains(QStringLiteral("full review required")));
        auto detail = store().change(id);
        QVERIFY(detail.ok() && detail->decisions.empty());

        QSet<QString> kinds;
        for (int jumps = 0; !workspace()->unseenItems().isEmpty(); ++jumps) {
            QVERIFY2(jumps < 200, "Next unseen never completed the review");
            workspace()->focusQueue();
            press(QLatin1Char('s'));
            const QString key = workspace()->lastUnseenShown();
            QVERIFY(!key.isEmpty());
            kinds.insert(key.section(QLatin1Char(':'), 0, 0));
            verifyShown(key);
            // Shown in the active window, it settles into "seen" and is recorded.
            QTRY_VERIFY_WITH_TIMEOUT(!workspace()->unseenItems().contains(key), kWait);
        }
        QVERIFY(kinds.contains(QStringLiteral("resource")));
        QTRY_VERIFY_WITH_TIMEOUT(approve->isEnabled(), kWait);
        QVERIFY(bar()->reviewLabel()->text().startsWith(QStringLiteral("Full review complete")));
        QVERIFY(!next->isEnabled());
        // The critical rule wants a lead among the approvers; Rita is not one.
        QVERIFY2(bar()->explanationLabel()->text().contains(QStringLiteral("a lead must also approve")),
                 qPrintable(bar()->explanationLabel()->text()));

        // What was seen is in the store: a console opened afresh agrees.
        auto revision = detail->revisions.back();
        std::vector<Artifact> artifacts;
        for (const ArtifactInfo &info : revision.artifacts)
            artifacts.push_back(*store().artifact(id, revision.number, info.index));
        auto assessment = store().assessment(id, revision.number);
        QVERIFY(assessment.ok() && assessment->has_value());
        const QStringList required = requiredCoverage(artifacts, &(*assessment)->assessment);
        auto seen = store().coverage(QStringLiteral("rita"), id, revision.number);
        QVERIFY(seen.ok());
        for (const QString &key : required)
            QVERIFY2(seen->contains(key), qPrintable(key));
    }

    void storedCompleteCoverageEnablesApprove()
    {
        QVERIFY(store().importTopology(actor(QStringLiteral("lena")),
                                       {TopologySource{QStringLiteral("cost-explorer.yaml"),
                                                       readData(QStringLiteral("cost-explorer.yaml"))}})
                    .ok());
        const QString id = submitCritical(store());
        auto detail = store().change(id);
        QVERIFY(detail.ok());
        const RevisionInfo &revision = detail->revisions.back();
        std::vector<Artifact> artifacts;
        for (const ArtifactInfo &info : revision.artifacts)
            artifacts.push_back(*store().artifact(id, revision.number, info.index));
        auto assessment = store().assessment(id, revision.number);
        QVERIFY(assessment.ok() && assessment->has_value());
        const QStringList required = requiredCoverage(artifacts, &(*assessment)->assessment);
        QVERIFY(required.size() > 3);
        QVERIFY(store().recordCoverage(actor(QStringLiteral("rex")), id, revision.number, required).ok());

        open(QStringLiteral("rex"));
        QTRY_VERIFY_WITH_TIMEOUT(bar()->reviewLabel()->text().startsWith(QStringLiteral("Full review complete")),
                                 kWait);
        QVERIFY(bar()->button(DecisionAction::Approve)->isEnabled());
        QVERIFY(workspace()->unseenItems().isEmpty());
        // Rita has seen nothing: for her the same change is still closed.
        cleanup();
    }

    void barStatesNeedsRuleAndClocks()
    {
        const QString id = m_fixture->submitAsBot();
        open(QStringLiteral("rita"));
        auto detail = store().change(id);
        QVERIFY(detail.ok());
        const QDateTime now(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
        bar()->setClock([now] { return now; });
        ChangeDetail pending = *detail;
        Verdict &v = pending.summary.verdict;
        v.status = ChangeStatus::Pending;
        v.countedApprovals = 1;
        v.requiredApprovals = 2;
        v.leadRequired = true;
        v.needs = QStringLiteral("needs 1 more approval, from a lead");
        v.rule = QStringLiteral("rule 1: 2 approvals, one from a lead, full review, SLA 15m");
        v.slaDeadline = now.addSecs(12 * 60);
        v.expiresAt = now.addDays(2).addSecs(60);
        bar()->setChange(pending);
        QCOMPARE(bar()->needsLabel()->text(), QStringLiteral("Needs 1 more approval, from a lead"));
        QVERIFY(bar()->ruleLabel()->text().contains(QStringLiteral("one from a lead")));
        QCOMPARE(bar()->clockLabel()->text(), QStringLiteral("review due in 12 min · expires in 2 d"));

        v.slaBreached = true;
        v.slaDeadline = now.addSecs(-5 * 60);
        bar()->setChange(pending);
        QVERIFY(bar()->clockLabel()->text().startsWith(QStringLiteral("review overdue by 5 min")));

        ChangeDetail approved = *detail;
        approved.summary.verdict.status = ChangeStatus::Approved;
        approved.summary.verdict.approvalExpiresAt = now.addSecs(3 * 3600 + 30);
        bar()->setChange(approved);
        QCOMPARE(bar()->clockLabel()->text(), QStringLiteral("approval expires in 3 h"));
        QVERIFY(!bar()->button(DecisionAction::Approve)->isEnabled());
        QVERIFY(bar()->explanationLabel()->text().contains(QStringLiteral("Nothing to decide")));
    }

    void queueShowsApprovalsCountdownAndEscalation()
    {
        auto now = std::make_shared<QDateTime>(QDate(2026, 3, 1), QTime(12, 0), Qt::UTC);
        ChangeQueueModel model(nullptr, [now] { return *now; });
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        ChangeSummary c;
        c.id = QStringLiteral("01CRIT");
        c.title = QStringLiteral("Recreate");
        c.createdAt = now->addSecs(-600);
        c.riskClass = Impact::Critical;
        c.verdict.countedApprovals = 1;
        c.verdict.requiredApprovals = 2;
        c.verdict.escalated = true;
        c.verdict.slaDeadline = now->addSecs(12 * 60);
        c.deadline = now->addSecs(3600); // the interim deadline loses to the verdict's
        model.setChanges({c});
        const auto cell = [&model](int column, int role = Qt::DisplayRole) {
            return model.index(0, column).data(role);
        };
        QCOMPARE(cell(ChangeQueueModel::ApprovalsColumn).toString(), QStringLiteral("1/2"));
        QCOMPARE(cell(ChangeQueueModel::DueColumn).toString(), QStringLiteral("12m"));
        QCOMPARE(cell(ChangeQueueModel::StatusColumn).toString(), QStringLiteral("pending · escalated"));
        QVERIFY(cell(0, ChangeQueueModel::EscalatedRole).toBool());
        QVERIFY(!cell(ChangeQueueModel::DueColumn, ChangeQueueModel::OverdueRole).toBool());

        // The clock moves, the store is not read: the countdown follows.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        *now = now->addSecs(20 * 60);
        model.refreshAges();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(cell(ChangeQueueModel::DueColumn).toString(), QStringLiteral("-8m"));
        QVERIFY(cell(ChangeQueueModel::DueColumn, ChangeQueueModel::OverdueRole).toBool());

        // The store's word on a breach stands even before the local clock agrees.
        c.verdict.slaDeadline = now->addSecs(60);
        c.verdict.slaBreached = true;
        model.setChanges({c});
        QVERIFY(cell(ChangeQueueModel::DueColumn, ChangeQueueModel::OverdueRole).toBool());
    }

    void escalatedChangeIsMarkedInTheQueue()
    {
        const QString id = m_fixture->submitAsBot();
        DecideRequest escalate;
        escalate.changeId = id;
        escalate.action = DecisionAction::Escalate;
        escalate.reason = QStringLiteral("touches billing");
        QVERIFY(store().decide(actor(QStringLiteral("rex")), escalate).ok());
        open(QStringLiteral("rita"));
        ChangeQueueModel *model = workspace()->queueModel();
        const int row = model->rowForId(id);
        QVERIFY(row >= 0);
        QCOMPARE(model->index(row, ChangeQueueModel::StatusColumn).data().toString(),
                 QStringLiteral("pending · escalated"));
        QVERIFY(model->index(row, 0).data(ChangeQueueModel::EscalatedRole).toBool());
        QVERIFY(model->index(row, ChangeQueueModel::ApprovalsColumn).data().toString().startsWith(QStringLiteral("0/")));
    }

    void slashFiltersAndQuestionMarkShowsTheSheet()
    {
        QVERIFY(!m_fixture->submitAsBot().isEmpty());
        open(QStringLiteral("rita"));
        workspace()->focusQueue();
        press(QLatin1Char('/'));
        QCOMPARE(QApplication::focusWidget(), workspace()->filterEdit());
        QTest::keyClicks(workspace()->filterEdit(), QStringLiteral("no such change"));
        QCOMPARE(workspace()->queueModel()->rowCount(), 0);
        QTest::keyClick(workspace()->filterEdit(), Qt::Key_Escape);
        QCOMPARE(QApplication::focusWidget(), workspace()->queueView());

        bool shown = false;
        bool listsNextUnseen = false;
        QTimer::singleShot(0, this, [&] {
            if (auto *sheet = qobject_cast<ShortcutSheet *>(QApplication::activeModalWidget())) {
                shown = true;
                for (QLabel *label : sheet->findChildren<QLabel *>())
                    listsNextUnseen = listsNextUnseen || label->text().contains(QStringLiteral("not seen yet"));
                sheet->reject();
            }
        });
        press(QLatin1Char('?'));
        QVERIFY(shown);
        QVERIFY(listsNextUnseen);
    }

    void consoleTickWritesNothingWhenNothingIsDue()
    {
        QVERIFY(!m_fixture->submitAsBot().isEmpty());
        open(QStringLiteral("rita"));
        const qsizetype before = store().auditEntries(0, 0)->size();
        Result<TickResult> ticked = m_service->tick();
        QVERIFY(ticked.ok());
        QVERIFY(ticked->changes.isEmpty());
        QCOMPARE(store().auditEntries(0, 0)->size(), size_t(before));
    }

    void newCriticalChangeIsAnnouncedInTheWindowOnce()
    {
        QVERIFY(store().importTopology(actor(QStringLiteral("lena")),
                                       {TopologySource{QStringLiteral("cost-explorer.yaml"),
                                                       readData(QStringLiteral("cost-explorer.yaml"))}})
                    .ok());
        const QString old = submitCritical(store());
        QVERIFY(!m_fixture->submitAsBot().isEmpty());
        open(QStringLiteral("rita"));
        ChangeAnnouncer *announcer = m_window->announcer();
        QVERIFY(!announcer->usesTray()); // offscreen: no system tray
        QVERIFY(!announcer->isVisibleTo(m_window.get())); // critical before the start: not news

        // Another connection submits a new critical change; the poll brings it.
        auto other = openStore(m_fixture->path);
        QVERIFY(other.ok());
        SubmitRequest request;
        request.proposal = criticalProposal();
        request.proposal.title = QStringLiteral("Recreate it again");
        request.proposal.target = QStringLiteral("account:prod-9");
        auto submitted = (*other)->submit(actor(QStringLiteral("bot")), request);
        QVERIFY(submitted.ok());
        QTRY_VERIFY_WITH_TIMEOUT(announcer->isVisibleTo(m_window.get()), kWait);
        QCOMPARE(announcer->latestChangeId(), submitted->changeId);
        QVERIFY(announcer->label()->text().contains(QStringLiteral("Critical change awaiting review")));
        QVERIFY(!announcer->label()->text().contains(old));

        QSignalSpy opened(announcer, &ChangeAnnouncer::openRequested);
        announcer->findChildren<QPushButton *>().first()->click();
        QCOMPARE(opened.count(), 1);
        QCOMPARE(workspace()->currentChangeId(), submitted->changeId);
        QVERIFY(!announcer->isVisibleTo(m_window.get()));
        QVERIFY(m_service->refresh().ok());
        QVERIFY(!announcer->isVisibleTo(m_window.get())); // once per change and reason
    }
};

QTEST_MAIN(TstPolicyUi)
#include "tst_policyui.moc"
