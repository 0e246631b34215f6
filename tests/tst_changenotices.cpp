#include "review/changenotices.h"

#include <QTest>

using namespace hp;

namespace {

ChangeSummary change(const QString &id, std::optional<Impact> riskClass, bool escalated = false,
                     ChangeStatus status = ChangeStatus::Pending)
{
    ChangeSummary c;
    c.id = id;
    c.title = QStringLiteral("title of ") + id;
    c.riskClass = riskClass;
    c.verdict.escalated = escalated;
    c.verdict.status = status;
    return c;
}

QStringList described(const std::vector<ChangeNotice> &notices)
{
    QStringList out;
    for (const ChangeNotice &n : notices)
        out << n.changeId + QLatin1Char('/') + toString(n.reason);
    return out;
}

} // namespace

class TstChangeNotices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void whatWasThereAtStartIsNotNews()
    {
        ChangeNotices notices;
        const std::vector<ChangeSummary> start{change(QStringLiteral("A"), Impact::Critical),
                                               change(QStringLiteral("B"), Impact::Low, true)};
        QVERIFY(notices.update(start).empty());
        QVERIFY(notices.started());
        QVERIFY(notices.update(start).empty());
    }

    void newCriticalIsAnnouncedOnce()
    {
        ChangeNotices notices;
        QVERIFY(notices.update({change(QStringLiteral("A"), Impact::Low)}).empty());
        const std::vector<ChangeSummary> next{change(QStringLiteral("A"), Impact::Low),
                                              change(QStringLiteral("C"), Impact::Critical)};
        const auto first = notices.update(next);
        QCOMPARE(described(first), QStringList{QStringLiteral("C/critical")});
        QVERIFY(first.front().text.contains(QStringLiteral("title of C")));
        QVERIFY(notices.update(next).empty());
    }

    void escalationIsItsOwnReason()
    {
        ChangeNotices notices;
        QVERIFY(notices.update({change(QStringLiteral("A"), Impact::Critical)}).empty());
        // Critical since the start: only its escalation is news, once.
        const auto escalated = notices.update({change(QStringLiteral("A"), Impact::Critical, true)});
        QCOMPARE(described(escalated), QStringList{QStringLiteral("A/escalated")});
        QVERIFY(notices.update({change(QStringLiteral("A"), Impact::Critical, true)}).empty());
    }

    void newCriticalAndEscalatedGivesBothReasons()
    {
        ChangeNotices notices;
        QVERIFY(notices.update({}).empty());
        const auto both = notices.update({change(QStringLiteral("D"), Impact::Critical, true)});
        QCOMPARE(described(both), (QStringList{QStringLiteral("D/critical"), QStringLiteral("D/escalated")}));
    }

    void decidedOrMildChangesAreNotAnnounced_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("riskClass"); // -1: never assessed
        QTest::newRow("approved critical") << int(ChangeStatus::Approved) << int(Impact::Critical);
        QTest::newRow("rejected critical") << int(ChangeStatus::Rejected) << int(Impact::Critical);
        QTest::newRow("pending high") << int(ChangeStatus::Pending) << int(Impact::High);
        QTest::newRow("pending unassessed") << int(ChangeStatus::Pending) << -1;
    }

    void decidedOrMildChangesAreNotAnnounced()
    {
        QFETCH(int, status);
        QFETCH(int, riskClass);
        ChangeNotices notices;
        QVERIFY(notices.update({}).empty());
        const std::optional<Impact> cls =
            riskClass < 0 ? std::nullopt : std::optional<Impact>(static_cast<Impact>(riskClass));
        QVERIFY(notices.update({change(QStringLiteral("E"), cls, false, static_cast<ChangeStatus>(status))}).empty());
    }
};

QTEST_GUILESS_MAIN(TstChangeNotices)
#include "tst_changenotices.moc"
