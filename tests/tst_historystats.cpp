// History statistics (models/review/historystats) over hand-made rows with
// hand-computed expectations (see historytestrows.h for the table).
#include "historytestrows.h"
#include "review/historystats.h"

#include <QtTest>

using namespace hp;
using hp::testing::at;

Q_DECLARE_METATYPE(hp::HistoryFilter)

namespace {
int idx(HistoryOutcome o)
{
    return static_cast<int>(o);
}
QStringList idsMatching(const HistoryFilter &f)
{
    QStringList ids;
    for (const HistoryRow &r : hp::testing::sampleHistory())
        if (f.matches(r))
            ids << r.changeId;
    return ids;
}
} // namespace

class TestHistoryStats : public QObject
{
    Q_OBJECT

    const std::vector<HistoryRow> rows = hp::testing::sampleHistory();

private Q_SLOTS:
    void filterCombinesEveryCriterion_data()
    {
        QTest::addColumn<HistoryFilter>("filter");
        QTest::addColumn<QStringList>("ids");
        auto f = [] { return HistoryFilter{}; };
        QTest::newRow("none") << f() << hp::testing::ids("A B C D E F G H");
        HistoryFilter agent = f();
        agent.agent = QStringLiteral("a");
        QTest::newRow("agent") << agent << hp::testing::ids("A B F");
        HistoryFilter env = f();
        env.environment = QStringLiteral("staging");
        QTest::newRow("environment") << env << hp::testing::ids("C D");
        HistoryFilter outcome = f();
        outcome.outcome = HistoryOutcome::Failed;
        QTest::newRow("outcome") << outcome << hp::testing::ids("D F");
        HistoryFilter reviewer = f();
        reviewer.reviewer = QStringLiteral("rita");
        QTest::newRow("reviewer") << reviewer << hp::testing::ids("B C F");
        HistoryFilter cls = f();
        cls.riskClass = Impact::High;
        QTest::newRow("class") << cls << hp::testing::ids("B D");
        HistoryFilter range = f();
        range.from = at(7, 0);
        range.to = at(14, 8); // inclusive
        QTest::newRow("time range") << range << hp::testing::ids("F G");
        HistoryFilter both = reviewer;
        both.agent = QStringLiteral("a");
        both.riskClass = Impact::Critical;
        QTest::newRow("reviewer+agent+class") << both << hp::testing::ids("F");
    }
    void filterCombinesEveryCriterion()
    {
        QFETCH(HistoryFilter, filter);
        QFETCH(QStringList, ids);
        QCOMPARE(idsMatching(filter), ids);
    }

    void decisionsPerDayCountsOutcomesOnAContinuousAxis()
    {
        const auto days = decisionsPerDay(rows, {});
        QCOMPARE(days.size(), size_t(16)); // 05-06 .. 05-21
        QCOMPARE(days.front().day, QDate(2024, 5, 6));
        QCOMPARE(days.back().day, QDate(2024, 5, 21));
        QCOMPARE(days[0].count[idx(HistoryOutcome::Approved)], 1);
        QCOMPARE(days[0].count[idx(HistoryOutcome::Rejected)], 1);
        QCOMPARE(days[0].total(), 2);
        QCOMPARE(days[1].count[idx(HistoryOutcome::Applied)], 1);
        QCOMPARE(days[2].count[idx(HistoryOutcome::Failed)], 1);
        QCOMPARE(days[2].count[idx(HistoryOutcome::Withdrawn)], 1);
        QCOMPARE(days[3].total(), 0); // a day without decisions is still on the axis
        QCOMPARE(days[8].count[idx(HistoryOutcome::Failed)], 1);
        QCOMPARE(days[15].count[idx(HistoryOutcome::Expired)], 1);
    }

    void decisionsPerDayFollowTheFilter()
    {
        HistoryFilter f;
        f.agent = QStringLiteral("a");
        const auto days = decisionsPerDay(rows, f);
        QCOMPARE(days.size(), size_t(9)); // 05-06 .. 05-14
        QCOMPARE(days[0].total(), 2);
        QCOMPARE(days[8].total(), 1);
        HistoryFilter none;
        none.agent = QStringLiteral("nobody");
        QVERIFY(decisionsPerDay(rows, none).empty());
    }

