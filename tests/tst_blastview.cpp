#include "blast/blastfactortree.h"
#include "blast/blastflagspanel.h"
#include "blast/blastgraphview.h"
#include "blast/blastnodeitem.h"
#include "blast/blastradiusview.h"
#include "blast/blastscorebadge.h"
#include "blast/impactednodesmodel.h"
#include "coverage/seentracker.h"
#include "domain/identity.h"
#include "plan/cascade.h"
#include "plan/planparser.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "risk/riskmodel.h"
#include "storage/store.h"
#include "storefixture.h"
#include "topology/catalogreader.h"
#include "topology/changemapping.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QGraphicsScene>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <memory>

using namespace hp;

namespace {

QString dataPath(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/topology/") + name;
}

QString comp(const char *name)
{
    return QStringLiteral("component:default/") + QLatin1String(name);
}

QString res(const char *name)
{
    return QStringLiteral("resource:default/") + QLatin1String(name);
}

// DESIGN §4's worked example: cost-explorer.yaml, production declared, a
// registered agent, the plan's cascades (as tst_riskmodel).
RiskInput planInput(const QString &planName, std::optional<Impact> declared = std::nullopt)
{
    Result<Plan> plan = PlanParser().parseFile(dataPath(planName));
    if (!plan)
        qFatal("%s: %s", qPrintable(planName), qPrintable(plan.error().message));
    Result<Topology> catalog = CatalogReader::readFile(dataPath(QStringLiteral("cost-explorer.yaml")));
    if (!catalog)
        qFatal("catalog: %s", qPrintable(catalog.error().message));
    RiskInput in;
    in.topology = std::move(*catalog);
    in.catalogInForce = true;
    in.changed = ChangeMapping::addPlan(in.topology, *plan);
    in.cascades = findCascades(*plan);
    in.declaredEnvironment = QStringLiteral("production");
    in.declaredImpact = declared;
    return in;
}

// One changed component and `fanIn` components that depend on it (depth 1),
// each with one dependent of its own (depth 2): a graph too tall for one screen.
RiskInput wideInput(int fanIn)
{
    RiskInput in;
    TopologyNode core;
    core.id = comp("core");
    core.kind = QStringLiteral("component");
    core.name = QStringLiteral("core");
    core.tier = 1;
    in.topology.addNode(core);
    for (int i = 0; i < fanIn; ++i) {
        for (const QString &prefix : {QStringLiteral("svc-"), QStringLiteral("ui-")}) {
            TopologyNode n;
            n.name = prefix + QStringLiteral("%1").arg(i, 3, 10, QLatin1Char('0'));
            n.id = QStringLiteral("component:default/") + n.name;
            n.kind = QStringLiteral("component");
            n.tier = 2;
            n.owner = QStringLiteral("group:default/team-%1").arg(i % 4);
            in.topology.addNode(n);
        }
        const QString svc = QStringLiteral("component:default/svc-%1").arg(i, 3, 10, QLatin1Char('0'));
        const QString ui = QStringLiteral("component:default/ui-%1").arg(i, 3, 10, QLatin1Char('0'));
        in.topology.addEdge(svc, core.id);
        in.topology.addEdge(ui, svc);
    }
    ChangedResource changed;
    changed.address = QStringLiteral("aws_instance.core");
    changed.type = QStringLiteral("aws_instance");
    changed.action = PlanAction::Update;
    changed.nodeId = core.id;
    changed.mapped = true;
    in.changed.push_back(changed);
    in.catalogInForce = true;
    in.declaredEnvironment = QStringLiteral("production");
    return in;
}

// Every label's text under `root`, one per line.
QString shownText(const QWidget *root)
{
    QStringList texts;
    for (const QLabel *label : root->findChildren<QLabel *>())
        texts << label->text();
    return texts.join(u'\n');
}

QTreeWidgetItem *childWithText(QTreeWidgetItem *group, int column, const QString &text)
{
    for (int i = 0; group && i < group->childCount(); ++i) {
        if (group->child(i)->text(column) == text)
            return group->child(i);
    }
    return nullptr;
}

} // namespace

