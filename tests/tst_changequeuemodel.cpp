#include "itemmodels/changequeuefilter.h"
#include "itemmodels/changequeuemodel.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <limits>

using namespace hp;

namespace {

const QDateTime kNow = QDateTime(QDate(2025, 12, 10), QTime(12, 0), Qt::UTC);

ChangeSummary change(const QString &id, ChangeStatus status, int minutesOld, bool escalated = false)
{
    ChangeSummary c;
    c.id = id;
    c.title = QStringLiteral("Change %1").arg(id);
    c.agentPrincipal = QStringLiteral("agent-%1").arg(id);
    c.agentName = QStringLiteral("bot");
    c.operatorLogin = QStringLiteral("olive");
    c.environment = QStringLiteral("staging");
    c.target = QStringLiteral("aws:123/eu-west-1");
    c.createdAt = kNow.addSecs(-60LL * minutesOld);
    c.updatedAt = c.createdAt;
    c.verdict.status = status;
    c.verdict.escalated = escalated;
    return c;
}

QStringList shownIds(const ChangeQueueModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.index(row, 0).data(ChangeQueueModel::IdRole).toString();
    return ids;
}

ChangeSummary assessed(ChangeSummary c, Impact cls, int score, int deadlineMinutes)
{
    c.riskClass = cls;
    c.riskScore = score;
    c.deadline = kNow.addSecs(60LL * deadlineMinutes);
    return c;
}

// The default order spelled out independently of the model's comparator:
// pending by class (critical first, unassessed last), deadline (none last),
// id; then decided, youngest first.
QStringList expectedOrder(std::vector<ChangeSummary> changes)
{
    auto pending = [](const ChangeSummary &c) { return c.verdict.status == ChangeStatus::Pending; };
    auto cls = [](const ChangeSummary &c) { return c.riskClass ? int(*c.riskClass) : -1; };
    auto deadline = [](const ChangeSummary &c) {
        return c.deadline.isValid() ? c.deadline.toSecsSinceEpoch()
                                    : std::numeric_limits<qint64>::max();
    };
    std::sort(changes.begin(), changes.end(), [&](const ChangeSummary &a, const ChangeSummary &b) {
        if (pending(a) != pending(b))
            return pending(a);
        if (pending(a)) {
            if (cls(a) != cls(b))
                return cls(a) > cls(b);
            if (deadline(a) != deadline(b))
                return deadline(a) < deadline(b);
        } else if (a.createdAt != b.createdAt) {
            return a.createdAt > b.createdAt;
        }
        return a.id < b.id;
    });
    QStringList ids;
    for (const ChangeSummary &c : changes)
        ids << c.id;
    return ids;
}

std::vector<ChangeSummary> sampleQueue()
{
    std::vector<ChangeSummary> v{
        assessed(change(QStringLiteral("A"), ChangeStatus::Approved, 300), Impact::Critical, 90, -200),
        assessed(change(QStringLiteral("B"), ChangeStatus::Pending, 10), Impact::Low, 12, 50),
        assessed(change(QStringLiteral("C"), ChangeStatus::Pending, 50, true), Impact::High, 55, 10),
        assessed(change(QStringLiteral("D"), ChangeStatus::Rejected, 20), Impact::Medium, 30, 40),
        assessed(change(QStringLiteral("E"), ChangeStatus::Pending, 90), Impact::Critical, 80, 120),
        assessed(change(QStringLiteral("F"), ChangeStatus::Pending, 5, true), Impact::High, 60, 5)};
    v[0].updatedAt = kNow.addSecs(-60); // decided a minute ago, proposed long before D
    v[4].environment = QStringLiteral("production");
    v[1].title = QStringLiteral("Rotate the RDS master password");
    return v;
}

} // namespace

