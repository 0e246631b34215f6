// The History table model: typed filters, a typed stable sort on every
// column, CSV export that round-trips and defuses formulas; checked under
// QAbstractItemModelTester.
#include "historytestrows.h"
#include "itemmodels/csv.h"
#include "itemmodels/historymodel.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace hp;

class TestHistoryModel : public QObject
{
    Q_OBJECT

private:
    static QStringList shownIds(const HistoryModel &m)
    {
        QStringList ids;
        for (int r = 0; r < m.rowCount(); ++r)
            ids << m.index(r, 0).data(HistoryModel::IdRole).toString();
        return ids;
    }

private Q_SLOTS:
    void startsNewestFirstWithEveryColumn()
    {
        HistoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setRows(hp::testing::sampleHistory());
        QCOMPARE(m.rowCount(), 8);
        QCOMPARE(m.columnCount(), int(HistoryModel::ColumnCount));
        QCOMPARE(shownIds(m), hp::testing::ids("H G F E D C B A"));
        const int f = 2; // F: failed critical, lena and rita, 2 h, breached
        QCOMPARE(m.index(f, HistoryModel::DecidedColumn).data().toString(),
                 QStringLiteral("2024-05-14 10:00"));
        QCOMPARE(m.index(f, HistoryModel::ClassColumn).data().toString(), QStringLiteral("critical"));
        QCOMPARE(m.index(f, HistoryModel::OutcomeColumn).data().toString(), QStringLiteral("failed"));
        QCOMPARE(m.index(f, HistoryModel::DecidersColumn).data().toString(),
                 QStringLiteral("lena, rita"));
        QCOMPARE(m.index(f, HistoryModel::TimeToDecisionColumn).data().toString(),
                 QStringLiteral("2h 00m"));
        QCOMPARE(m.index(f, HistoryModel::SlaColumn).data().toString(), QStringLiteral("breached"));
        QCOMPARE(m.index(3, HistoryModel::ScoreColumn).data().toString(), QString()); // unassessed
    }

    void filtersCombineAndKeepTheSortOrder()
    {
        HistoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setRows(hp::testing::sampleHistory());
        m.sort(HistoryModel::TimeToDecisionColumn, Qt::AscendingOrder);
        HistoryFilter f;
        f.agent = QStringLiteral("a");
        m.setFilter(f);
        QCOMPARE(shownIds(m), hp::testing::ids("A B F"));
        f.reviewer = QStringLiteral("rita");
        m.setFilter(f);
        QCOMPARE(shownIds(m), hp::testing::ids("B F"));
        f.riskClass = Impact::Critical;
        m.setFilter(f);
        QCOMPARE(shownIds(m), hp::testing::ids("F"));
        m.setFilter({});
        QCOMPARE(m.rowCount(), 8);
        QCOMPARE(m.rowAt(0)->changeId, QStringLiteral("A"));
        QVERIFY(m.rowAt(8) == nullptr);
    }

