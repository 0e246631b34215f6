// The History workspace driven as a lead would: filters chosen in the filter
// bar change the table and every chart's series; a double-click asks to open
// the change; exports write what is shown. MainWindow shows History to leads.
#include "historytestrows.h"
#include "history/historyworkspace.h"
#include "itemmodels/csv.h"
#include "itemmodels/historymodel.h"
#include "mainwindow.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "storefixture.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace hp;

namespace {

QList<qreal> barValues(QChart *chart, int set)
{
    auto *series = static_cast<QAbstractBarSeries *>(chart->series().at(0));
    QList<qreal> values;
    const QBarSet *s = series->barSets().at(set);
    for (int i = 0; i < s->count(); ++i)
        values << s->at(i);
    return values;
}

QStringList categories(QChart *chart)
{
    for (QAbstractAxis *axis : chart->axes(Qt::Horizontal))
        if (auto *c = qobject_cast<QBarCategoryAxis *>(axis))
            return c->categories();
    return {};
}

// The charts follow a filter off the GUI thread: wait until they do.
bool chartsSettled(const HistoryWorkspace &ws)
{
    QDeadlineTimer deadline(10000);
    while (ws.chartsPending() && !deadline.hasExpired())
        QTest::qWait(5);
    return !ws.chartsPending();
}

HistoryWorkspace::Loader sampleLoader()
{
    return []() -> Result<std::vector<HistoryRow>> { return hp::testing::sampleHistory(); };
}

} // namespace

