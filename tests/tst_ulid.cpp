#include "domain/ulid.h"

#include <QSet>
#include <QTest>

using namespace hp;

class TestUlid : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isTwentySixCrockfordCharacters();
    void encodesItsTimestamp();
    void sortsByTime();
    void isStrictlyIncreasingWithinOneMillisecond();
    void rejectsMalformedIds_data();
    void rejectsMalformedIds();
};

void TestUlid::isTwentySixCrockfordCharacters()
{
    const QString id = Ulid::generate(1714554000123);
    QCOMPARE(id.size(), 26);
    QVERIFY(Ulid::isValid(id));
    for (QChar c : id)
        QVERIFY2(QStringLiteral("0123456789ABCDEFGHJKMNPQRSTVWXYZ").contains(c), qPrintable(id));
}

void TestUlid::encodesItsTimestamp()
{
    // The spec's example: 1469918176385 ms is "01ARYZ6S41".
    QVERIFY(Ulid::generate(1469918176385).startsWith(QStringLiteral("01ARYZ6S41")));
    QCOMPARE(Ulid::timestamp(Ulid::generate(1714554000123)), qint64(1714554000123));
    QCOMPARE(Ulid::timestamp(u"not an id"), qint64(-1));
}

void TestUlid::sortsByTime()
{
    const QString earlier = Ulid::generate(1714554000000);
    const QString later = Ulid::generate(1714554000001);
    QVERIFY(earlier < later);
    QVERIFY(Ulid::generate(1000) < Ulid::generate(1714554000000));
}

void TestUlid::isStrictlyIncreasingWithinOneMillisecond()
{
    QSet<QString> seen;
    QString previous;
    for (int i = 0; i < 1000; ++i) {
        const QString id = Ulid::generate(1714554009999);
        QVERIFY2(previous < id, qPrintable(previous + u' ' + id));
        seen.insert(id);
        previous = id;
    }
    QCOMPARE(seen.size(), 1000);
}

void TestUlid::rejectsMalformedIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::newRow("empty") << QString();
    QTest::newRow("short") << QStringLiteral("01ARYZ6S41");
    QTest::newRow("letter U") << QStringLiteral("01ARYZ6S41UUUUUUUUUUUUUUUU");
    QTest::newRow("overflowing time") << QStringLiteral("81ARYZ6S410000000000000000");
    QTest::newRow("too long") << QStringLiteral("01ARYZ6S4100000000000000000");
}

void TestUlid::rejectsMalformedIds()
{
    QFETCH(QString, id);
    QVERIFY(!Ulid::isValid(id));
}

QTEST_GUILESS_MAIN(TestUlid)
#include "tst_ulid.moc"