    void sortsEveryColumnStably_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QStringList>("ids");
        const int asc = Qt::AscendingOrder;
        // From the initial order H G F E D C B A (newest first); ties keep it.
        QTest::newRow("decided") << int(HistoryModel::DecidedColumn) << asc
                                 << hp::testing::ids("A B C D E F G H");
        QTest::newRow("title") << int(HistoryModel::TitleColumn) << asc
                               << hp::testing::ids("A B C D E F G H");
        QTest::newRow("agent") << int(HistoryModel::AgentColumn) << asc
                               << hp::testing::ids("F B A E D C H G");
        QTest::newRow("operator") << int(HistoryModel::OperatorColumn) << asc
                                  << hp::testing::ids("F B A E D C H G");
        QTest::newRow("environment") << int(HistoryModel::EnvironmentColumn) << asc
                                     << hp::testing::ids("H G F E B A D C");
        QTest::newRow("class") << int(HistoryModel::ClassColumn) << asc
                               << hp::testing::ids("E C H G D B F A");
        QTest::newRow("score") << int(HistoryModel::ScoreColumn) << asc
                               << hp::testing::ids("E C H G D B F A");
        QTest::newRow("outcome") << int(HistoryModel::OutcomeColumn) << asc
                                 << hp::testing::ids("A G B H E C F D");
        QTest::newRow("deciders") << int(HistoryModel::DecidersColumn) << asc
                                  << hp::testing::ids("E F H G C B D A");
        QTest::newRow("time to decision")
            << int(HistoryModel::TimeToDecisionColumn) << asc
            << hp::testing::ids("A H E D B G C F");
        QTest::newRow("time to decision, descending")
            << int(HistoryModel::TimeToDecisionColumn) << int(Qt::DescendingOrder)
            << hp::testing::ids("F C G B D E H A");
        QTest::newRow("sla") << int(HistoryModel::SlaColumn) << asc
                             << hp::testing::ids("F E H G D C B A");
    }
    void sortsEveryColumnStably()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QStringList, ids);
        HistoryModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setRows(hp::testing::sampleHistory());
        const QPersistentModelIndex followed = m.index(0, 1); // H
        m.sort(column, static_cast<Qt::SortOrder>(order));
        QCOMPARE(shownIds(m), ids);
        QCOMPARE(followed.data(HistoryModel::IdRole).toString(), QStringLiteral("H"));
        QCOMPARE(m.sortColumn(), column);
    }

    void csvRoundTripsEveryFieldAndDefusesFormulas()
    {
        std::vector<HistoryRow> rows = hp::testing::sampleHistory();
        rows[0].title = QStringLiteral("Scale \"api\", then\r\nrestart");
        rows[1].title = QStringLiteral("=HYPERLINK(\"http://x\")");
        rows[2].agentPrincipal = QStringLiteral("@bot");
        rows[3].title = QStringLiteral("-1+2");
        HistoryModel m;
        m.setRows(rows);
        m.sort(HistoryModel::TitleColumn, Qt::AscendingOrder);
        const std::vector<QStringList> parsed = csv::parse(m.toCsv());
        QCOMPARE(parsed.size(), size_t(9));
        QCOMPARE(parsed[0], HistoryModel::csvHeader());
        for (int r = 0; r < m.rowCount(); ++r) {
            QStringList expected = HistoryModel::csvFields(*m.rowAt(r));
            for (QString &field : expected) {
                if (field.startsWith(u'=') || field.startsWith(u'+') || field.startsWith(u'-') ||
                    field.startsWith(u'@'))
                    field.prepend(u'\'');
            }
            QCOMPARE(parsed[size_t(r) + 1], expected);
        }
        // The first row by title is the formula; it comes back as text.
        QCOMPARE(parsed[1][2], QStringLiteral("'-1+2"));
        QVERIFY(m.toCsv().contains(QStringLiteral("\"Scale \"\"api\"\", then\r\nrestart\"")));
    }

    // An agent's title is never interpreted as markup, tooltips included.
    void titleToolTipIsPlainText()
    {
        std::vector<HistoryRow> rows = hp::testing::sampleHistory();
        rows[0].title = QStringLiteral("<img src=x><b>drop</b> & run");
        HistoryModel m;
        m.setRows(rows);
        for (int r = 0; r < m.rowCount(); ++r) {
            if (m.rowAt(r)->title != rows[0].title)
                continue;
            const QString tip = m.data(m.index(r, HistoryModel::TitleColumn), Qt::ToolTipRole).toString();
            QVERIFY2(tip.contains(QStringLiteral("&lt;img src=x&gt;&lt;b&gt;drop&lt;/b&gt; &amp; run")), qPrintable(tip));
            QVERIFY(!tip.contains(QStringLiteral("<img")));
            return;
        }
        QFAIL("row not found");
    }

    void csvExportsOnlyTheFilteredRows()
    {
        HistoryModel m;
        m.setRows(hp::testing::sampleHistory());
        HistoryFilter f;
        f.outcome = HistoryOutcome::Failed;
        m.setFilter(f);
        const std::vector<QStringList> parsed = csv::parse(m.toCsv());
        QCOMPARE(parsed.size(), size_t(3));
        QCOMPARE(parsed[1][0], QStringLiteral("F"));
        QCOMPARE(parsed[2][0], QStringLiteral("D"));
        QCOMPARE(parsed[1][8], QStringLiteral("failed"));
        QCOMPARE(parsed[1][10], QStringLiteral("lena;rita"));
    }

    void csvFieldQuoting_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("written");
        QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("abc");
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("formula") << QStringLiteral("=1+1") << QStringLiteral("'=1+1");
        QTest::newRow("plus") << QStringLiteral("+1") << QStringLiteral("'+1");
        QTest::newRow("at, comma") << QStringLiteral("@a,b") << QStringLiteral("\"'@a,b\"");
        QTest::newRow("empty") << QString() << QString();
    }
    void csvFieldQuoting()
    {
        QFETCH(QString, value);
        QFETCH(QString, written);
        QCOMPARE(csv::field(value), written);
    }
};

QTEST_GUILESS_MAIN(TestHistoryModel)
#include "tst_historymodel.moc"