class TstBlastView : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<BlastRadiusView> m_view;

    void showRecreate(std::optional<Impact> declared = std::nullopt, const QString &intent = {})
    {
        const RiskInput in = planInput(QStringLiteral("recreate-environment.plan.json"), declared);
        m_view->setAssessment(RiskModel().assess(in), in.topology,
                              BlastSubject{intent, declared, QStringLiteral("change/1")});
    }

    void showWide(int fanIn)
    {
        const RiskInput in = wideInput(fanIn);
        m_view->setAssessment(RiskModel().assess(in), in.topology, BlastSubject{{}, {}, QStringLiteral("wide/1")});
    }

private Q_SLOTS:
    void init()
    {
        m_view = std::make_unique<BlastRadiusView>();
        m_view->resize(560, 900);
        m_view->seenTracker()->setRequireActiveWindow(false);
    }
    void cleanup() { m_view.reset(); }

    void recreateShowsScoreClassAndArithmetic();
    void recreateFactorRowsListEveryTerm();
    void recreateFlagsShowEvidenceAndFloors();
    void intentMismatchSaysDeclaredAgainstComputed();
    void intentIsPlainTextWithDangerousCharactersEscaped();
    void impactedTableListsNodesWithDepthsAndPaths();
    void impactedModelPassesModelTester();
    void tableSortsByDepth();
    void clickingGraphNodeSelectsItsRow();
    void selectingRowHighlightsGraphNode();
    void changedAndImpactedNodesDifferInShape();
    void graphLayoutHasNoOverlapWithinALayer();
    void zoomKeysAndFit();
    void exportPngWritesImageOfExpectedSize();
    void coverageGrowsAsRowsScrollIntoView();
    void sameScopeKeepsSeenRows();
    void unmappedResourcesAreListed();
    void noAssessmentShowsNotAssessed();
    void workspaceShowsTheStoredAssessmentOrWhyNot();
    void grabScreenshot();
};

void TstBlastView::recreateShowsScoreClassAndArithmetic()
{
    showRecreate();
    QVERIFY(m_view->hasAssessment());
    QCOMPARE(m_view->scoreBadge()->score(), 74);
    QCOMPARE(m_view->scoreBadge()->classText(), QStringLiteral("CRITICAL"));
    const QString arithmetic = m_view->arithmeticLabel()->text();
    QVERIFY2(arithmetic.contains(QStringLiteral("changed 1.8750")), qPrintable(arithmetic));
    QVERIFY2(arithmetic.contains(QStringLiteral("impact 0.7830")), qPrintable(arithmetic));
    QVERIFY2(arithmetic.contains(QStringLiteral("round(100·(1−e^(−2.6580/2))) = 74")), qPrintable(arithmetic));
    QCOMPARE(m_view->arithmeticLabel()->textFormat(), Qt::PlainText);
}

void TstBlastView::recreateFactorRowsListEveryTerm()
{
    showRecreate();
    BlastFactorTree *tree = m_view->factorTree();
    QTreeWidgetItem *changed = tree->changedGroup();
    QTreeWidgetItem *impact = tree->impactGroup();
    QVERIFY(changed && impact);
    QCOMPARE(changed->text(BlastFactorTree::ValueColumn), QStringLiteral("1.8750"));
    QCOMPARE(impact->text(BlastFactorTree::ValueColumn), QStringLiteral("0.7830"));
    QCOMPARE(changed->childCount(), 4);
    QCOMPARE(impact->childCount(), 3);

    QTreeWidgetItem *db = childWithText(changed, BlastFactorTree::NodeColumn, QStringLiteral("billing-db"));
    QVERIFY(db);
    QCOMPARE(db->text(BlastFactorTree::ActionColumn), QStringLiteral("replace"));
    QCOMPARE(db->text(BlastFactorTree::AColumn), QStringLiteral("0.9"));
    QCOMPARE(db->text(BlastFactorTree::EColumn), QStringLiteral("1"));
    QCOMPARE(db->text(BlastFactorTree::TColumn), QStringLiteral("1"));
    QCOMPARE(db->text(BlastFactorTree::ValueColumn), QStringLiteral("0.9000"));
    QTreeWidgetItem *worker = childWithText(changed, BlastFactorTree::NodeColumn, QStringLiteral("ingest-worker"));
    QVERIFY(worker);
    QCOMPARE(worker->text(BlastFactorTree::ValueColumn), QStringLiteral("0.1750"));

    QTreeWidgetItem *console = childWithText(impact, BlastFactorTree::ItemColumn, QStringLiteral("cost-console"));
    QVERIFY(console);
    QCOMPARE(console->text(BlastFactorTree::NodeColumn), QStringLiteral("billing-db (distance 2)"));
    QCOMPARE(console->text(BlastFactorTree::AColumn), QStringLiteral("0.9"));
    QCOMPARE(console->text(BlastFactorTree::DecayColumn), QStringLiteral("0.6"));
    QCOMPARE(console->text(BlastFactorTree::TColumn), QStringLiteral("1.5"));
    QCOMPARE(console->text(BlastFactorTree::ValueColumn), QStringLiteral("0.8100"));
    QVERIFY(childWithText(impact, BlastFactorTree::ItemColumn, QStringLiteral("finance-exports")));
    QTreeWidgetItem *alerts = childWithText(impact, BlastFactorTree::ItemColumn, QStringLiteral("budget-alerts"));
    QVERIFY(alerts);
    QCOMPARE(alerts->text(BlastFactorTree::ValueColumn), QStringLiteral("0.4860"));
}