class TestChangeQueueModel : public QObject
{
    Q_OBJECT

private:
    ChangeQueueModel::Clock clock() const
    {
        return [] { return kNow; };
    }

private Q_SLOTS:
    void defaultOrderIsPendingByClassThenDeadlineThenDecidedYoungestFirst()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges(sampleQueue());
        // E critical; F and C high, F due first; B low; then D and A decided.
        QCOMPARE(shownIds(model),
                 (QStringList{QStringLiteral("E"), QStringLiteral("F"), QStringLiteral("C"),
                              QStringLiteral("B"), QStringLiteral("D"), QStringLiteral("A")}));
        QCOMPARE(model.firstPendingRow(), 0);
    }

    void unassessedAndUndatedPendingChangesComeLastInTheirRank()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ChangeSummary> v = sampleQueue();
        v.push_back(change(QStringLiteral("U"), ChangeStatus::Pending, 500)); // never assessed
        ChangeSummary undated = assessed(change(QStringLiteral("0"), ChangeStatus::Pending, 1),
                                         Impact::High, 50, 0);
        undated.deadline = QDateTime();
        v.push_back(undated);
        ChangeSummary sameDeadline = assessed(change(QStringLiteral("C0"), ChangeStatus::Pending, 2),
                                              Impact::High, 45, 10);
        v.push_back(sameDeadline);
        model.setChanges(v);
        QCOMPARE(shownIds(model),
                 (QStringList{QStringLiteral("E"), QStringLiteral("F"), QStringLiteral("C"),
                              QStringLiteral("C0"), QStringLiteral("0"), QStringLiteral("B"),
                              QStringLiteral("U"), QStringLiteral("D"), QStringLiteral("A")}));
        QCOMPARE(shownIds(model), expectedOrder(v));
        QCOMPARE(model.index(model.rowForId(QStringLiteral("U")), ChangeQueueModel::RiskColumn)
                     .data()
                     .toString(),
                 QString());
        QVERIFY(!model.index(model.rowForId(QStringLiteral("U")), 0)
                     .data(ChangeQueueModel::RiskClassRole)
                     .isValid());
    }

    void columnsShowRiskStatusTitleAgentEnvironmentApprovalsAge()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ChangeSummary> v{assessed(
            change(QStringLiteral("X"), ChangeStatus::Pending, 125, true), Impact::Critical, 74, 15)};
        v[0].riskFlags = QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")};
        v[0].verdict.countedApprovals = 1;
        v[0].verdict.requiredApprovals = 2;
        v[0].declaredImpact = Impact::High;
        model.setChanges(v);
        auto cell = [&model](int column, int role = Qt::DisplayRole) {
            return model.index(0, column).data(role);
        };
        QCOMPARE(int(ChangeQueueModel::RiskColumn), 0);
        QCOMPARE(model.headerData(ChangeQueueModel::RiskColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Risk"));
        QCOMPARE(cell(ChangeQueueModel::RiskColumn).toString(), QStringLiteral("74 critical"));
        QCOMPARE(cell(ChangeQueueModel::RiskColumn, ChangeQueueModel::RawValueRole).toInt(), 74);
        QCOMPARE(cell(0, ChangeQueueModel::RiskClassRole).toInt(), static_cast<int>(Impact::Critical));
        QCOMPARE(cell(0, ChangeQueueModel::RiskScoreRole).toInt(), 74);
        QCOMPARE(cell(0, ChangeQueueModel::RiskFlagsRole).toStringList(), v[0].riskFlags);
        QCOMPARE(cell(0, ChangeQueueModel::DeadlineRole).toDateTime(), kNow.addSecs(15 * 60));
        QVERIFY(cell(ChangeQueueModel::RiskColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("DATA_LOSS, CASCADE")));
        QCOMPARE(cell(ChangeQueueModel::StatusColumn).toString(),
                 QStringLiteral("pending · escalated"));
        QCOMPARE(cell(ChangeQueueModel::TitleColumn).toString(), QStringLiteral("Change X"));
        QCOMPARE(cell(ChangeQueueModel::AgentColumn).toString(), QStringLiteral("agent-X"));
        QCOMPARE(cell(ChangeQueueModel::EnvironmentColumn).toString(), QStringLiteral("staging"));
        QCOMPARE(cell(ChangeQueueModel::ApprovalsColumn).toString(), QStringLiteral("1/2"));
        QCOMPARE(cell(ChangeQueueModel::AgeColumn).toString(), QStringLiteral("2h"));
        QCOMPARE(cell(ChangeQueueModel::DueColumn).toString(), QStringLiteral("15m"));
        QCOMPARE(cell(ChangeQueueModel::DueColumn, ChangeQueueModel::RawValueRole).toDateTime(),
                 kNow.addSecs(15 * 60));
        QCOMPARE(cell(0, ChangeQueueModel::OverdueRole).toBool(), false);
        QCOMPARE(cell(0, ChangeQueueModel::IdRole).toString(), QStringLiteral("X"));
        QCOMPARE(cell(ChangeQueueModel::StatusColumn, ChangeQueueModel::RawValueRole).toInt(),
                 static_cast<int>(ChangeStatus::Pending));
        QCOMPARE(cell(ChangeQueueModel::AgeColumn, ChangeQueueModel::RawValueRole).toDateTime(),
                 v[0].createdAt);
        QCOMPARE(cell(0, ChangeQueueModel::EscalatedRole).toBool(), true);
        QCOMPARE(cell(0, ChangeQueueModel::CountedApprovalsRole).toInt(), 1);
        QCOMPARE(cell(0, ChangeQueueModel::RequiredApprovalsRole).toInt(), 2);
        QCOMPARE(cell(0, ChangeQueueModel::ImpactRole).toInt(), static_cast<int>(Impact::High));
        QCOMPARE(int(ChangeQueueModel::IdRole), int(Qt::UserRole) + 1);
    }

    void dueColumnCountsDownOnlyForPendingChanges()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges(sampleQueue());
        auto due = [&model](const char *id, int role = Qt::DisplayRole) {
            return model.index(model.rowForId(QLatin1String(id)), ChangeQueueModel::DueColumn)
                .data(role);
        };
        QCOMPARE(due("E").toString(), QStringLiteral("2h"));
        QCOMPARE(due("F").toString(), QStringLiteral("5m"));
        QCOMPARE(due("A").toString(), QString()); // decided: no countdown
        QCOMPARE(due("D").toString(), QString());
        std::vector<ChangeSummary> v = sampleQueue();
        v[1].deadline = kNow.addSecs(-3 * 3600 - 60);
        model.setChanges(v);
        QCOMPARE(due("B").toString(), QStringLiteral("-3h"));
        QCOMPARE(due("B", ChangeQueueModel::OverdueRole).toBool(), true);
        QCOMPARE(due("E", ChangeQueueModel::OverdueRole).toBool(), false);
        model.sort(ChangeQueueModel::DueColumn, Qt::AscendingOrder);
        QCOMPARE(shownIds(model).front(), QStringLiteral("A")); // its deadline passed long ago
        QCOMPARE(shownIds(model).at(1), QStringLiteral("B"));
    }

    void untrustedTextStaysRaw()
    {
        ChangeQueueModel model(nullptr, clock());
        std::vector<ChangeSummary> v{change(QStringLiteral("X"), ChangeStatus::Pending, 1)};
        v[0].title = QStringLiteral("<b>x</b> \u202Egnp.exe");
        model.setChanges(v);
        QCOMPARE(model.index(0, ChangeQueueModel::TitleColumn).data().toString(), v[0].title);
        QVERIFY(!model.index(0, ChangeQueueModel::TitleColumn).data(Qt::ToolTipRole).isValid());
    }

    void approvalsText_data()
    {
        QTest::addColumn<int>("counted");
        QTest::addColumn<int>("required");
        QTest::addColumn<QString>("text");
        QTest::newRow("none of one") << 0 << 1 << QStringLiteral("0/1");
        QTest::newRow("one of one") << 1 << 1 << QStringLiteral("1/1");
        QTest::newRow("one of two") << 1 << 2 << QStringLiteral("1/2");
    }

    void approvalsText()
    {
        QFETCH(int, counted);
        QFETCH(int, required);
        QFETCH(QString, text);
        Verdict v;
        v.countedApprovals = counted;
        v.requiredApprovals = required;
        QCOMPARE(ChangeQueueModel::approvalsText(v), text);
    }

    void ageText_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("seconds") << qint64(59) << QStringLiteral("<1m");
        QTest::newRow("minutes") << qint64(3599) << QStringLiteral("59m");
        QTest::newRow("hours") << qint64(47 * 3600) << QStringLiteral("47h");
        QTest::newRow("days") << qint64(5 * 86400 + 7) << QStringLiteral("5d");
    }

    void ageText()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(ChangeQueueModel::ageText(seconds), text);
    }

    void countsTextSaysPendingEscalatedAndShown()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges(sampleQueue());
        QCOMPARE(model.countsText(), QStringLiteral("4 pending (2 escalated) · 6 changes"));
        model.setFilterText(QStringLiteral("production"));
        QCOMPARE(model.countsText(), QStringLiteral("4 pending (2 escalated) · 1 of 6 shown"));
        model.setChanges({change(QStringLiteral("Z"), ChangeStatus::Approved, 3)});
        model.setFilterText({});
        QCOMPARE(model.countsText(), QStringLiteral("0 pending · 1 change"));
    }

    void filterMatchesEveryTermInSomeField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("matches");
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("blank") << QStringLiteral("   ") << true;
        QTest::newRow("title, any case") << QStringLiteral("rds MASTER") << true;
        QTest::newRow("agent") << QStringLiteral("tf-bot") << true;
        QTest::newRow("operator") << QStringLiteral("olive") << true;
        QTest::newRow("environment") << QStringLiteral("prod") << true;
        QTest::newRow("target") << QStringLiteral("eu-west-1") << true;
        QTest::newRow("status") << QStringLiteral("pending") << true;
        QTest::newRow("escalated") << QStringLiteral("escalated") << true;
        QTest::newRow("impact") << QStringLiteral("critical") << true;
        QTest::newRow("risk class") << QStringLiteral("high") << true;
        QTest::newRow("flag, any case") << QStringLiteral("data_loss") << true;
        QTest::newRow("flag part") << QStringLiteral("SECUR") << true;
        QTest::newRow("flag not raised") << QStringLiteral("cascade") << false;
        QTest::newRow("id") << QStringLiteral("01JXYZ") << true;
        QTest::newRow("terms in different fields") << QStringLiteral("olive\tprod") << true;
        QTest::newRow("one term missing") << QStringLiteral("rds staging") << false;
        QTest::newRow("approved") << QStringLiteral("approved") << false;
    }

    void filterMatchesEveryTermInSomeField()
    {
        QFETCH(QString, text);
        QFETCH(bool, matches);
        ChangeSummary c = change(QStringLiteral("01JXYZ"), ChangeStatus::Pending, 1, true);
        c.title = QStringLiteral("Rotate the RDS master password");
        c.agentPrincipal = QStringLiteral("tf-bot");
        c.environment = QStringLiteral("production");
        c.declaredImpact = Impact::Critical;
        c.riskClass = Impact::High;
        c.riskScore = 60;
        c.riskFlags = QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("SECURITY")};
        QCOMPARE(ChangeQueueFilter(text).matches(c), matches);
    }

    void filterShowsMatchingRowsInOrderAndClearsBack()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges(sampleQueue());
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        model.setFilterText(QStringLiteral("pending"));
        QCOMPARE(shownIds(model), (QStringList{QStringLiteral("E"), QStringLiteral("F"),
                                               QStringLiteral("C"), QStringLiteral("B")}));
        model.setFilterText(QStringLiteral("high"));
        QCOMPARE(shownIds(model), (QStringList{QStringLiteral("F"), QStringLiteral("C")}));
        model.setFilterText(QStringLiteral("rotate"));
        QCOMPARE(shownIds(model), QStringList{QStringLiteral("B")});
        QCOMPARE(model.rowForId(QStringLiteral("C")), -1);
        model.setFilterText({});
        QCOMPARE(shownIds(model), expectedOrder(sampleQueue()));
        QCOMPARE(resets.count(), 0);
    }

    void updateInPlaceKeepsSelectionById()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ChangeSummary> v = sampleQueue();
        model.setChanges(v);
        QItemSelectionModel selection(&model);
        const int rowOfE = model.rowForId(QStringLiteral("E"));
        selection.setCurrentIndex(model.index(rowOfE, 1),
                                  QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // E gets approved: it leaves the pending block and moves down.
        v[4].verdict.status = ChangeStatus::Approved;
        v[4].verdict.countedApprovals = 1;
        v[4].updatedAt = kNow;
        model.setChanges(v);

        QCOMPARE(resets.count(), 0);
        QCOMPARE(layouts.count(), 1);
        QVERIFY(changed.count() >= 1);
        QCOMPARE(model.rowCount(), 6);
        QCOMPARE(shownIds(model), expectedOrder(v));
        QVERIFY(model.rowForId(QStringLiteral("E")) != rowOfE);
        QCOMPARE(selection.currentIndex().data(ChangeQueueModel::IdRole).toString(),
                 QStringLiteral("E"));
        QCOMPARE(selection.selectedRows().size(), 1);
        QCOMPARE(selection.selectedRows().front().data(ChangeQueueModel::IdRole).toString(),
                 QStringLiteral("E"));
        QCOMPARE(model.index(model.rowForId(QStringLiteral("E")), ChangeQueueModel::ApprovalsColumn)
                     .data()
                     .toString(),
                 QStringLiteral("1/1"));
    }

    void newAndVanishedChangesMoveRowsWithoutReset()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<ChangeSummary> v = sampleQueue();
        model.setChanges(v);
        QPersistentModelIndex b(model.index(model.rowForId(QStringLiteral("B")), 0));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        v.erase(v.begin() + 2);                                                // C disappears
        // G critical and due first: the top row; H never assessed: the last pending row.
        v.push_back(
            assessed(change(QStringLiteral("G"), ChangeStatus::Pending, 1000), Impact::Critical, 95, 1));
        v.push_back(change(QStringLiteral("H"), ChangeStatus::Pending, 0));
        model.setChanges(v);

        QCOMPARE(resets.count(), 0);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(shownIds(model), expectedOrder(v));
        QVERIFY(b.isValid());
        QCOMPARE(b.data(ChangeQueueModel::IdRole).toString(), QStringLiteral("B"));
    }

    void sortByColumnThenBackToDefault()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChanges(sampleQueue());
        model.sort(ChangeQueueModel::EnvironmentColumn, Qt::DescendingOrder);
        QCOMPARE(shownIds(model).front(),
                 QStringLiteral("F")); // staging > production; ties keep the default order
        QCOMPARE(shownIds(model).back(), QStringLiteral("E"));
        model.sort(ChangeQueueModel::RiskColumn, Qt::DescendingOrder);
        QCOMPARE(shownIds(model),
                 (QStringList{QStringLiteral("A"), QStringLiteral("E"), QStringLiteral("F"),
                              QStringLiteral("C"), QStringLiteral("D"), QStringLiteral("B")}));
        model.sort(ChangeQueueModel::AgeColumn, Qt::AscendingOrder);
        QCOMPARE(shownIds(model).front(), QStringLiteral("F")); // youngest
        QCOMPARE(shownIds(model).back(), QStringLiteral("A"));  // oldest
        model.sort(-1);
        QCOMPARE(shownIds(model), expectedOrder(sampleQueue()));
    }

    void randomUpdatesAlwaysEndInTheDefaultOrder()
    {
        ChangeQueueModel model(nullptr, clock());
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QRandomGenerator random(42);
        const std::array<ChangeStatus, 3> statuses{ChangeStatus::Pending, ChangeStatus::Approved,
                                                   ChangeStatus::Rejected};
        for (int round = 0; round < 40; ++round) {
            std::vector<ChangeSummary> v;
            for (int i = 0; i < 120; ++i) {
                if (random.bounded(3) == 0)
                    continue;
                ChangeSummary c = change(QStringLiteral("c%1").arg(i, 3, 10, QLatin1Char('0')),
                                         statuses[random.bounded(3)], random.bounded(500),
                                         random.bounded(4) == 0);
                if (const int cls = random.bounded(5); cls < 4)
                    c = assessed(c, static_cast<Impact>(cls), random.bounded(101),
                                 random.bounded(3) == 0 ? 60 : random.bounded(-100, 100));
                if (random.bounded(6) == 0)
                    c.deadline = QDateTime();
                v.push_back(c);
            }
            const bool pendingOnly = round % 3 == 0;
            model.setFilterText(pendingOnly ? QStringLiteral("pending") : QString());
            model.setChanges(v);
            if (pendingOnly)
                std::erase_if(v, [](const ChangeSummary &c) {
                    return c.verdict.status != ChangeStatus::Pending;
                });
            QCOMPARE(shownIds(model), expectedOrder(v));
        }
    }
};

QTEST_GUILESS_MAIN(TestChangeQueueModel)
#include "tst_changequeuemodel.moc"