    void percentiles_data()
    {
        QTest::addColumn<QList<qint64>>("values");
        QTest::addColumn<double>("median");
        QTest::addColumn<double>("p90");
        QTest::newRow("empty") << QList<qint64>{} << 0.0 << 0.0;
        QTest::newRow("one") << QList<qint64>{7} << 7.0 << 7.0;
        QTest::newRow("even") << QList<qint64>{3600, 30, 600, 120} << 360.0 << 3600.0;
        QTest::newRow("odd") << QList<qint64>{5, 1, 3} << 3.0 << 5.0;
        QTest::newRow("ten") << QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} << 5.5 << 9.0;
    }
    void percentiles()
    {
        QFETCH(QList<qint64>, values);
        QFETCH(double, median);
        QFETCH(double, p90);
        const std::vector<qint64> v(values.begin(), values.end());
        QCOMPARE(medianOf(v), median);
        QCOMPARE(nearestRank(v, 0.9), p90);
    }

    void timeToDecisionPerWeekCountsHumanDecisionsOnly()
    {
        const auto weeks = decisionTimePerWeek(rows, {});
        QCOMPARE(weeks.size(), size_t(3));
        QCOMPARE(weeks[0].week, QDate(2024, 5, 6));
        QCOMPARE(weeks[0].count, 4); // E was withdrawn: no decision time
        QCOMPARE(weeks[0].medianSeconds, 360.0);
        QCOMPARE(weeks[0].p90Seconds, 3600.0);
        QCOMPARE(weeks[1].week, QDate(2024, 5, 13));
        QCOMPARE(weeks[1].medianSeconds, 7200.0);
        QCOMPARE(weeks[2].medianSeconds, 475.0);
        QCOMPARE(weeks[2].p90Seconds, 900.0);
    }

    void ratesPerAgentUseHumanDecisions()
    {
        const auto rates = ratesPerAgent(rows, {});
        QCOMPARE(rates.size(), size_t(3));
        QCOMPARE(rates[0].agent, QStringLiteral("a"));
        QCOMPARE(rates[0].decided, 3);
        QCOMPARE(rates[0].approved, 2); // A approved, F approved then failed
        QCOMPARE(rates[0].rejected, 1);
        QCOMPARE(rates[0].rejectionRate(), 1.0 / 3.0);
        QCOMPARE(rates[1].agent, QStringLiteral("b"));
        QCOMPARE(rates[1].decided, 3);
        QCOMPARE(rates[1].approved, 2);
        QCOMPARE(rates[1].approvalRate(), 1.0);
        QCOMPARE(rates[2].agent, QStringLiteral("c"));
        QCOMPARE(rates[2].approvalRate(), 0.5); // H was approved, then expired
    }

    void riskMixPerWeekIncludesUnassessed()
    {
        const auto mix = riskMixPerWeek(rows, {});
        QCOMPARE(mix.size(), size_t(3));
        const std::array<int, kRiskBucketCount> w1{1, 0, 2, 1, 1}, w2{0, 0, 0, 1, 0},
            w3{0, 2, 0, 0, 0};
        QCOMPARE(mix[0].count, w1);
        QCOMPARE(mix[1].count, w2);
        QCOMPARE(mix[2].count, w3);
        QCOMPARE(riskBucketName(4), QStringLiteral("unassessed"));
        QCOMPARE(riskBucketName(3), QStringLiteral("critical"));
    }

    void slaBreachesAndEscalationsPerWeek()
    {
        const auto sla = slaPerWeek(rows, {});
        QCOMPARE(sla.size(), size_t(3));
        QCOMPARE(sla[0].decided, 5);
        QCOMPARE(sla[0].breaches, 1);
        QCOMPARE(sla[0].escalations, 0);
        QCOMPARE(sla[1].breaches, 1);
        QCOMPARE(sla[1].escalations, 1);
        QCOMPARE(sla[2].decided, 2);
        QCOMPARE(sla[2].breaches, 0);
    }

    void fastestApprovalsOfHighAndCriticalChanges()
    {
        const auto fast = fastestApprovals(rows, {}, 2);
        QCOMPARE(fast.size(), size_t(2));
        QCOMPARE(fast[0].changeId, QStringLiteral("A"));
        QCOMPARE(fast[0].seconds, 30);
        QCOMPARE(fast[0].reviewer, QStringLiteral("tom"));
        QCOMPARE(fast[1].changeId, QStringLiteral("D"));
        const auto all = fastestApprovals(rows, {}, 10);
        QCOMPARE(all.size(), size_t(3)); // B is high but rejected
        QCOMPARE(all[2].reviewer, QStringLiteral("lena, rita"));
        HistoryFilter rita;
        rita.reviewer = QStringLiteral("rita");
        QCOMPARE(fastestApprovals(rows, rita, 10).size(), size_t(1));
    }

    void appliedThenFailedPerAgent()
    {
        const auto failures = failuresPerAgent(rows, {});
        QCOMPARE(failures.size(), size_t(2)); // c reported nothing
        QCOMPARE(failures[0].agent, QStringLiteral("a"));
        QCOMPARE(failures[0].failed, 1);
        QCOMPARE(failures[0].applied, 0);
        QCOMPARE(failures[0].failureRate(), 1.0);
        QCOMPARE(failures[1].agent, QStringLiteral("b"));
        QCOMPARE(failures[1].failureRate(), 0.5);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStats)
#include "tst_historystats.moc"