void TstBlastView::recreateFlagsShowEvidenceAndFloors()
{
    const RiskInput in = planInput(QStringLiteral("recreate-environment.plan.json"));
    const Assessment a = RiskModel().assess(in);
    m_view->setAssessment(a, in.topology, BlastSubject{});
    QCOMPARE(m_view->flagsPanel()->codes(), (QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")}));
    const QString text = shownText(m_view->flagsPanel());
    QVERIFY(text.contains(QStringLiteral("floor: critical")));
    for (const QString &code : {QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")}) {
        const RiskFlag *flag = a.flag(code);
        QVERIFY(flag && !flag->evidence.isEmpty());
        for (const QString &line : flag->evidence)
            QVERIFY2(text.contains(line), qPrintable(code + QStringLiteral(": ") + line));
    }
}

void TstBlastView::intentMismatchSaysDeclaredAgainstComputed()
{
    showRecreate(Impact::Low, QStringLiteral("Recreate the reporting environment"));
    QCOMPARE(m_view->flagsPanel()->codes().value(0), QStringLiteral("INTENT_MISMATCH"));
    QVERIFY(shownText(m_view->flagsPanel()).contains(QStringLiteral("agent declared low, computed critical")));
    const QString all = shownText(m_view.get());
    QVERIFY(all.contains(QStringLiteral("Recreate the reporting environment")));
    QVERIFY(all.contains(QStringLiteral("Declared impact: low")));
    QVERIFY(all.contains(QStringLiteral("cost-console, finance-exports, budget-alerts")));
}

void TstBlastView::intentIsPlainTextWithDangerousCharactersEscaped()
{
    showRecreate(Impact::Critical, QStringLiteral("<b>tidy</b> \u202Ereverse"));
    const QString all = shownText(m_view.get());
    QVERIFY(all.contains(QStringLiteral("<b>tidy</b> <U+202E>reverse")));
    QVERIFY(!all.contains(QChar(0x202E)));
    for (const QLabel *label : m_view->findChildren<QLabel *>())
        QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->text()));
}

void TstBlastView::impactedTableListsNodesWithDepthsAndPaths()
{
    showRecreate();
    ImpactedNodesModel *model = m_view->impactedModel();
    QCOMPARE(model->rowCount(), 3);
    const int row = model->rowForNode(comp("cost-console"));
    QVERIFY(row >= 0);
    auto cell = [&](int r, int column) { return model->index(r, column).data().toString(); };
    QCOMPARE(cell(row, ImpactedNodesModel::NameColumn), QStringLiteral("cost-console"));
    QCOMPARE(cell(row, ImpactedNodesModel::DepthColumn), QStringLiteral("1"));
    QCOMPARE(cell(row, ImpactedNodesModel::NearestPathColumn), QStringLiteral("cost-console → cost-api"));
    QCOMPARE(cell(row, ImpactedNodesModel::ScoringSourceColumn), QStringLiteral("billing-db"));
    QCOMPARE(cell(row, ImpactedNodesModel::DistanceColumn), QStringLiteral("2"));
    QCOMPARE(cell(row, ImpactedNodesModel::ScoringPathColumn),
             QStringLiteral("cost-console → cost-api → billing-db"));
    QCOMPARE(cell(row, ImpactedNodesModel::KindColumn), QStringLiteral("component"));
    QVERIFY(!cell(row, ImpactedNodesModel::OwnerColumn).isEmpty());
    QCOMPARE(cell(row, ImpactedNodesModel::EnvironmentColumn), QStringLiteral("production"));
    QVERIFY(model->rowForNode(comp("finance-exports")) >= 0);
    QVERIFY(model->rowForNode(comp("budget-alerts")) >= 0);
    QCOMPARE(model->rowForNode(res("billing-db")), -1); // changed, not impacted
}

void TstBlastView::impactedModelPassesModelTester()
{
    ImpactedNodesModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const RiskInput in = wideInput(12);
    model.setAssessment(RiskModel().assess(in), in.topology);
    QCOMPARE(model.rowCount(), 24);
    model.sort(ImpactedNodesModel::NameColumn, Qt::DescendingOrder);
    model.sort(ImpactedNodesModel::TierColumn, Qt::AscendingOrder);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TstBlastView::tableSortsByDepth()
{
    showWide(10);
    m_view->show();
    QTableView *table = m_view->impactedView();
    ImpactedNodesModel *model = m_view->impactedModel();
    auto depths = [&] {
        QList<int> out;
        for (int r = 0; r < model->rowCount(); ++r)
            out << model->index(r, ImpactedNodesModel::DepthColumn).data(ImpactedNodesModel::RawRole).toInt();
        return out;
    };
    // Click the Depth header like a person: ascending, then descending.
    QHeaderView *header = table->horizontalHeader();
    const QPoint at(header->sectionViewportPosition(ImpactedNodesModel::DepthColumn) + 5, header->height() / 2);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    QList<int> asc = depths();
    QVERIFY(std::is_sorted(asc.begin(), asc.end()));
    QCOMPARE(asc.first(), 1);
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, at);
    QList<int> desc = depths();
    QCOMPARE(desc.first(), 2);
    QVERIFY(std::is_sorted(desc.rbegin(), desc.rend()));
}

void TstBlastView::clickingGraphNodeSelectsItsRow()
{
    showRecreate();
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    BlastGraphView *graph = m_view->graphView();
    const BlastGraphNode *node = graph->layout().node(comp("cost-console"));
    QVERIFY(node);
    const QPoint at = graph->mapFromScene(node->rect.center());
    QVERIFY(graph->viewport()->rect().contains(at));
    QTest::mouseClick(graph->viewport(), Qt::LeftButton, {}, at);
    const QModelIndex current = m_view->impactedView()->currentIndex();
    QVERIFY(current.isValid());
    QCOMPARE(m_view->impactedModel()->nodeAt(current.row()), comp("cost-console"));
    QVERIFY(m_view->impactedView()->selectionModel()->isRowSelected(current.row(), {}));
    QCOMPARE(graph->selectedNode(), comp("cost-console"));
}

void TstBlastView::selectingRowHighlightsGraphNode()
{
    showRecreate();
    m_view->show();
    ImpactedNodesModel *model = m_view->impactedModel();
    const int row = model->rowForNode(comp("budget-alerts"));
    m_view->impactedView()->setCurrentIndex(model->index(row, 0));
    QCOMPARE(m_view->graphView()->selectedNode(), comp("budget-alerts"));
    int highlighted = 0;
    for (QGraphicsItem *item : m_view->graphView()->scene()->items()) {
        if (item->type() == BlastNodeItem::Type && static_cast<BlastNodeItem *>(item)->isHighlighted()) {
            ++highlighted;
            QCOMPARE(static_cast<BlastNodeItem *>(item)->nodeId(), comp("budget-alerts"));
        }
    }
    QCOMPARE(highlighted, 1);
}

void TstBlastView::changedAndImpactedNodesDifferInShape()
{
    showRecreate();
    int changed = 0;
    int impacted = 0;
    for (QGraphicsItem *item : m_view->graphView()->scene()->items()) {
        if (item->type() != BlastNodeItem::Type)
            continue;
        auto *node = static_cast<BlastNodeItem *>(item);
        const QRectF box = node->shape().boundingRect();
        // An ellipse leaves its bounding box's corners out; a rectangle covers them.
        const bool cornerInside = node->shape().contains(box.topLeft() + QPointF(1, 1));
        QCOMPARE(cornerInside, node->isChanged());
        ++(node->isChanged() ? changed : impacted);
    }
    QCOMPARE(changed, 4);
    QCOMPARE(impacted, 3);
}

void TstBlastView::graphLayoutHasNoOverlapWithinALayer()
{
    const RiskInput in = wideInput(30);
    const BlastGraphLayout layout = BlastGraphLayout::compute(RiskModel().assess(in));
    QCOMPARE(static_cast<int>(layout.nodes().size()), 61);
    QCOMPARE(layout.columns(), 3);
    const auto &nodes = layout.nodes();
    for (size_t i = 0; i < nodes.size(); ++i) {
        for (size_t j = i + 1; j < nodes.size(); ++j)
            QVERIFY2(!nodes[i].rect.intersects(nodes[j].rect), qPrintable(nodes[i].id + u' ' + nodes[j].id));
        QVERIFY(layout.bounds().contains(nodes[i].rect));
    }
    // Depth grows to the right; each depth-2 node sits in the column after its successor.
    const BlastGraphNode *core = layout.node(comp("core"));
    const BlastGraphNode *svc = layout.node(comp("svc-007"));
    const BlastGraphNode *ui = layout.node(comp("ui-007"));
    QVERIFY(core && svc && ui);
    QVERIFY(core->rect.right() < svc->rect.left());
    QVERIFY(svc->rect.right() < ui->rect.left());
    QCOMPARE(ui->next, svc->id);
    QCOMPARE(ui->slot, svc->slot); // grouped under its successor
}

void TstBlastView::zoomKeysAndFit()
{
    showWide(30);
    m_view->show();
    BlastGraphView *graph = m_view->graphView();
    // 61 nodes do not fit readably: shown at a readable zoom, starting at the changed node.
    const double initial = graph->zoom();
    QVERIFY(initial >= BlastGraphView::kReadableZoom);
    const QRectF shown = graph->mapToScene(graph->viewport()->rect()).boundingRect();
    QVERIFY(!shown.contains(graph->sceneRect()));
    QVERIFY(shown.contains(graph->layout().node(comp("core"))->rect));
    QTest::keyClick(graph, Qt::Key_Plus);
    QVERIFY(graph->zoom() > initial);
    QTest::keyClick(graph, Qt::Key_Minus);
    QTest::keyClick(graph, Qt::Key_Minus);
    QVERIFY(graph->zoom() < initial);
    // 0 shows the whole graph.
    QTest::keyClick(graph, Qt::Key_0);
    const auto wholeShown = [graph] {
        const QRectF all = graph->mapToScene(graph->viewport()->rect()).boundingRect();
        return all.adjusted(-1, -1, 1, 1).contains(graph->sceneRect());
    };
    QTRY_VERIFY_WITH_TIMEOUT(wholeShown(), 30000);
    // Ctrl+wheel zooms; a plain wheel scrolls and leaves the zoom alone.
    const double whole = graph->zoom();
    const QPointF at = QRectF(graph->viewport()->rect()).center();
    auto wheel = [&](Qt::KeyboardModifiers modifiers) {
        QWheelEvent event(at, graph->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton,
                          modifiers, Qt::NoScrollPhase, false);
        QApplication::sendEvent(graph->viewport(), &event);
    };
    wheel(Qt::NoModifier);
    QCOMPARE(graph->zoom(), whole);
    wheel(Qt::ControlModifier);
    QVERIFY(graph->zoom() > whole);
    QVERIFY(graph->zoom() < initial);
}

void TstBlastView::exportPngWritesImageOfExpectedSize()
{
    showRecreate();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("graph.png"));
    const Status done = m_view->graphView()->exportPng(path);
    QVERIFY2(done.ok(), done ? "" : qPrintable(done.error().message));
    const QImage image(path);
    QVERIFY(!image.isNull());
    const QSizeF scene = m_view->graphView()->sceneRect().size();
    QCOMPARE(image.size(), m_view->graphView()->exportSize());
    QCOMPARE(image.width(), static_cast<int>(std::ceil(scene.width() * 2)));
    QCOMPARE(image.height(), static_cast<int>(std::ceil(scene.height() * 2)));
    // Something was drawn: not every pixel is the white background.
    bool drawn = false;
    for (int y = 0; y < image.height() && !drawn; y += 3) {
        for (int x = 0; x < image.width() && !drawn; x += 3)
            drawn = image.pixel(x, y) != qRgb(255, 255, 255);
    }
    QVERIFY(drawn);
    const Status refused = m_view->graphView()->exportPng(dir.filePath(QStringLiteral("missing/graph.png")));
    QVERIFY(!refused.ok());
}

