// PlanView (issue 4, DESIGN §9 plan bullets): a Terraform plan a reviewer
// cannot misread, on the real plans of tests/data/plan.
#include "artifactpane.h"
#include "coverage/seentracker.h"
#include "intake/contenthash.h"
#include "plan/plansummary.h"
#include "plan/plantreemodel.h"
#include "plan/planview.h"
#include "plantestsupport.h"
#include "review/reviewservice.h"
#include "storefixture.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

using namespace hp;
using namespace Qt::StringLiterals;

namespace {

const QStringList kSecrets = {QStringLiteral("initial-Secret-1"), QStringLiteral("rotated-Secret-2")};

std::shared_ptr<const ReadPlan> readFixture(const QString &name)
{
    auto read = std::make_shared<ReadPlan>();
    read->plan = plantest::load(name);
    read->summary = summarizePlan(read->plan);
    read->revisionRedactor = read->plan.redactor;
    return read;
}

QStringList column(const PlanTreeModel &model, int column, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model.rowCount(parent); ++row)
        out << model.index(row, column, parent).data().toString();
    return out;
}

// Opens every resource, so its why, cascades and attribute rows exist.
void expandAll(PlanView &view)
{
    PlanTreeModel *model = view.model();
    for (int row = 0; row < model->rowCount(); ++row)
        view.tree()->expand(model->index(row, 0));
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (model->canFetchMore(index))
            model->fetchMore(index);
    }
}

// Every text the model holds, for every role a widget or tooltip shows.
QStringList modelTexts(const QAbstractItemModel &model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int row = 0; row < model.rowCount(parent); ++row) {
        for (int c = 0; c < model.columnCount(parent); ++c) {
            const QModelIndex index = model.index(row, c, parent);
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::AccessibleTextRole),
                             int(PlanTreeModel::TagRole)})
                out << index.data(role).toString();
        }
        out << modelTexts(model, model.index(row, 0, parent));
    }
    return out;
}

QStringList widgetTexts(const QWidget &root)
{
    QStringList out;
    const QList<QWidget *> widgets = root.findChildren<QWidget *>();
    for (const QWidget *w : widgets) {
        out << w->toolTip() << w->accessibleName() << w->whatsThis();
        if (const auto *label = qobject_cast<const QLabel *>(w))
            out << label->text();
        if (const auto *edit = qobject_cast<const QLineEdit *>(w))
            out << edit->text() << edit->placeholderText();
        if (const auto *combo = qobject_cast<const QComboBox *>(w)) {
            for (int i = 0; i < combo->count(); ++i)
                out << combo->itemText(i);
        }
    }
    return out;
}

QString labelsText(const QWidget &root)
{
    QStringList out;
    const QList<QLabel *> labels = root.findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        if (label->isVisibleTo(&root))
            out << label->text();
    }
    return out.join(QLatin1Char('\n'));
}

QComboBox *combo(const QWidget &root, const QString &name)
{
    const QList<QComboBox *> boxes = root.findChildren<QComboBox *>();
    for (QComboBox *box : boxes) {
        if (box->accessibleName() == name)
            return box;
    }
    return nullptr;
}

// Submits a change carrying `artifacts` as the agent "bot"; its id.
QString submitArtifacts(testing::StoreFixture &fx, std::vector<Artifact> artifacts)
{
    Proposal p = testing::proposal(QStringLiteral("Recreate"), QByteArray());
    p.artifacts = std::move(artifacts);
    hashArtifacts(p.artifacts);
    SubmitRequest request;
    request.proposal = p;
    auto submitted = fx.store->submit(testing::actor(QStringLiteral("bot")), request);
    if (!submitted) {
        qWarning("%s", qPrintable(submitted.error().message));
        return {};
    }
    return submitted->changeId;
}

QPushButton *button(const QWidget &root, const QString &text)
{
    const QList<QPushButton *> buttons = root.findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text() == text && b->isVisibleTo(&root))
            return b;
    }
    return nullptr;
}