class TestHistoryWorkspace : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loadsOffTheGuiThreadAndFillsTheChoices()
    {
        HistoryWorkspace ws(sampleLoader());
        QSignalSpy loaded(&ws, &HistoryWorkspace::loaded);
        ws.reload();
        QVERIFY(loaded.wait(5000));
        QCOMPARE(loaded.at(0).at(0).toInt(), 8);
        QCOMPARE(ws.model()->rowCount(), 8);
        auto *agents = ws.findChild<QComboBox *>(QStringLiteral("agentFilter"));
        QCOMPARE(agents->count(), 4); // all, a, b, c
        auto *reviewers = ws.findChild<QComboBox *>(QStringLiteral("reviewerFilter"));
        QCOMPARE(reviewers->count(), 5); // all, lena, rex, rita, tom
        QVERIFY(chartsSettled(ws));
        QChart *rates = ws.charts()->chart(HistoryChart::AgentRates);
        QCOMPARE(categories(rates), hp::testing::ids("a b c"));
        QCOMPARE(barValues(rates, 1), (QList<qreal>{100.0 * (1.0 / 3.0), 0.0, 100.0 * (1.0 / 2.0)})); // rejected %
    }

    void agentFilterChangesTableAndEverySeries()
    {
        HistoryWorkspace ws(sampleLoader());
        ws.setRows(hp::testing::sampleHistory());
        auto *agents = ws.findChild<QComboBox *>(QStringLiteral("agentFilter"));
        agents->setCurrentIndex(agents->findData(QStringLiteral("a")));
        QCOMPARE(ws.model()->rowCount(), 3);
        QVERIFY(chartsSettled(ws));

        QChart *perDay = ws.charts()->chart(HistoryChart::DecisionsPerDay);
        // The top area (failed) stacks every outcome: 2 decisions on 05-06, 1 on 05-14.
        auto *top = static_cast<QAreaSeries *>(perDay->series().last());
        const QList<QPointF> days = top->upperSeries()->points();
        QCOMPARE(days.size(), 9);
        QCOMPARE(days.first().y(), 2.0);
        QCOMPARE(days.last().y(), 1.0);
        QCOMPARE(days.at(4).y(), 0.0);

        QChart *rates = ws.charts()->chart(HistoryChart::AgentRates);
        QCOMPARE(categories(rates), hp::testing::ids("a"));
        QCOMPARE(barValues(rates, 0), (QList<qreal>{100.0 * (2.0 / 3.0)}));

        QChart *failures = ws.charts()->chart(HistoryChart::AgentFailures);
        QCOMPARE(barValues(failures, 0), (QList<qreal>{0.0})); // applied
        QCOMPARE(barValues(failures, 1), (QList<qreal>{1.0})); // failed

        auto *times =
            static_cast<QLineSeries *>(ws.charts()->chart(HistoryChart::DecisionTime)->series().at(0));
        QCOMPARE(times->count(), 2); // weeks of 05-06 and 05-13
        QCOMPARE(times->at(0).y(), 315.0 / 3600.0); // median of 30 s and 600 s
        QCOMPARE(ws.charts()->fastestTable()->rowCount(), 2); // A and F
        QCOMPARE(ws.charts()->fastestTable()->item(0, 2)->text(), QStringLiteral("tom"));
    }

    void keyboardOnTheOutcomeFilterNarrowsToApproved()
    {
        HistoryWorkspace ws(sampleLoader());
        ws.setRows(hp::testing::sampleHistory());
        ws.show();
        QVERIFY(QTest::qWaitForWindowExposed(&ws));
        auto *outcome = ws.findChild<QComboBox *>(QStringLiteral("outcomeFilter"));
        outcome->setFocus();
        QTest::keyClick(outcome, Qt::Key_Down); // "All outcomes" → "approved"
        QCOMPARE(outcome->currentData().toString(), QStringLiteral("approved"));
        QCOMPARE(ws.model()->rowCount(), 1);
        QVERIFY(chartsSettled(ws));
        QChart *sla = ws.charts()->chart(HistoryChart::SlaWeeks);
        QCOMPARE(categories(sla).size(), 1);
        QCOMPARE(barValues(sla, 0), (QList<qreal>{0.0}));
        QChart *mix = ws.charts()->chart(HistoryChart::RiskMix);
        QCOMPARE(barValues(mix, 3), (QList<qreal>{1.0})); // one critical
    }

    void doubleClickAsksToOpenTheChange()
    {
        HistoryWorkspace ws(sampleLoader());
        ws.resize(1200, 800);
        ws.setRows(hp::testing::sampleHistory());
        ws.show();
        QVERIFY(QTest::qWaitForWindowExposed(&ws));
        QSignalSpy open(&ws, &HistoryWorkspace::openChangeRequested);
        QTableView *table = ws.table();
        const QRect cell = table->visualRect(ws.model()->index(2, HistoryModel::TitleColumn));
        QVERIFY(cell.isValid());
        // A real double-click: the first click selects, the second activates.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("F"));
    }

    void exportsWriteTheShownRowsAndTheChart()
    {
        QTemporaryDir dir;
        HistoryWorkspace ws(sampleLoader());
        ws.resize(1200, 800);
        ws.setRows(hp::testing::sampleHistory());
        auto *env = ws.findChild<QComboBox *>(QStringLiteral("environmentFilter"));
        env->setCurrentIndex(env->findData(QStringLiteral("staging")));
        const QString csvPath = dir.filePath(QStringLiteral("h.csv"));
        QVERIFY(ws.exportCsv(csvPath));
        QFile f(csvPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto records = csv::parse(QString::fromUtf8(f.readAll()));
        QCOMPARE(records.size(), size_t(3)); // header, D, C
        QCOMPARE(records[1][0], QStringLiteral("D"));
        ws.show();
        QVERIFY(QTest::qWaitForWindowExposed(&ws));
        const QString png = dir.filePath(QStringLiteral("c.png"));
        QVERIFY(ws.charts()->exportPng(HistoryChart::RiskMix, png));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 100);
        QVERIFY(!ws.exportCsv(dir.filePath(QStringLiteral("no/such/dir/h.csv"))));
    }

    void chartsFollowADarkPaletteAndKeepTheirData()
    {
        HistoryCharts charts;
        charts.update(hp::testing::sampleHistory(), {});
        QCOMPARE(int(charts.chart(HistoryChart::RiskMix)->theme()), int(QChart::ChartThemeLight));
        QPalette dark = charts.palette();
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x1c));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        charts.setPalette(dark);
        for (int c = 0; c < kHistoryChartCount; ++c)
            QCOMPARE(int(charts.chart(HistoryChart(c))->theme()), int(QChart::ChartThemeDark));
        // A theme resets series; the data is shown again with its own colours.
        QCOMPARE(barValues(charts.chart(HistoryChart::AgentFailures), 1),
                 (QList<qreal>{1.0, 1.0})); // failed: a and b
        auto *series = static_cast<QAbstractBarSeries *>(
            charts.chart(HistoryChart::AgentFailures)->series().at(0));
        QCOMPARE(series->barSets().at(1)->color(), QColor(0xd9, 0x3f, 0x3f));
    }

    void historyIsALeadsWorkspaceAndOpensChangesInReview()
    {
        hp::testing::StoreFixture f;
        f.addTeam();
        const QString id = f.submitAsBot();
        DecideRequest approve{id, DecisionAction::Approve, {}, 0};
        QVERIFY(f.store->decide(hp::testing::actor(QStringLiteral("rita")), approve).ok());
        {
            ReviewService service(*f.store, QStringLiteral("rita"));
            MainWindow window(service);
            QVERIFY(!window.historyShown());
            QVERIFY(!window.showWorkspace(QStringLiteral("history")));
        }
        ReviewService service(*f.store, QStringLiteral("lena"));
        MainWindow window(service);
        QVERIFY(window.historyShown());
        QCOMPARE(window.workspaces()->widget(0), static_cast<QWidget *>(window.reviewWorkspace()));
        QSignalSpy loaded(window.historyWorkspace(), &HistoryWorkspace::loaded);
        QVERIFY(window.showWorkspace(QStringLiteral("history")));
        QVERIFY(loaded.wait(5000));
        QCOMPARE(window.historyWorkspace()->model()->rowCount(), 1);
        Q_EMIT window.historyWorkspace()->openChangeRequested(id);
        QCOMPARE(window.workspaces()->currentWidget(),
                 static_cast<QWidget *>(window.reviewWorkspace()));
    }
};

QTEST_MAIN(TestHistoryWorkspace)
#include "tst_historyworkspace.moc"