void TstBlastView::coverageGrowsAsRowsScrollIntoView()
{
    showWide(20);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    QTableView *table = m_view->impactedView();
    SeenTracker *tracker = m_view->seenTracker();
    QSignalSpy spy(m_view.get(), &BlastRadiusView::itemsSeen);
    QCOMPARE(tracker->total(), 40);
    QTRY_VERIFY_WITH_TIMEOUT(tracker->seenCount() > 0, 30000);
    const int firstScreen = tracker->seenCount();
    QVERIFY2(firstScreen < 40, "the table must not show every row at once for this test");
    const QString last = coverage::nodeKey(m_view->impactedModel()->nodeAt(39));
    QVERIFY(!tracker->isSeen(last));
    table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum());
    QTRY_VERIFY_WITH_TIMEOUT(tracker->isSeen(last), 30000);
    QVERIFY(tracker->seenCount() > firstScreen);
    QStringList announced;
    for (const QList<QVariant> &call : spy)
        announced << call.at(0).toStringList();
    QVERIFY(announced.contains(last));
    QCOMPARE(announced.size(), tracker->seenCount()); // each key once
}

void TstBlastView::sameScopeKeepsSeenRows()
{
    showWide(3);
    m_view->show();
    QTRY_COMPARE_WITH_TIMEOUT(m_view->seenTracker()->seenCount(), 6, 30000);
    showWide(3); // a refresh of the same revision
    QCOMPARE(m_view->seenTracker()->seenCount(), 6);
    const RiskInput in = wideInput(3);
    m_view->setAssessment(RiskModel().assess(in), in.topology, BlastSubject{{}, {}, QStringLiteral("wide/2")});
    QCOMPARE(m_view->seenTracker()->seenCount(), 0);
}

