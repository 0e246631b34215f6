#include "domain/canonicaljson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace hp;

class TstCanonicalJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // RFC 8785 §3.2.3: the example object's keys sort by UTF-16 code units
    // into exactly this order.
    void keysSortByUtf16CodeUnitsAsInRfc8785()
    {
        QJsonObject o;
        o.insert(QStringLiteral("\u20ac"), QStringLiteral("Euro Sign"));
        o.insert(QStringLiteral("\r"), QStringLiteral("Carriage Return"));
        o.insert(QStringLiteral("\ufb33"), QStringLiteral("Hebrew Letter Dalet With Dagesh"));
        o.insert(QStringLiteral("1"), QStringLiteral("One"));
        o.insert(QString::fromUtf16(u"\U0001F600"), QStringLiteral("Emoji: Grinning Face"));
        o.insert(QStringLiteral("\u0080"), QStringLiteral("Control"));
        o.insert(QStringLiteral("\u00f6"), QStringLiteral("Latin Small Letter O With Diaeresis"));
        const QByteArray expected = QStringLiteral(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            "\"%1\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}")
                                        .arg(QString::fromUtf16(u"\U0001F600"))
                                        .toUtf8();
        QCOMPARE(canonicalJson(o), expected);
    }

    void stringEscapesFollowJsonStringify_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("short escapes") << QStringLiteral("\b\f\n\r\t") << QByteArray("\"\\b\\f\\n\\r\\t\"");
        QTest::newRow("quote and backslash") << QStringLiteral("a\"b\\c") << QByteArray("\"a\\\"b\\\\c\"");
        QTest::newRow("controls lower-case hex")
            << QString::fromLatin1("\x01\x1f\x0b", 3) << QByteArray("\"\\u0001\\u001f\\u000b\"");
        QTest::newRow("nul") << QString(QChar(0)) << QByteArray("\"\\u0000\"");
        QTest::newRow("slash not escaped") << QStringLiteral("a/b") << QByteArray("\"a/b\"");
        QTest::newRow("del literal") << QStringLiteral("\u007f") << QByteArray("\"\x7f\"");
        QTest::newRow("non-ascii literal utf-8")
            << QStringLiteral("\u00e9\u20ac") << QByteArray("\"\xc3\xa9\xe2\x82\xac\"");
        QTest::newRow("astral literal") << QString::fromUtf16(u"\U0001F600") << QByteArray("\"\xf0\x9f\x98\x80\"");
        QTest::newRow("line separator literal") << QStringLiteral("\u2028") << QByteArray("\"\xe2\x80\xa8\"");
    }
    void stringEscapesFollowJsonStringify()
    {
        QFETCH(QString, input);
        QFETCH(QByteArray, expected);
        QCOMPARE(canonicalJson(QJsonValue(input)), expected);
    }

    void integersAreWrittenWithoutExponentOrFraction_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("zero") << 0.0 << QByteArray("0");
        QTest::newRow("negative") << -42.0 << QByteArray("-42");
        QTest::newRow("million") << 1e6 << QByteArray("1000000");
        QTest::newRow("2^53") << 9007199254740992.0 << QByteArray("9007199254740992");
        QTest::newRow("-2^53") << -9007199254740992.0 << QByteArray("-9007199254740992");
    }
    void integersAreWrittenWithoutExponentOrFraction()
    {
        QFETCH(double, value);
        QFETCH(QByteArray, expected);
        QCOMPARE(canonicalJson(QJsonValue(value)), expected);
    }

    void literalsAndEmptyContainers()
    {
        QCOMPARE(canonicalJson(QJsonValue(true)), QByteArray("true"));
        QCOMPARE(canonicalJson(QJsonValue(false)), QByteArray("false"));
        QCOMPARE(canonicalJson(QJsonValue(QJsonValue::Null)), QByteArray("null"));
        QCOMPARE(canonicalJson(QJsonValue(QJsonArray())), QByteArray("[]"));
        QCOMPARE(canonicalJson(QJsonObject()), QByteArray("{}"));
    }

    void nestedContainersSortEveryLevelAndKeepArrayOrder()
    {
        QJsonObject inner;
        inner.insert(QStringLiteral("z"), 1);
        inner.insert(QStringLiteral("a"), QJsonArray{3, 2, 1});
        QJsonObject o;
        o.insert(QStringLiteral("b"), QJsonArray{inner, QStringLiteral("x"), QJsonValue::Null});
        o.insert(QStringLiteral("a"), QJsonObject{{QStringLiteral("y"), true}, {QStringLiteral("x"), false}});
        QCOMPARE(canonicalJson(o), QByteArray("{\"a\":{\"x\":false,\"y\":true},\"b\":[{\"a\":[3,2,1],\"z\":1},\"x\",null]}"));
        QCOMPARE(canonicalJson(QJsonValue(o)), canonicalJson(o));
    }

    void keysWithUpperCaseSortBeforeLowerCase()
    {
        QJsonObject o{{QStringLiteral("b"), 1}, {QStringLiteral("B"), 2}, {QStringLiteral("a"), 3}, {QStringLiteral("_"), 4}};
        QCOMPARE(canonicalJson(o), QByteArray("{\"B\":2,\"_\":4,\"a\":3,\"b\":1}"));
    }
};

QTEST_GUILESS_MAIN(TstCanonicalJson)
#include "tst_canonicaljson.moc"
