#include "intake/strictjson.h"

#include <QTest>

using namespace hp;
using namespace Qt::StringLiterals;

namespace {

Status parseWith(StrictJson &doc, const QByteArray &json)
{
    return doc.parse(json);
}

Error parseError(const QByteArray &json, int maxDepth = 64)
{
    StrictJson doc(StrictJsonOptions{maxDepth, 0xFFFFFFFFLL, false, {}});
    const Status s = parseWith(doc, json);
    if (s)
        return Error{ExitCode::Ok, QStringLiteral("accepted"), {}, {}};
    return s.error();
}

} // namespace

class TstStrictJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hostileInputIsRefusedWithReasonAndPlace_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("where"); // expected in the message

        QTest::newRow("missing comma") << QByteArray("{\"a\":1 \"b\":2}") << u"invalid_json"_s << u"byte offset 7"_s;
        QTest::newRow("truncated object") << QByteArray("{\"a\":[1,2") << u"invalid_json"_s << u"end of input"_s;
        QTest::newRow("truncated string") << QByteArray("[\"abc") << u"invalid_json"_s << u"byte offset 5"_s;
        QTest::newRow("trailing comma") << QByteArray("[1,]") << u"invalid_json"_s << u"byte offset 3"_s;
        QTest::newRow("trailing garbage") << QByteArray("{} x") << u"invalid_json"_s << u"byte offset 3"_s;
        QTest::newRow("empty") << QByteArray("") << u"invalid_json"_s << u"empty"_s;
        QTest::newRow("whitespace only") << QByteArray(" \n") << u"invalid_json"_s << u"empty"_s;
        QTest::newRow("single quotes") << QByteArray("{'a':1}") << u"invalid_json"_s << u"byte offset 1"_s;
        QTest::newRow("bad escape") << QByteArray("[\"a\\x\"]") << u"invalid_json"_s << u"byte offset 3"_s;
        QTest::newRow("raw control char") << QByteArray("[\"a\x01\"]") << u"invalid_json"_s << u"byte offset 3"_s;
        QTest::newRow("leading zero") << QByteArray("[01]") << u"invalid_json"_s << u"byte offset 2"_s;
        QTest::newRow("huge exponent") << QByteArray("[1e400]") << u"invalid_json"_s << u"out of range"_s;
        QTest::newRow("bom") << QByteArray("\xef\xbb\xbf{}") << u"invalid_json"_s << u"byte order mark"_s;
        QTest::newRow("line and column") << QByteArray("{\n  \"a\": tru\n}") << u"invalid_json"_s << u"line 2, column 8"_s;
        QTest::newRow("invalid utf-8") << QByteArray("{\"a\":\"ok\xff\"}") << u"invalid_utf8"_s << u"byte offset 8"_s;
        QTest::newRow("overlong utf-8") << QByteArray("[\"\xc0\xaf\"]") << u"invalid_utf8"_s << u"byte offset 2"_s;
        QTest::newRow("utf-8 surrogate") << QByteArray("[\"\xed\xa0\x80\"]") << u"invalid_utf8"_s << u"byte offset 2"_s;
        QTest::newRow("truncated utf-8") << QByteArray("[\"\xe2\x82\"]") << u"invalid_utf8"_s << u"byte offset 2"_s;
        QTest::newRow("utf-8 in a key") << QByteArray("{\"k\x80\":1}") << u"invalid_utf8"_s << u"byte offset 3"_s;
        QTest::newRow("lone high surrogate") << QByteArray("[\"\\ud800\"]") << u"lone_surrogate"_s << u"byte offset 2"_s;
        QTest::newRow("lone low surrogate") << QByteArray("[\"\\udc00x\"]") << u"lone_surrogate"_s << u"byte offset 2"_s;
        QTest::newRow("high then non-low") << QByteArray("[\"ab\\ud83d\\u0041\"]") << u"lone_surrogate"_s << u"byte offset 4"_s;
        QTest::newRow("high then high") << QByteArray("[\"\\ud83d\\ud83d\"]") << u"lone_surrogate"_s << u"byte offset 2"_s;
        QTest::newRow("lone surrogate in key") << QByteArray("{\"\\udfff\":1}") << u"lone_surrogate"_s << u"byte offset 2"_s;
        QTest::newRow("duplicate top-level key") << QByteArray("{\"a\":1,\"b\":2,\"a\":3}") << u"duplicate_key"_s << u"$.a"_s;
        QTest::newRow("duplicate nested key") << QByteArray("{\"x\":[{},{\"n\":1,\"n\":2}]}") << u"duplicate_key"_s << u"$.x[1].n"_s;
        QTest::newRow("duplicate by escape") << QByteArray("{\"ab\":1,\"\\u0061b\":2}") << u"duplicate_key"_s << u"$.ab"_s;
        QTest::newRow("duplicate odd key") << QByteArray("{\"a b\":1,\"a b\":2}") << u"duplicate_key"_s << u"$[\"a b\"]"_s;
        QTest::newRow("duplicate bidi key") << QByteArray("{\"a\\u202eb\":1,\"a\\u202eb\":2}") << u"duplicate_key"_s
                                            << u"$[\"a\\u202eb\"]"_s;
        QTest::newRow("duplicate non-ascii key") << QByteArray("{\"\xc3\xa9\":1,\"\xc3\xa9\":2}") << u"duplicate_key"_s
                                                 << u"$[\"\u00e9\"]"_s;
        QTest::newRow("too deep") << QByteArray(65, '[') + QByteArray(65, ']') << u"too_deep"_s << u"deeper than 64"_s;
    }
    void hostileInputIsRefusedWithReasonAndPlace()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, reason);
        QFETCH(QString, where);
        const Error e = parseError(json);
        QCOMPARE(e.reason, reason);
        QCOMPARE(e.code, ExitCode::Usage);
        QVERIFY2(e.message.contains(where), qPrintable(e.message));
    }

    void hundredThousandNestedArraysFailCleanly()
    {
        const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
        const Error e = parseError(deep, 32);
        QCOMPARE(e.reason, u"too_deep"_s);
        QVERIFY2(e.message.contains(u"byte offset 32"_s), qPrintable(e.message));
        QByteArray objects;
        for (int i = 0; i < 100000; ++i)
            objects += "{\"a\":";
        const Error o = parseError(objects, 32);
        QCOMPARE(o.reason, u"too_deep"_s);
    }

    void depthLimitIsInclusive()
    {
        StrictJson doc(StrictJsonOptions{3, 1 << 20, false, {}});
        QVERIFY(doc.parse(QByteArray("[[[1]]]")));
        QCOMPARE(doc.parse(QByteArray("[[[[1]]]]")).error().reason, u"too_deep"_s);
        QVERIFY(doc.parse(QByteArray("{\"a\":{\"b\":[1]}}")));
        QVERIFY(doc.parse(QByteArray("[[[]]]")));
        const Status empties = doc.parse(QByteArray("[[[[]]]]"));
        QCOMPARE(empties.error().reason, u"too_deep"_s);
        QCOMPARE(empties.error().path, u"$[0][0][0]"_s);
    }

    void validSurrogatePairIsAccepted()
    {
        StrictJson doc;
        QVERIFY(doc.parse(QByteArray("[\"\\ud83d\\ude00\"]")));
        Result<JsonArray> a = doc.root().toArray();
        QVERIFY(a);
        QCOMPARE((*a->begin()).toString().value(), QString::fromUtf16(u"\U0001F600"));
    }

    void oversizeInputIsTooLarge()
    {
        StrictJson doc(StrictJsonOptions{64, 10, false, QStringLiteral("big.json")});
        const Status s = doc.parse(QByteArray("[1,2,3,4,5,6]"));
        QCOMPARE(s.error().reason, u"too_large"_s);
    }

    void sourceNamePrefixesThePosition()
    {
        StrictJson doc(StrictJsonOptions{64, 1 << 20, false, QStringLiteral("p.json")});
        const Status s = doc.parse(QByteArray("{\n\"a\" 1}"));
        QCOMPARE(s.error().path, u"p.json:2:5"_s);
    }

    void duplicatesInLargeObjectsAreFound()
    {
        QByteArray json = "{";
        for (int i = 0; i < 5000; ++i)
            json += "\"k" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
        json += "\"k4321\":0}";
        const Error e = parseError(json);
        QCOMPARE(e.reason, u"duplicate_key"_s);
        QCOMPARE(e.path, u"$.k4321"_s);
        json.chop(10);
        json += "\"k5000\":0}";
        QCOMPARE(parseError(json).reason, u"accepted"_s);
    }

    void typedAccessorsNamePathAndTypes()
    {
        StrictJson doc;
        QVERIFY(doc.parse(QByteArray("{\"title\":42,\"list\":[true,\"x\",1.5,null,{\"a\":[]}],\"n\":9223372036854775808}")));
        Result<JsonObject> root = doc.root().toObject();
        QVERIFY(root);
        const Error title = root->find("title")->toString().error();
        QCOMPARE(title.reason, u"wrong_type"_s);
        QCOMPARE(title.message, u"$.title: expected a string, got number"_s);
        QCOMPARE(title.path, u"$.title"_s);
        Result<JsonArray> list = root->find("list")->toArray();
        QVERIFY(list);
        QStringList got;
        for (const JsonValue v : *list)
            got << v.path() + QLatin1Char('=') + jsonTypeName(v.type());
        QCOMPARE(got, (QStringList{u"$.list[0]=boolean"_s, u"$.list[1]=string"_s, u"$.list[2]=number"_s,
                                   u"$.list[3]=null"_s, u"$.list[4]=object"_s}));
        std::vector<JsonValue> items;
        for (const JsonValue v : *list)
            items.push_back(v);
        QCOMPARE(items[2].toInt().error().message, u"$.list[2]: expected an integer, got a fractional number"_s);
        QCOMPARE(items[2].toDouble().value(), 1.5);
        QCOMPARE(items[3].toObject().error().message, u"$.list[3]: expected an object, got null"_s);
        QCOMPARE(items[0].toBool().value(), true);
        Result<JsonObject> inner = items[4].toObject();
        QCOMPARE(inner->find("a")->toString().error().message, u"$.list[4].a: expected a string, got array"_s);
        QCOMPARE(root->find("n")->toInt().error().reason, u"invalid_value"_s);
    }

    void objectHelpersReportMissingAndUnknownKeys()
    {
        StrictJson doc;
        QVERIFY(doc.parse(QByteArray("{\"a\":{\"x\":1,\"y z\":2}}")));
        Result<JsonObject> a = doc.root().toObject()->find("a")->toObject();
        QVERIFY(a);
        const Error missing = a->require("w").error();
        QCOMPARE(missing.reason, u"missing_key"_s);
        QCOMPARE(missing.path, u"$.a"_s);
        const Status unknown = a->allowOnly({"x"});
        QCOMPARE(unknown.error().reason, u"unknown_key"_s);
        QCOMPARE(unknown.error().path, u"$.a[\"y z\"]"_s);
        QVERIFY(a->allowOnly({"x", "y z"}));
        QCOMPARE(a->require("x")->toInt().value(), 1);
        QStringList keys;
        for (const JsonMember m : *a)
            keys << QString::fromUtf8(m.key.data(), static_cast<qsizetype>(m.key.size())) + QLatin1Char('@') + m.value.path();
        QCOMPARE(keys, (QStringList{u"x@$.a.x"_s, u"y z@$.a[\"y z\"]"_s}));
    }

    void stringSpansLocateRawText()
    {
        const QByteArray json = "{\"k\\\"ey\":\"a\\\"b\\\\\",\"n\":[1,\"\\u00e9\\n\"],\"e\":\"\"}";
        StrictJson doc(StrictJsonOptions{64, 1 << 20, true, {}});
        QVERIFY(doc.parse(json));
        Result<JsonObject> root = doc.root().toObject();
        const std::optional<JsonSpan> first = root->find("k\"ey")->sourceSpan();
        QVERIFY(first);
        QCOMPARE(json.mid(first->offset, first->length), QByteArray("a\\\"b\\\\"));
        Result<JsonArray> n = root->find("n")->toArray();
        auto it = n->begin();
        QVERIFY(!(*it).sourceSpan()); // a number has no string span
        ++it;
        const std::optional<JsonSpan> second = (*it).sourceSpan();
        QCOMPARE(json.mid(second->offset, second->length), QByteArray("\\u00e9\\n"));
        QCOMPARE((*it).toUtf8().value(), std::string_view("\xc3\xa9\n"));
        const std::optional<JsonSpan> empty = root->find("e")->sourceSpan();
        QCOMPARE(empty->length, 0);
        QCOMPARE(json.at(empty->offset), '"');
    }

    void paddedBufferParsesInPlace()
    {
        QByteArray json;
        StrictJson::reservePadded(json, 7);
        json.append("[1,2,3]");
        StrictJson doc;
        QVERIFY(doc.parse(json));
        QCOMPARE(doc.root().toArray()->size(), 3);
        // Free space before the data is not padding after it.
        QByteArray shifted = QByteArray(200, ' ') + QByteArray("[4,5]");
        shifted.remove(0, 200);
        QVERIFY(doc.parse(shifted));
        QCOMPARE(doc.root().toArray()->size(), 2);
    }

    void messagesEscapeInvisibleAndControlCharacters()
    {
        QCOMPARE(quoteForMessage(u"ab"_s), u"\"ab\""_s);
        QCOMPARE(quoteForMessage(u"a\u202eb\u200bc\n\"\\"_s), u"\"a\\u202eb\\u200bc\\u000a\\\"\\\\\""_s);
        QCOMPARE(quoteForMessage(QString(QChar(0xD800))), u"\"\\ud800\""_s);
        QCOMPARE(quoteForMessage(QString::fromUtf16(u"\U0001F600")), u"\""_s + QString::fromUtf16(u"\U0001F600") + u"\""_s);
        QCOMPARE(quoteForMessage(u"abcdef"_s, 3), u"\"abc\u2026\""_s);
    }

    void utf8ValidatorFindsFirstBadByte_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qint64>("offset");
        QTest::newRow("ascii") << QByteArray("plain ascii text that is long enough") << qint64(-1);
        QTest::newRow("valid mix") << QByteArray("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 ok") << qint64(-1);
        QTest::newRow("after ascii run") << QByteArray("0123456789abcdef\xfe") << qint64(16);
        QTest::newRow("above U+10FFFF") << QByteArray("ab\xf4\x90\x80\x80") << qint64(2);
        QTest::newRow("lone continuation") << QByteArray("\x80") << qint64(0);
        QTest::newRow("truncated at end") << QByteArray("abc\xf0\x9f\x98") << qint64(3);
        QTest::newRow("overlong 3-byte") << QByteArray("\xe0\x80\xaf") << qint64(0);
    }
    void utf8ValidatorFindsFirstBadByte()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qint64, offset);
        QCOMPARE(StrictJson::firstInvalidUtf8(bytes), offset);
    }
};

QTEST_GUILESS_MAIN(TstStrictJson)
#include "tst_strictjson.moc"
