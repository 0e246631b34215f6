#include "diff/dangeroustext.h"

#include <QTest>

using namespace hp;
using namespace hp::diff;

namespace {

// DESIGN §9, written out here independently of resources/charsets/dangerous.txt:
// the resource must say exactly this.
struct Expected
{
    char32_t first;
    char32_t last;
    DangerCategory category;
    const char *label;
};

const Expected designTable[] = {
    {0x0000, 0x0008, DangerCategory::Control, "C0 control character"},
    {0x000B, 0x000B, DangerCategory::Control, "vertical tab"},
    {0x000C, 0x000C, DangerCategory::Control, "form feed"},
    {0x000D, 0x000D, DangerCategory::Control, "carriage return without line feed"},
    {0x000E, 0x001F, DangerCategory::Control, "C0 control character"},
    {0x007F, 0x007F, DangerCategory::Control, "delete character (DEL)"},
    {0x0080, 0x009F, DangerCategory::Control, "C1 control character"},
    {0x00AD, 0x00AD, DangerCategory::Invisible, "soft hyphen"},
    {0x034F, 0x034F, DangerCategory::Invisible, "combining grapheme joiner"},
    {0x061C, 0x061C, DangerCategory::Bidi, "arabic letter mark"},
    {0x115F, 0x115F, DangerCategory::Invisible, "hangul choseong filler"},
    {0x1160, 0x1160, DangerCategory::Invisible, "hangul jungseong filler"},
    {0x180E, 0x180E, DangerCategory::Invisible, "mongolian vowel separator"},
    {0x200B, 0x200B, DangerCategory::Invisible, "zero width space"},
    {0x200C, 0x200C, DangerCategory::Invisible, "zero width non-joiner"},
    {0x200D, 0x200D, DangerCategory::Invisible, "zero width joiner"},
    {0x200E, 0x200E, DangerCategory::Bidi, "left-to-right mark"},
    {0x200F, 0x200F, DangerCategory::Bidi, "right-to-left mark"},
    {0x2028, 0x2028, DangerCategory::Separator, "line separator"},
    {0x2029, 0x2029, DangerCategory::Separator, "paragraph separator"},
    {0x202A, 0x202A, DangerCategory::Bidi, "left-to-right embedding"},
    {0x202B, 0x202B, DangerCategory::Bidi, "right-to-left embedding"},
    {0x202C, 0x202C, DangerCategory::Bidi, "pop directional formatting"},
    {0x202D, 0x202D, DangerCategory::Bidi, "left-to-right override"},
    {0x202E, 0x202E, DangerCategory::Bidi, "right-to-left override"},
    {0x2060, 0x2060, DangerCategory::Invisible, "word joiner"},
    {0x2061, 0x2061, DangerCategory::Invisible, "function application"},
    {0x2062, 0x2062, DangerCategory::Invisible, "invisible times"},
    {0x2063, 0x2063, DangerCategory::Invisible, "invisible separator"},
    {0x2064, 0x2064, DangerCategory::Invisible, "invisible plus"},
    {0x2066, 0x2066, DangerCategory::Bidi, "left-to-right isolate"},
    {0x2067, 0x2067, DangerCategory::Bidi, "right-to-left isolate"},
    {0x2068, 0x2068, DangerCategory::Bidi, "first strong isolate"},
    {0x2069, 0x2069, DangerCategory::Bidi, "pop directional isolate"},
    {0x3164, 0x3164, DangerCategory::Invisible, "hangul filler"},
    {0xFE00, 0xFE0F, DangerCategory::Invisible, "variation selector"},
    {0xFEFF, 0xFEFF, DangerCategory::Invisible, "zero width no-break space"},
    {0xFFF9, 0xFFF9, DangerCategory::Invisible, "interlinear annotation anchor"},
    {0xFFFA, 0xFFFA, DangerCategory::Invisible, "interlinear annotation separator"},
    {0xFFFB, 0xFFFB, DangerCategory::Invisible, "interlinear annotation terminator"},
    {0xE0000, 0xE007F, DangerCategory::Invisible, "tag character"},
    {0xE0100, 0xE01EF, DangerCategory::Invisible, "variation selector supplement"},
};

// Encoded by hand: Qt's UTF-32 decoding would swallow a leading U+FEFF.
QByteArray utf8(char32_t cp)
{
    QByteArray out;
    auto put = [&](uint v) { out.append(static_cast<char>(v)); };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xC0 | (cp >> 6));
        put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        put(0xE0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    } else {
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    }
    return out;
}

