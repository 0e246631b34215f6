#include "artifactpane.h"
#include "changedetailspane.h"
#include "decisionbar.h"
#include "domain/identity.h"
#include "intake/contenthash.h"
#include "itemmodels/changequeuemodel.h"
#include "mainwindow.h"
#include "plan/plantreemodel.h"
#include "plan/planview.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "shortcutsheet.h"
#include "storage/store.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include <memory>

using namespace hp;

namespace {

const QString kAdmin = QStringLiteral("hp-test-admin");
const QString kAgent = QStringLiteral("hp-test-agent");
const QString kOperator = QStringLiteral("hp-test-operator");
const QString kAuditor = QStringLiteral("hp-test-auditor");
const QString kHostile = QStringLiteral("<b>x</b> \u202Etxt.exe");

Actor actor(const QString &login)
{
    return Actor{login, QStringLiteral("testhost"), QStringLiteral("test")};
}

Proposal proposal(const QString &title, const QString &patch)
{
    Proposal p;
    p.title = title;
    p.kind = ChangeKind::Infra;
    p.agentName = QStringLiteral("tf-bot");
    p.agentVersion = QStringLiteral("1.4.2");
    p.agentRunId = QStringLiteral("run-%1").arg(qHash(title));
    p.intent = QStringLiteral("Intent of %1").arg(title);
    p.declaredImpact = Impact::Medium;
    p.environment = QStringLiteral("staging");
    p.target = QStringLiteral("aws:123456789012/eu-west-1");
    Artifact a;
    a.kind = ArtifactKind::UnifiedDiff;
    a.name = QStringLiteral("main.tf.patch");
    a.parts = {patch.toUtf8()};
    p.artifacts.push_back(a);
    hashArtifacts(p.artifacts);
    return p;
}

// Every text of a plan view's resources, each expanded.
QString planTexts(PlanView &view)
{
    QStringList out;
    PlanTreeModel *model = view.model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex resource = model->index(row, 0);
        if (model->canFetchMore(resource))
            model->fetchMore(resource);
        for (int child = -1; child < model->rowCount(resource); ++child) {
            for (int c = 0; c < model->columnCount(); ++c)
                out << (child < 0 ? model->index(row, c) : model->index(child, c, resource)).data().toString();
        }
    }
    return out.join(QLatin1Char('\n'));
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<ReviewService> m_service;
    std::unique_ptr<MainWindow> m_window;
    QStringList m_ids; // in submission order: the first is the oldest

    QString submit(Store &store, const QString &title, const QString &patch)
    {
        SubmitRequest request;
        request.proposal = proposal(title, patch);
        Result<SubmitResult> r = store.submit(actor(kAgent), request);
        if (!r)
            qWarning("submit failed: %s", qPrintable(r.error().message));
        return r ? r->changeId : QString();
    }

    void open(const QString &login)
    {
        m_service = std::make_unique<ReviewService>(*m_store, login);
        m_window = std::make_unique<MainWindow>(*m_service);
        m_window->resize(1440, 900);
        m_window->show();
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    }

    ReviewWorkspace *workspace() const { return m_window->reviewWorkspace(); }
    DecisionBar *bar() const { return workspace()->decisionBar(); }

    // Keys go where a person's would: to the widget that has the focus.
    void press(char key)
    {
        QWidget *target =
            QApplication::focusWidget() ? QApplication::focusWidget() : m_window.get();
        QTest::keyClick(target, key);
    }