void TstBlastView::unmappedResourcesAreListed()
{
    RiskInput in = wideInput(1);
    ChangedResource loose;
    loose.address = QStringLiteral("aws_s3_bucket.scratch");
    loose.type = QStringLiteral("aws_s3_bucket");
    loose.action = PlanAction::Create;
    loose.nodeId = QStringLiteral("terraform:aws_s3_bucket.scratch");
    in.topology.addNode(TopologyNode{loose.nodeId, QStringLiteral("terraform"), {}, {}, {}, {}, {}, 0, false,
                                     false, false, {}, {}, {}});
    in.changed.push_back(loose);
    const Assessment a = RiskModel().assess(in);
    QVERIFY(a.flag(QStringLiteral("UNMAPPED")));
    m_view->setAssessment(a, in.topology, BlastSubject{});
    const QString all = shownText(m_view.get());
    QVERIFY(all.contains(QStringLiteral("Unmapped resources")));
    QVERIFY(all.contains(QStringLiteral("aws_s3_bucket.scratch (create) → terraform:aws_s3_bucket.scratch")));
}

void TstBlastView::noAssessmentShowsNotAssessed()
{
    showRecreate();
    QVERIFY(m_view->hasAssessment());
    m_view->showNotAssessed();
    QVERIFY(!m_view->hasAssessment());
    QVERIFY(m_view->messageText().startsWith(QStringLiteral("Not assessed yet")));
    QCOMPARE(m_view->impactedModel()->rowCount(), 0);
    QCOMPARE(m_view->graphView()->nodeCount(), 0);
    QCOMPARE(m_view->seenTracker()->total(), 0);
}