// "U+202E@3 U+2066@9": what a scan found, by code point and offset.
QString found(QByteArrayView bytes)
{
    QStringList out;
    for (const DangerousChar &d : DangerousText::scan(bytes))
        out << DangerousText::escapeOf(d).mid(1).chopped(1) + u'@' + QString::number(d.offset);
    return out.join(u' ');
}

} // namespace

class TestDangerousText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resourceTableIsTheDesignTable();
    void everyListedCodePointIsFlaggedWithItsLabel();
    void bomAtStartIsAByteOrderMark();
    void unlistedCharactersAreNotFlagged();
    void trojanSourceLinesAreFlagged_data();
    void trojanSourceLinesAreFlagged();
    void invalidUtf8BytesAreFlagged_data();
    void invalidUtf8BytesAreFlagged();
    void lineEndsAndTabs_data();
    void lineEndsAndTabs();
    void findingsAtEveryAlignment();
    void escapingShowsFindingsAndKeepsBytes();
    void displayOffsetsSkipEscapes();
    void containsStopsAtTheFirstFinding();
    void malformedTableIsRefusedWithItsLine_data();
    void malformedTableIsRefusedWithItsLine();
};

void TestDangerousText::resourceTableIsTheDesignTable()
{
    const auto &entries = DangerousTable::builtin().entries();
    QCOMPARE(entries.size(), std::size(designTable));
    for (size_t i = 0; i < entries.size(); ++i) {
        const Expected &e = designTable[i];
        QCOMPARE(uint(entries[i].first), uint(e.first));
        QCOMPARE(uint(entries[i].last), uint(e.last));
        QCOMPARE(entries[i].category, e.category);
        QCOMPARE(entries[i].label, QString::fromUtf8(e.label));
    }
}

void TestDangerousText::everyListedCodePointIsFlaggedWithItsLabel()
{
    int checked = 0;
    for (const Expected &e : designTable) {
        for (char32_t cp = e.first; cp <= e.last; ++cp) {
            const QByteArray encoded = utf8(cp);
            const QByteArray line = "ab" + encoded + "cd";
            const auto findings = DangerousText::scan(line);
            QVERIFY2(findings.size() == 1, qPrintable(QStringLiteral("U+%1 found %2 times").arg(uint(cp), 4, 16, QLatin1Char('0')).arg(findings.size())));
            const DangerousChar &d = findings[0];
            QCOMPARE(d.offset, qsizetype(2));
            QCOMPARE(d.length, int(encoded.size()));
            QCOMPARE(uint(d.codePoint), uint(cp));
            QCOMPARE(d.category, e.category);
            QCOMPARE(d.label, QString::fromUtf8(e.label));
            ++checked;
        }
    }
    QCOMPARE(checked, 9 + 1 + 1 + 1 + 18 + 1 + 32 + 32 + 16 + 128 + 240);
}

void TestDangerousText::bomAtStartIsAByteOrderMark()
{
    const auto findings = DangerousText::scan("\xef\xbb\xbfkey: value\xef\xbb\xbf");
    QCOMPARE(findings.size(), size_t(2));
    QCOMPARE(findings[0].label, QStringLiteral("byte order mark"));
    QCOMPARE(findings[1].label, QStringLiteral("zero width no-break space"));
}

void TestDangerousText::unlistedCharactersAreNotFlagged()
{
    for (const char32_t cp : {U'\u00e9', U'\u00a0', U'\u4e2d', U'\U0001F600', U'\u2065', U'\uFE10', U'\U000E0080',
                              U'\u061B', U'\u2027', U'\u202F', U'\u00A9', U'\U0010FFFF'}) {
        QVERIFY2(DangerousText::scan("x" + utf8(cp) + "y").empty(), qPrintable(QString::number(uint(cp), 16)));
    }
    QVERIFY(DangerousText::scan(QByteArray("plain printable ASCII ~!@#$%^&*()_+{}|:<>? 0123456789 abc XYZ")).empty());
}