// True when every destructive row entirely inside the viewport counts as seen.
bool everyVisibleRowSeen(const PlanView &view)
{
    const QRect viewport = view.tree()->viewport()->rect();
    for (int row = 0; row < view.model()->rowCount(); ++row) {
        const QModelIndex index = view.model()->index(row, 0);
        const QRect rect = view.tree()->visualRect(index);
        const QString key = index.data(PlanTreeModel::CoverageKeyRole).toString();
        if (!key.isEmpty() && viewport.contains(QRect(0, rect.top(), 1, rect.height())) &&
            !view.tracker()->isSeen(key))
            return false;
    }
    return true;
}

} // namespace

class TestPlanView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void recreateEnvironmentShowsTwoReplacementsFirstAndTheCascade()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("recreate-environment.plan.json")), 0, QString());
        const PlanTreeModel &model = *view.model();
        QCOMPARE(column(model, PlanTreeModel::ActionColumn),
                 (QStringList{QStringLiteral("REPLACE"), QStringLiteral("REPLACE"), QStringLiteral("UPDATE"),
                              QStringLiteral("UPDATE")}));
        const QStringList addresses = column(model, PlanTreeModel::SubjectColumn);
        QVERIFY(addresses.mid(0, 2).contains(QStringLiteral("terraform_data.billing_db")));
        QVERIFY(addresses.mid(0, 2).contains(QStringLiteral("terraform_data.report_cache")));
        QVERIFY(column(model, PlanTreeModel::DetailColumn).at(0).contains(QStringLiteral("triggers_replace")));

        const QString header = labelsText(view);
        QVERIFY2(header.contains(QStringLiteral("2 replaced (destroy, then create)")), qPrintable(header));
        QVERIFY(header.contains(QStringLiteral("2 updated")));
        QVERIFY(!header.contains(QStringLiteral("to add")));
        QVERIFY(!header.contains(QStringLiteral("to destroy")));
        QVERIFY(header.contains(QStringLiteral("terraform_data.billing_db.id (replace) → "
                                               "terraform_data.api_service.input.db")));

        // The dependent names the upstream end, and the upstream the dependent.
        expandAll(view);
        const int api = static_cast<int>(addresses.indexOf(QStringLiteral("terraform_data.api_service")));
        QVERIFY(api >= 2);
        const QModelIndex apiIndex = model.index(api, 0);
        const QStringList tags = column(model, PlanTreeModel::ActionColumn, apiIndex);
        const QStringList details = column(model, PlanTreeModel::DetailColumn, apiIndex);
        bool named = false;
        for (int i = 0; i < tags.size(); ++i)
            named = named || (tags[i] == QLatin1String("CASCADE") &&
                              details[i].contains(QStringLiteral("terraform_data.api_service.input.db ")) &&
                              details[i].contains(QStringLiteral("terraform_data.billing_db.id")));
        QVERIFY2(named, qPrintable(details.join(QLatin1Char('\n'))));
        const QStringList billing = column(model, PlanTreeModel::SubjectColumn, model.index(0, 0));
        QVERIFY(billing.join(QLatin1Char(' ')).contains(QStringLiteral("forces terraform_data.api_service")));
    }

    void replacePathsAreMarkedForcesReplacement()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("recreate-environment.plan.json")), 0, QString());
        expandAll(view);
        const PlanTreeModel &model = *view.model();
        const QModelIndex first = model.index(0, 0);
        const QStringList subjects = column(model, PlanTreeModel::SubjectColumn, first);
        // triggers_replace is a list: its element carries the mark.
        const int row = static_cast<int>(subjects.indexOf(QStringLiteral("triggers_replace[0]")));
        QVERIFY2(row >= 0, qPrintable(subjects.join(QLatin1Char(','))));
        QCOMPARE(model.index(row, 0, first).data(PlanTreeModel::TagRole).toString(),
                 QStringLiteral("FORCES REPLACEMENT"));
        QVERIFY(model.index(row, PlanTreeModel::DetailColumn, first).data().toString().contains(
            QStringLiteral(" → ")));
    }

    void destroyEnvironmentShowsNineDeletes()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("destroy-environment.plan.json")), 0, QString());
        QCOMPARE(column(*view.model(), PlanTreeModel::ActionColumn), QStringList(9, QStringLiteral("DELETE")));
        QVERIFY(labelsText(view).contains(QStringLiteral("Plan: 9 deleted")));
        QCOMPARE(view.destructiveKeys().size(), 9);
        QVERIFY(labelsText(view).contains(QStringLiteral("Seen 0 of 9 destructive resources")));
    }

    void everyActionHasItsGroupDestructiveFirst()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("all-actions.plan.json")), 0, QString());
        const QStringList badges = column(*view.model(), PlanTreeModel::ActionColumn);
        QStringList groups = badges;
        groups.removeDuplicates();
        QCOMPARE(groups, (QStringList{u"REPLACE"_s, u"DELETE"_s, u"UPDATE"_s, u"CREATE"_s, u"FORGET"_s,
                                      u"READ"_s, u"MOVED"_s, u"IMPORT"_s, u"DRIFT"_s, u"DEFERRED"_s}));
        QCOMPARE(badges.count(u"REPLACE"_s), 3);
        const QStringList addresses = column(*view.model(), PlanTreeModel::SubjectColumn);
        const QStringList why = column(*view.model(), PlanTreeModel::DetailColumn);
        const int moved = static_cast<int>(badges.indexOf(u"MOVED"_s));
        QCOMPARE(addresses.at(moved), u"aws_iam_role.keep"_s);
        QVERIFY(why.at(moved).contains(u"moved from aws_iam_role.old_name"_s));
        QCOMPARE(addresses.at(badges.indexOf(u"IMPORT"_s)), u"aws_instance.imported"_s);
        QVERIFY(why.at(badges.indexOf(u"DEFERRED"_s)).startsWith(u"deferred"_s));
        // Forget is not a delete: the object stays, only Terraform lets go.
        QVERIFY(why.at(badges.indexOf(u"FORGET"_s)).contains(u"not destroyed"_s));
    }

    void erroredPlanCarriesAWarning()
    {
        QJsonObject json = QJsonDocument::fromJson(plantest::readData(u"scale-api.plan.json"_s)).object();
        json.insert(u"errored"_s, true);
        auto read = std::make_shared<ReadPlan>();
        auto parsed = PlanParser().parse(QJsonDocument(json).toJson());
        QVERIFY(parsed.ok());
        read->plan = std::move(*parsed);
        read->summary = summarizePlan(read->plan);
        PlanView view;
        view.showPlan(read, 0, QString());
        QVERIFY2(labelsText(view).contains(u"⚠ Terraform reported errors while planning"_s),
                 qPrintable(labelsText(view)));
    }

    void filterByActionHidesTheOthers()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("recreate-environment.plan.json")), 0, QString());
        QComboBox *action = combo(view, QStringLiteral("Filter by action"));
        QVERIFY(action);
        action->setCurrentIndex(action->findText(QStringLiteral("update")));
        QCOMPARE(column(*view.model(), PlanTreeModel::ActionColumn),
                 (QStringList{QStringLiteral("UPDATE"), QStringLiteral("UPDATE")}));
        action->setCurrentIndex(action->findText(QStringLiteral("delete")));
        QCOMPARE(view.model()->rowCount(), 0);
        action->setCurrentIndex(0);
        QCOMPARE(view.model()->rowCount(), 4);
    }

    void filterByModuleShowsThatModuleOnly()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("all-actions.plan.json")), 0, QString());
        QComboBox *module = combo(view, QStringLiteral("Filter by module"));
        QVERIFY(module);
        const int all = view.model()->rowCount();
        module->setCurrentIndex(module->findText(QStringLiteral("module.net[0]")));
        const QStringList addresses = column(*view.model(), PlanTreeModel::SubjectColumn);
        QVERIFY(!addresses.isEmpty());
        QVERIFY(addresses.size() < all);
        for (const QString &a : addresses)
            QVERIFY2(a.startsWith(QStringLiteral("module.net[0].")), qPrintable(a));
    }

    void searchFindsAnAttributeAndOpensItsResource()
    {
        PlanView view;
        view.showPlan(readFixture(QStringLiteral("recreate-environment.plan.json")), 0, QString());
        QLineEdit *search = view.findChild<QLineEdit *>();
        QVERIFY(search);
        QTest::keyClicks(search, QStringLiteral("input.cache"));
        // Attribute paths are indexed off the GUI thread.
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->hasAttributePaths(), 30000);
        QCOMPARE(column(*view.model(), PlanTreeModel::SubjectColumn),
                 QStringList{QStringLiteral("terraform_data.api_service")});
        const QModelIndex api = view.model()->index(0, 0);
        QVERIFY(view.tree()->isExpanded(api));
        QVERIFY(column(*view.model(), PlanTreeModel::SubjectColumn, api).contains(QStringLiteral("input.cache")));
        search->clear();
        QCOMPARE(view.model()->rowCount(), 4);
        QTest::keyClicks(search, QStringLiteral("BILLING"));
        QCOMPARE(column(*view.model(), PlanTreeModel::SubjectColumn),
                 QStringList{QStringLiteral("terraform_data.billing_db")});
    }

    void rotatePasswordShowsNoSecretAnywhere()
    {
        PlanView view;
        view.resize(1000, 700);
        view.show();
        view.showPlan(readFixture(QStringLiteral("rotate-password.plan.json")), 0, QString());
        expandAll(view);
        QStringList texts = modelTexts(*view.model()) + widgetTexts(view);
        // Copy every row, as a reviewer might.
        std::function<void(const QModelIndex &)> copyAll = [&](const QModelIndex &parent) {
            for (int row = 0; row < view.model()->rowCount(parent); ++row) {
                const QModelIndex index = view.model()->index(row, 0, parent);
                view.tree()->setCurrentIndex(index);
                view.tree()->setFocus();
                QTest::keySequence(view.tree(), QKeySequence::Copy);
                texts << QGuiApplication::clipboard()->text();
                copyAll(index);
            }
        };
        copyAll({});
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY(all.contains(QStringLiteral("(sensitive)")));
        QVERIFY(all.contains(QStringLiteral("terraform_data.billing_db")));
        for (const QString &secret : kSecrets)
            QVERIFY2(!all.contains(secret), qPrintable(secret));
    }

    void destructiveRowsScrolledIntoViewBecomeSeen()
    {
        PlanView view;
        view.resize(900, 300);
        view.tracker()->setRequireActiveWindow(false);
        QSignalSpy seen(&view, &PlanView::itemsSeen);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showPlan(readFixture(QStringLiteral("destroy-environment.plan.json")), 3, QString());
        QTRY_VERIFY_WITH_TIMEOUT(view.seenDestructive() > 0, 30000);
        QVERIFY2(view.seenDestructive() < 9, "the small window shows only the first rows");
        QVERIFY(view.tracker()->isSeen(coverage::resourceKey(3, QStringLiteral("terraform_data.api_service"))));
        const QString last = coverage::resourceKey(
            3, view.model()->index(8, PlanTreeModel::SubjectColumn).data().toString());
        QVERIFY(!view.tracker()->isSeen(last));

        QScrollBar *bar = view.tree()->verticalScrollBar();
        bar->setValue(bar->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(view.tracker()->isSeen(last), 30000);
        // Each position rests until what it shows entirely counts as seen.
        for (int value = bar->maximum(); value >= 0; value -= 30) {
            bar->setValue(value);
            QTRY_VERIFY_WITH_TIMEOUT(everyVisibleRowSeen(view), 30000);
        }
        bar->setValue(0);
        QTRY_COMPARE_WITH_TIMEOUT(view.seenDestructive(), 9, 30000);
        QStringList announced;
        for (const QList<QVariant> &args : seen)
            announced << args.at(0).toStringList();
        announced.sort();
        QStringList keys = view.destructiveKeys();
        keys.sort();
        QCOMPARE(announced, keys);
        QVERIFY(labelsText(view).contains(QStringLiteral("Seen all 9 destructive resources")));
    }

    void planfileLineShowsTheHashInTheArtifactPane()
    {
        testing::StoreFixture fx;
        fx.addTeam();
        Proposal p = testing::proposal(QStringLiteral("Recreate"), QByteArray());
        p.artifacts.clear();
        p.artifacts.push_back(testing::artifact(ArtifactKind::TerraformPlan, QStringLiteral("plan.json"),
                                                {plantest::readData(QStringLiteral("recreate-environment.plan.json"))}));
        p.artifacts.push_back(testing::artifact(ArtifactKind::TerraformPlanfile, QStringLiteral("tfplan.bin"),
                                                {QByteArray("PK\x03\x04tfplan\0binary", 18)}));
        hashArtifacts(p.artifacts);
        const QString hash = QString::fromLatin1(p.artifacts[1].sha256.toHex());
        SubmitRequest request;
        request.proposal = p;
        auto submitted = fx.store->submit(testing::actor(QStringLiteral("bot")), request);
        QVERIFY2(submitted.ok(), submitted ? "" : qPrintable(submitted.error().message));

        ReviewService service(*fx.store, QStringLiteral("rita"));
        ArtifactPane pane(service);
        pane.setSyncPlanLimit(0); // read in the background, as a large plan is
        auto detail = service.loadChange(submitted->changeId);
        QVERIFY(detail.ok());
        pane.setChange(*detail);
        QVERIFY(labelsText(pane).contains(QStringLiteral("Reading plan…")));
        QTRY_COMPARE_WITH_TIMEOUT(pane.planView()->model()->rowCount(), 4, 30000);
        const QString line = QStringLiteral("Approval covers planfile tfplan.bin (18 bytes) sha256 ") + hash;
        QVERIFY2(labelsText(pane).contains(line), qPrintable(labelsText(pane)));

        QVERIFY(pane.selectArtifact(1));
        QVERIFY(labelsText(pane).contains(line));
        QVERIFY(!labelsText(pane).contains(QStringLiteral("cannot be shown")));
    }

    void cancelStopsWaitingAndTheButtonShowsThePlanLater()
    {
        testing::StoreFixture fx;
        fx.addTeam();
        const QString id = submitArtifacts(
            fx, {testing::artifact(ArtifactKind::TerraformPlan, QStringLiteral("plan.json"),
                                   {plantest::readData(QStringLiteral("recreate-environment.plan.json"))})});
        QVERIFY(!id.isEmpty());
        ReviewService service(*fx.store, QStringLiteral("rita"));
        ArtifactPane pane(service);
        pane.setSyncPlanLimit(0);
        pane.setChange(*service.loadChange(id));
        QPushButton *cancel = button(pane, QStringLiteral("Cancel"));
        QVERIFY(cancel);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(labelsText(pane).contains(QStringLiteral("reading the plan was cancelled")));
        QTRY_VERIFY_WITH_TIMEOUT(service.plansRead(id, 1), 30000);
        QCoreApplication::processEvents();
        QCOMPARE(pane.planView()->model()->rowCount(), 0); // cancelled: not shown by itself
        QPushButton *show = button(pane, QStringLiteral("Show the plan"));
        QVERIFY(show);
        QTest::mouseClick(show, Qt::LeftButton);
        QCOMPARE(pane.planView()->model()->rowCount(), 4);
    }

    void planfileWithoutItsPlanSaysThePlanCannotBeShown()
    {
        testing::StoreFixture fx;
        fx.addTeam();
        Proposal p = testing::proposal(QStringLiteral("Planfile only"), QByteArray());
        p.artifacts.clear();
        p.artifacts.push_back(testing::artifact(ArtifactKind::TerraformPlanfile, QStringLiteral("tfplan.bin"),
                                                {QByteArray("PK\x03\x04tfplan\0binary", 18)}));
        hashArtifacts(p.artifacts);
        SubmitRequest request;
        request.proposal = p;
        auto submitted = fx.store->submit(testing::actor(QStringLiteral("bot")), request);
        QVERIFY2(submitted.ok(), submitted ? "" : qPrintable(submitted.error().message));
        ReviewService service(*fx.store, QStringLiteral("rita"));
        ArtifactPane pane(service);
        pane.setChange(*service.loadChange(submitted->changeId));
        const QString shown = labelsText(pane);
        QVERIFY2(shown.contains(QStringLiteral("the plan cannot be shown")), qPrintable(shown));
        QVERIFY(shown.contains(QStringLiteral("Approval covers planfile tfplan.bin")));
    }
};

QTEST_MAIN(TestPlanView)
#include "tst_planview.moc"