    ChangeDetail stored(const QString &id)
    {
        Result<ChangeDetail> detail = m_store->change(id);
        if (!detail)
            qWarning("change %s: %s", qPrintable(id), qPrintable(detail.error().message));
        return detail ? *detail : ChangeDetail{};
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(
            QStringLiteral("hp-%1.db").arg(QLatin1String(QTest::currentTestFunction())));
        CreateOptions options;
        options.adminLogin = kAdmin;
        Result<std::unique_ptr<Store>> created = createStore(m_path, options, actor(kAdmin));
        QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().message));
        m_store = std::move(*created);
        const QString me = currentLogin();
        QVERIFY(!me.isEmpty());
        QVERIFY(m_store->addUser(actor(kAdmin), me, RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(m_store->addUser(actor(kAdmin), kOperator, RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(m_store->addUser(actor(kAdmin), kAuditor, RoleSet::of({Role::Auditor})).ok());
        const Status agent = m_store->addAgent(actor(kAdmin), kAgent, kOperator);
        QVERIFY2(agent.ok(), agent ? "" : qPrintable(agent.error().message));
        m_ids.clear();
        m_ids << submit(*m_store, QStringLiteral("Resize the cost-explorer cluster"),
                        QStringLiteral("+size = 3\n"));
        m_ids << submit(*m_store, QStringLiteral("Rotate the RDS master password"),
                        QStringLiteral("+rotate = true\n"));
        m_ids << submit(*m_store, QStringLiteral("Open port 443 on the edge LB"),
                        QStringLiteral("+port = 443\n"));
        QCOMPARE(m_ids.size(), 3);
        QVERIFY(!m_ids.contains(QString()));
    }

    void cleanup()
    {
        m_window.reset();
        m_service.reset();
        m_store.reset();
    }

    void keyboardSelectsAndApproves()
    {
        open(currentLogin());
        QTableView *view = workspace()->queueView();
        QCOMPARE(workspace()->queueModel()->rowCount(), 3);
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        const QString first = workspace()->currentChangeId();
        QCOMPARE(first, workspace()->queueModel()->idAt(0));
        QCOMPARE(QApplication::focusWidget(), view);

        press('j');
        QCOMPARE(workspace()->currentChangeId(), workspace()->queueModel()->idAt(1));
        press('j');
        press('k');
        const QString target = workspace()->currentChangeId();
        QCOMPARE(target, workspace()->queueModel()->idAt(1));
        QVERIFY(target != first);
        // Reading an artifact does not take the keys away: its view is read-only.
        workspace()->artifactPane()->textView()->setFocus();
        press('j');
        QCOMPARE(workspace()->currentChangeId(), workspace()->queueModel()->idAt(2));
        press('k');
        QCOMPARE(workspace()->currentChangeId(), target);
        workspace()->focusQueue();

        // Letters typed into the reason are text, not shortcuts.
        bar()->reasonEdit()->setFocus();
        QTest::keyClicks(bar()->reasonEdit(), QStringLiteral("plan reviewed, safe"));
        QCOMPARE(bar()->reasonEdit()->text(), QStringLiteral("plan reviewed, safe"));
        QVERIFY(stored(target).decisions.empty());
        QCOMPARE(workspace()->currentChangeId(), target);
        QTest::keyClick(bar()->reasonEdit(), Qt::Key_Escape);
        QCOMPARE(QApplication::focusWidget(), view);

        QVERIFY(bar()->button(DecisionAction::Approve)->isEnabled());
        press('a');
        const ChangeDetail after = stored(target);
        QCOMPARE(after.decisions.size(), std::size_t(1));
        QCOMPARE(toString(after.decisions.front().action), toString(DecisionAction::Approve));
        QCOMPARE(after.decisions.front().principal, currentLogin());
        QCOMPARE(after.decisions.front().reason, QStringLiteral("plan reviewed, safe"));
        QVERIFY(after.decisions.front().counts);
        QCOMPARE(toString(after.summary.verdict.status), toString(ChangeStatus::Approved));
        QVERIFY(bar()->resultLabel()->isVisible());
        QVERIFY(bar()->resultLabel()->text().contains(QStringLiteral("approve")));
        // The queue follows the store and the selection stays on the change.
        QCOMPARE(workspace()->currentChangeId(), target);
        const int row = workspace()->queueModel()->rowForId(target);
        QCOMPARE(toString(workspace()->queueModel()->changeAt(row)->verdict.status),
                 toString(ChangeStatus::Approved));
        QVERIFY(!bar()->button(DecisionAction::Approve)->isEnabled());
    }

    void rejectWithoutReasonIsRefusedAndSaysWhy()
    {
        open(currentLogin());
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        const QString id = workspace()->currentChangeId();
        QPushButton *reject = bar()->button(DecisionAction::Reject);
        QVERIFY(!reject->isEnabled());
        QVERIFY(reject->toolTip().contains(QStringLiteral("reason")));
        QVERIFY(bar()->explanationLabel()->isVisible());
        QVERIFY(bar()->explanationLabel()->text().contains(QStringLiteral("Reject unavailable")));
        press('r');
        QVERIFY(stored(id).decisions.empty());
        QVERIFY(bar()->resultLabel()->text().contains(QStringLiteral("reason")));

        press('/');
        QCOMPARE(QApplication::focusWidget(), workspace()->filterEdit());
        QTest::keyClick(workspace()->filterEdit(), Qt::Key_Escape);
        bar()->reasonEdit()->setFocus();
        QTest::keyClicks(bar()->reasonEdit(), QStringLiteral("opens the wrong port"));
        QVERIFY(reject->isEnabled());
        QTest::keyClick(bar()->reasonEdit(), Qt::Key_Escape);
        press('r');
        const ChangeDetail after = stored(id);
        QCOMPARE(after.decisions.size(), std::size_t(1));
        QCOMPARE(toString(after.decisions.front().action), toString(DecisionAction::Reject));
        QCOMPARE(toString(after.summary.verdict.status), toString(ChangeStatus::Rejected));
    }

    void filterTakesLettersAndNarrowsTheQueue()
    {
        open(currentLogin());
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        press('/');
        QCOMPARE(QApplication::focusWidget(), workspace()->filterEdit());
        QTest::keyClicks(workspace()->filterEdit(), QStringLiteral("rds"));
        QCOMPARE(workspace()->queueModel()->rowCount(), 1);
        QCOMPARE(workspace()->queueModel()->idAt(0), m_ids.at(1));
        for (const QString &id : std::as_const(m_ids))
            QVERIFY(stored(id).decisions.empty());
    }

    void auditorSeesNoDecisionBar()
    {
        open(kAuditor);
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        QVERIFY(!bar()->isVisibleTo(m_window.get()));
        press('a');
        QVERIFY(stored(workspace()->currentChangeId()).decisions.empty());
    }

    void adminSeesNoApprove()
    {
        open(kAdmin);
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        QVERIFY(bar()->isVisibleTo(m_window.get()));
        QPushButton *approve = bar()->button(DecisionAction::Approve);
        QVERIFY(!approve->isVisibleTo(m_window.get()) && !approve->isEnabled());
        QVERIFY(!bar()->button(DecisionAction::Reject)->isEnabled());
        QVERIFY(
            bar()->explanationLabel()->text().contains(QStringLiteral("admins decide nothing")));
        press('a');
        QVERIFY(stored(workspace()->currentChangeId()).decisions.empty());
    }

    void operatorIsToldTheApprovalWouldNotCount()
    {
        open(kOperator);
        QTRY_VERIFY(!workspace()->currentChangeId().isEmpty());
        QVERIFY(bar()->explanationLabel()->isVisible());
        QVERIFY(
            bar()->explanationLabel()->text().contains(QStringLiteral("you operate this agent")));
    }

    void changeFromAnotherConnectionAppearsAfterPoll()
    {
        open(currentLogin());
        QCOMPARE(workspace()->queueModel()->rowCount(), 3);
        const QString selected = workspace()->currentChangeId();
        Result<std::unique_ptr<Store>> other = openStore(m_path);
        QVERIFY2(other.ok(), other ? "" : qPrintable(other.error().message));
        const QString id =
            submit(**other, QStringLiteral("Scale the ingest workers"), QStringLiteral("+n = 4\n"));
        QVERIFY(!id.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(workspace()->queueModel()->rowCount(), 4, 5000);
        QVERIFY(workspace()->queueModel()->rowForId(id) >= 0);
        QCOMPARE(workspace()->currentChangeId(), selected);
    }

    void untrustedTextIsShownLiterally()
    {
        Proposal p = proposal(kHostile, kHostile + QStringLiteral("\n<i>second</i>\n"));
        p.intent = kHostile;
        SubmitRequest request;
        request.proposal = p;
        Result<SubmitResult> r = m_store->submit(actor(kAgent), request);
        QVERIFY(r.ok());
        open(currentLogin());
        QVERIFY(workspace()->selectChange(r->changeId));

        QLabel *title = workspace()->detailsPane()->titleLabel();
        QCOMPARE(title->textFormat(), Qt::PlainText);
        QCOMPARE(title->text(), kHostile);
        const int row = workspace()->queueModel()->rowForId(r->changeId);
        QCOMPARE(
            workspace()->queueModel()->index(row, ChangeQueueModel::TitleColumn).data().toString(),
            kHostile);
        QCOMPARE(workspace()->artifactPane()->textView()->toPlainText(),
                 kHostile + QStringLiteral("\n<i>second</i>\n"));
        // Every label that carries the agent's text shows it as plain text.
        int carrying = 0;
        const QList<QLabel *> labels = m_window->findChildren<QLabel *>();
        for (const QLabel *label : labels) {
            if (!label->text().contains(QStringLiteral("<b>x</b>")))
                continue;
            ++carrying;
            QCOMPARE(label->textFormat(), Qt::PlainText);
        }
        QVERIFY(carrying >= 2); // title and intent at least
    }

    void sensitiveValuesOfAPlanAreMasked()
    {
        QFile file(QStringLiteral(HP_TEST_DATA "/console/rotate-password.plan.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        Proposal p = proposal(QStringLiteral("Rotate the billing DB password"), QString());
        p.artifacts.front().kind = ArtifactKind::TerraformPlan;
        p.artifacts.front().name = QStringLiteral("rotate-password.plan.json");
        p.artifacts.front().parts = {file.readAll()};
        Artifact script;
        script.kind = ArtifactKind::Command;
        script.name = QStringLiteral("check.sh");
        script.parts = {QByteArray("psql \"password=rotated-Secret-2\" -c 'select 1'\n")};
        p.artifacts.push_back(script);
        hashArtifacts(p.artifacts);
        SubmitRequest request;
        request.proposal = p;
        Result<SubmitResult> r = m_store->submit(actor(kAgent), request);
        QVERIFY2(r.ok(), r ? "" : qPrintable(r.error().message));
        open(currentLogin());
        QVERIFY(workspace()->selectChange(r->changeId));

        auto *files = workspace()->artifactPane()->findChild<QTreeWidget *>();
        QVERIFY(files);
        QCOMPARE(files->topLevelItemCount(), 2);
        for (int i = 0; i < files->topLevelItemCount(); ++i) {
            files->setCurrentItem(files->topLevelItem(i));
            // The plan shows in the plan view, the script as text.
            const QString shown = workspace()->artifactPane()->textView()->toPlainText() +
                                  planTexts(*workspace()->artifactPane()->planView());
            QVERIFY(shown.contains(QStringLiteral("(sensitive)")));
            QVERIFY(!shown.contains(QStringLiteral("rotated-Secret-2")));
            QVERIFY(!shown.contains(QStringLiteral("initial-Secret-1")));
        }
    }

    void unreadablePlanIsNotShown()
    {
        Proposal p = proposal(QStringLiteral("Broken plan"),
                              QStringLiteral("{\"format_version\": \"1.2\", oops"));
        p.artifacts.front().kind = ArtifactKind::TerraformPlan;
        hashArtifacts(p.artifacts);
        SubmitRequest request;
        request.proposal = p;
        Result<SubmitResult> r = m_store->submit(actor(kAgent), request);
        QVERIFY(r.ok());
        open(currentLogin());
        QVERIFY(workspace()->selectChange(r->changeId));
        QVERIFY(workspace()->artifactPane()->textView()->toPlainText().isEmpty());
        bool explained = false;
        const QList<QLabel *> labels = workspace()->artifactPane()->findChildren<QLabel *>();
        for (const QLabel *label : labels)
            explained = explained || (label->isVisible() &&
                                      label->text().contains(QStringLiteral("could not be read")));
        QVERIFY(explained);
    }

    void questionMarkShowsTheShortcutSheet()
    {
        open(currentLogin());
        bool shown = false;
        // The sheet is modal: look at it from inside its event loop, then close it.
        QTimer::singleShot(0, this, [&shown] {
            if (auto *sheet = qobject_cast<ShortcutSheet *>(QApplication::activeModalWidget())) {
                shown = true;
                sheet->reject();
            }
        });
        press('?');
        QVERIFY(shown);
    }

    void demoBannerOnlyOnDemoStores()
    {
        open(currentLogin());
        QVERIFY(!m_window->demoBanner()->isVisibleTo(m_window.get()));
        cleanup();
        CreateOptions options;
        options.adminLogin = kAdmin;
        options.demo = true;
        Result<std::unique_ptr<Store>> demo =
            createStore(m_dir.filePath(QStringLiteral("demo.db")), options, actor(kAdmin));
        QVERIFY(demo.ok());
        m_store = std::move(*demo);
        open(currentLogin());
        QVERIFY(m_window->demoBanner()->isVisibleTo(m_window.get()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