void TestDangerousText::trojanSourceLinesAreFlagged_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("findings");
    // CVE-2021-42574 examples (Boucher and Anderson, "Trojan Source").
    QTest::newRow("commenting-out") << QString::fromUtf8(u8"/*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */").toUtf8()
                                    << QStringLiteral("U+202E@2 U+2066@8 U+2069@23 U+2066@27");
    QTest::newRow("stretched string")
        << QString::fromUtf8(u8"if (accessLevel != \"user\u202E \u2066// Check if admin\u2069 \u2066\") {").toUtf8()
        << QStringLiteral("U+202E@24 U+2066@28 U+2069@48 U+2066@52");
    QTest::newRow("early return") << QString::fromUtf8(u8"    return; \u2067// bank account\u2069").toUtf8()
                                  << QStringLiteral("U+2067@12 U+2069@30");
    QTest::newRow("invisible identifier") << QString::fromUtf8(u8"if (is\u200BAdmin) grant();").toUtf8()
                                          << QStringLiteral("U+200B@6");
    QTest::newRow("yaml value with RLO") << QString::fromUtf8(u8"  image: api:\u202E1-cr-0.51.2").toUtf8()
                                         << QStringLiteral("U+202E@13");
    QTest::newRow("tag characters") << QString::fromUtf8(u8"ok\U000E0041\U000E007F").toUtf8()
                                    << QStringLiteral("U+E0041@2 U+E007F@6");
}

void TestDangerousText::trojanSourceLinesAreFlagged()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, findings);
    QCOMPARE(found(line), findings);
    QVERIFY(DangerousText::contains(line));
}

void TestDangerousText::invalidUtf8BytesAreFlagged_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("escaped");
    QTest::newRow("0xFF") << QByteArray("a\xff" "b") << QStringLiteral("a<0xFF>b");
    QTest::newRow("lone continuation") << QByteArray("\x80") << QStringLiteral("<0x80>");
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << QStringLiteral("<0xC0><0xAF>");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << QStringLiteral("<0xED><0xA0><0x80>");
    QTest::newRow("past U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QStringLiteral("<0xF4><0x90><0x80><0x80>");
    QTest::newRow("truncated at end") << QByteArray("ok\xe2\x80") << QStringLiteral("ok<0xE2><0x80>");
    QTest::newRow("latin-1 text") << QByteArray("caf\xe9!") << QStringLiteral("caf<0xE9>!");
    QTest::newRow("valid neighbours kept") << QByteArray("\xc3\xa9\xff\xc3\xa9") << QString::fromUtf8("\xc3\xa9<0xFF>\xc3\xa9");
}

void TestDangerousText::invalidUtf8BytesAreFlagged()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, escaped);
    QCOMPARE(DangerousText::escaped(QByteArrayView(bytes)), escaped);
    for (const DangerousChar &d : DangerousText::scan(bytes)) {
        QCOMPARE(d.category, DangerCategory::InvalidUtf8);
        QCOMPARE(d.length, 1);
        QCOMPARE(d.label, QStringLiteral("invalid UTF-8 byte"));
    }
}

void TestDangerousText::lineEndsAndTabs_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("findings");
    QTest::newRow("tab and lf") << QByteArray("a\tb\nc\n") << QString();
    QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QString();
    QTest::newRow("lone cr") << QByteArray("a\rb") << QStringLiteral("U+000D@1");
    QTest::newRow("cr at end") << QByteArray("a\r") << QStringLiteral("U+000D@1");
    QTest::newRow("cr before crlf") << QByteArray("a\r\r\n") << QStringLiteral("U+000D@1");
    QTest::newRow("nul, esc, del") << QByteArray("a\0b\x1b[31m\x7f", 9) << QStringLiteral("U+0000@1 U+001B@3 U+007F@8");
    QTest::newRow("c1 next line") << QByteArray("x\xc2\x85y") << QStringLiteral("U+0085@1");
}

void TestDangerousText::lineEndsAndTabs()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, findings);
    QCOMPARE(found(bytes), findings);
}