void TstBlastView::workspaceShowsTheStoredAssessmentOrWhyNot()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString admin = QStringLiteral("hp-test-admin");
    const QString agent = QStringLiteral("hp-test-agent");
    CreateOptions options;
    options.adminLogin = admin;
    Result<std::unique_ptr<Store>> created =
        createStore(dir.filePath(QStringLiteral("hp.db")), options, testing::actor(admin));
    QVERIFY2(created.ok(), created ? "" : qPrintable(created.error().message));
    Store &store = **created;
    QVERIFY(store.addUser(testing::actor(admin), currentLogin(), RoleSet::of({Role::Reviewer})).ok());
    SubmitRequest request;
    request.proposal = testing::proposal(QStringLiteral("Bump the worker size"), QByteArray("+size = 3\n"));
    Result<SubmitResult> submitted = store.submit(testing::actor(agent), request);
    QVERIFY2(submitted.ok(), submitted ? "" : qPrintable(submitted.error().message));

    ReviewService service(store, currentLogin());
    QVERIFY(service.refresh().ok());
    ReviewWorkspace workspace(service);
    workspace.resize(1440, 900);
    workspace.show();
    QCOMPARE(workspace.sideTabs()->tabText(0), QStringLiteral("Blast radius"));
    QCOMPARE(workspace.sideTabs()->currentWidget(), workspace.blastView());
    QCOMPARE(workspace.currentChangeId(), submitted->changeId);

    // Whatever the store can give today: the assessment, "not assessed", or why it failed.
    Result<std::optional<StoredAssessment>> expected = store.assessment(submitted->changeId, 1);
    BlastRadiusView *blast = workspace.blastView();
    if (!expected) {
        QVERIFY(!blast->hasAssessment());
        QVERIFY2(blast->messageText().contains(expected.error().message), qPrintable(blast->messageText()));
    } else if (!expected->has_value()) {
        QVERIFY(blast->messageText().startsWith(QStringLiteral("Not assessed yet")));
    } else {
        QVERIFY(blast->hasAssessment());
        QCOMPARE(blast->scoreBadge()->score(), (*expected)->assessment.score);
    }
}