// The scanner skips eight plain bytes at a time: a finding must be seen at
// every position of the word and across word boundaries.
void TestDangerousText::findingsAtEveryAlignment()
{
    const QByteArray bad[] = {QByteArray("\x01"), QByteArray("\x7f"), QByteArray("\xe2\x80\xae"), QByteArray("\xff"),
                              QByteArray("\r")};
    for (const QByteArray &b : bad) {
        for (int pos = 0; pos < 24; ++pos) {
            QByteArray line(40, 'x');
            line.replace(pos, b.size(), b);
            const auto findings = DangerousText::scan(line);
            QCOMPARE(findings.size(), size_t(1));
            QCOMPARE(findings[0].offset, qsizetype(pos));
        }
    }
}

void TestDangerousText::escapingShowsFindingsAndKeepsBytes()
{
    const QByteArray bytes = QString::fromUtf8(u8"x\u202Ey").toUtf8() + "\xff" + "z\r\n";
    const QByteArray copy = bytes;
    const auto findings = DangerousText::scan(bytes);
    const DangerousText::Escaped e = DangerousText::escape(bytes, findings);
    QCOMPARE(e.text, QStringLiteral("x<U+202E>y<0xFF>z\r\n"));
    QCOMPARE(e.positions, (std::vector<qsizetype>{1, 10}));
    QCOMPARE(bytes, copy);
    QCOMPARE(DangerousText::escapedString(QString::fromUtf8(u8"Scale \u2066api\u2069 down")),
             QStringLiteral("Scale <U+2066>api<U+2069> down"));
    QCOMPARE(DangerousText::escaped(QByteArrayView("tag \xf3\xa0\x81\x81")), QStringLiteral("tag <U+E0041>"));
}

void TestDangerousText::displayOffsetsSkipEscapes()
{
    // "é" (2 bytes, 1 unit), RLO (3 bytes, escape of 8), "x", an emoji (4 bytes, 2 units), "y".
    const QByteArray bytes = QString::fromUtf8(u8"\u00e9\u202Ex\U0001F600y").toUtf8();
    const auto findings = DangerousText::scan(bytes);
    QCOMPARE(findings.size(), size_t(1));
    const QString text = DangerousText::escape(bytes, findings).text;
    QCOMPARE(text.mid(DangerousText::displayOffset(bytes, findings, 2), 8), QStringLiteral("<U+202E>"));
    QCOMPARE(DangerousText::displayOffset(bytes, findings, 3), qsizetype(1)); // inside the finding
    QCOMPARE(text.at(DangerousText::displayOffset(bytes, findings, 5)), QLatin1Char('x'));
    QCOMPARE(text.at(DangerousText::displayOffset(bytes, findings, 10)), QLatin1Char('y'));
    QCOMPARE(DangerousText::displayOffset(bytes, findings, bytes.size()), text.size());
}

void TestDangerousText::containsStopsAtTheFirstFinding()
{
    QVERIFY(!DangerousText::contains("nothing here\tat all\r\n"));
    QVERIFY(DangerousText::contains(QByteArray(100000, 'a') + "\xe2\x80\x8b"));
}

void TestDangerousText::malformedTableIsRefusedWithItsLine_data()
{
    QTest::addColumn<QByteArray>("table");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no tabs") << QByteArray("# c\nU+202E bidi rlo\n") << QStringLiteral("line 2: expected FIRST");
    QTest::newRow("bad code point") << QByteArray("U+20ZZ\tbidi\tx\n") << QStringLiteral("line 1: expected a code point");
    QTest::newRow("reversed range") << QByteArray("U+0010..U+0001\tcontrol\tx\n") << QStringLiteral("line 1: expected a code point");
    QTest::newRow("past unicode") << QByteArray("U+110000\tcontrol\tx\n") << QStringLiteral("line 1: expected a code point");
    QTest::newRow("unknown category") << QByteArray("\nU+0001\tweird\tx\n") << QStringLiteral("line 2: expected a category");
    QTest::newRow("no label") << QByteArray("U+0001\tcontrol\t \n") << QStringLiteral("line 1: expected a label");
    QTest::newRow("overlap") << QByteArray("U+0001..U+0005\tcontrol\tx\nU+0004\tcontrol\ty\n")
                             << QStringLiteral("overlap");
}

void TestDangerousText::malformedTableIsRefusedWithItsLine()
{
    QFETCH(QByteArray, table);
    QFETCH(QString, expected);
    const auto parsed = DangerousTable::parse(table);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error().message.contains(expected), qPrintable(parsed.error().message));
}

QTEST_GUILESS_MAIN(TestDangerousText)
#include "tst_dangeroustext.moc"