void TstBlastView::grabScreenshot()
{
    // Not an assertion of looks: writes the panel for people to inspect
    // (HP_BLAST_SCREENSHOT=path), and checks the grab is the widget's size.
    showRecreate(Impact::Medium, QStringLiteral("Recreate the reporting database and cache with larger "
                                                "instances; the API and the worker pick up the new endpoints."));
    const QStringList size = qEnvironmentVariable("HP_BLAST_SCREENSHOT_SIZE", QStringLiteral("560x900"))
                                 .split(u'x');
    m_view->resize(size.value(0).toInt(), size.value(1).toInt());
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    const int row = m_view->impactedModel()->rowForNode(comp("cost-console"));
    m_view->impactedView()->setCurrentIndex(m_view->impactedModel()->index(row, 0));
    QTRY_COMPARE_WITH_TIMEOUT(m_view->seenTracker()->seenCount(), 3, 30000);
    const QPixmap shot = m_view->grab();
    QCOMPARE(shot.size(), m_view->size());
    const QString path = qEnvironmentVariable("HP_BLAST_SCREENSHOT");
    if (path.isEmpty())
        return;
    QVERIFY(shot.save(path, "PNG"));
    // And a graph of 61 nodes, exported, to judge the layout at size.
    showWide(30);
    QApplication::processEvents();
    QVERIFY(m_view->graphView()->exportPng(QString(path).replace(QStringLiteral(".png"), QStringLiteral("-wide.png"))).ok());
    QVERIFY(m_view->grab().save(QString(path).replace(QStringLiteral(".png"), QStringLiteral("-wideview.png")), "PNG"));
}

QTEST_MAIN(TstBlastView)
#include "tst_blastview.moc"
