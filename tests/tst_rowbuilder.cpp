#include "diff/gitdiff.h"
#include "diff/intraline.h"
#include "diff/patchparser.h"
#include "diff/rowbuilder.h"

#include <QTest>

using namespace hp;
using namespace hp::diff;

namespace {

// One cell as text: kind (' ' context, '-' removed, '+' added, '~' changed,
// '.' padding), line number, ':' and content, then [crlf] / [nonl] /
// [long] flags and intra-line ranges as {from,to}.
QString cellText(const SideBySide &s, const Cell &c, bool left)
{
    static const char kinds[] = {'.', ' ', '+', '-', '~'};
    QString out(QLatin1Char(kinds[static_cast<int>(c.kind)]));
    if (c.kind == CellKind::Padding)
        return out;
    out += QString::number(c.line) + u':' + QString::fromUtf8(left ? s.leftText(c) : s.rightText(c));
    if (c.crlf)
        out += QStringLiteral("[crlf]");
    if (c.noNewline)
        out += QStringLiteral("[nonl]");
    if (c.intraLineSkipped)
        out += QStringLiteral("[long]");
    for (const ByteSpan &r : s.rangesOf(c))
        out += QStringLiteral("{%1,%2}").arg(r.offset).arg(r.end());
    return out;
}

QStringList render(const SideBySide &s)
{
    QStringList out;
    for (const Row &r : s.rows) {
        switch (r.kind) {
        case RowKind::Binary:
            out << QStringLiteral("binary");
            break;
        case RowKind::Fold:
            out << QStringLiteral("%1 %2 @%3/%4")
                       .arg(r.hiddenFirst < 0 ? QStringLiteral("gap") : QStringLiteral("fold"))
                       .arg(r.foldLines).arg(r.left.line).arg(r.right.line);
            break;
        default:
            out << cellText(s, r.left, true) + u'|' + cellText(s, r.right, false);
        }
    }
    return out;
}

// Rows of a file pair: libgit2 computes the patch, the builder gets the texts.
SideBySide rowsOfPair(const QByteArray &before, const QByteArray &after, int context = 3)
{
    const auto diff = GitDiff::diff(DiffSide{before, "a.txt", 0, false}, DiffSide{after, "b.txt", 0, false});
    if (!diff)
        qFatal("diff failed: %s", qPrintable(diff.error().message));
    const FullTexts texts{before, after};
    RowOptions options;
    options.context = context;
    auto rows = RowBuilder::build(diff->file, diff->text, &texts, options);
    if (!rows)
        qFatal("rows failed: %s", qPrintable(rows.error().message));
    return std::move(*rows);
}

QByteArray numbered(int from, int to)
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += "line " + QByteArray::number(i) + '\n';
    return out;
}

QString spans(const std::vector<ByteSpan> &v)
{
    QStringList out;
    for (const ByteSpan &s : v)
        out << QStringLiteral("{%1,%2}").arg(s.offset).arg(s.end());
    return out.join(QString());
}

} // namespace

class TestRowBuilder : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void filePairRows_data();
    void filePairRows();
    void patchWithoutTextsShowsGapsBetweenHunks();
    void foldsHideLongUnchangedRunsAndKeepTheirRows();
    void wideContextPatchFoldsInsideItsHunk();
    void identicalTextsFoldEntirely();
    void binaryFileIsOneRow();
    void longLineSkipsIntraLine();
    void intraLineRangesAreTokenLevel_data();
    void intraLineRangesAreTokenLevel();
    void tokenizerSplitsWordsNumbersBlanksPunctuation();
    void textsThatDoNotMatchThePatchAreRefused();
    void changeBlocksAndHunkRowsIndexChanges();
};

void TestRowBuilder::filePairRows_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::addColumn<QStringList>("rows");
    QTest::newRow("insert only") << QByteArray("a\nb\n") << QByteArray("a\nx\nb\n")
                                 << QStringList{QStringLiteral(" 1:a| 1:a"), QStringLiteral(".|+2:x"),
                                                QStringLiteral(" 2:b| 3:b")};
    QTest::newRow("delete only") << QByteArray("a\nx\nb\n") << QByteArray("a\nb\n")
                                 << QStringList{QStringLiteral(" 1:a| 1:a"), QStringLiteral("-2:x|."),
                                                QStringLiteral(" 3:b| 2:b")};
    QTest::newRow("replace") << QByteArray("a\nreplicas: 6\nb\n") << QByteArray("a\nreplicas: 2\nb\n")
                             << QStringList{QStringLiteral(" 1:a| 1:a"),
                                            QStringLiteral("~2:replicas: 6{10,11}|~2:replicas: 2{10,11}"),
                                            QStringLiteral(" 3:b| 3:b")};
    QTest::newRow("replace two by one") << QByteArray("p\nq\n") << QByteArray("z\n")
                                        << QStringList{QStringLiteral("~1:p{0,1}|~1:z{0,1}"), QStringLiteral("-2:q|.")};
    QTest::newRow("replace one by two") << QByteArray("k: 1\n") << QByteArray("k: 2\nj: 3\n")
                                        << QStringList{QStringLiteral("~1:k: 1{3,4}|~1:k: 2{3,4}"),
                                                       QStringLiteral(".|+2:j: 3")};
    QTest::newRow("final newline missing on both") << QByteArray("a\nb") << QByteArray("a\nc")
                                                   << QStringList{QStringLiteral(" 1:a| 1:a"),
                                                                  QStringLiteral("~2:b[nonl]{0,1}|~2:c[nonl]{0,1}")};
    QTest::newRow("final newline added") << QByteArray("a\nb") << QByteArray("a\nb\n")
                                         << QStringList{QStringLiteral(" 1:a| 1:a"),
                                                        QStringLiteral("~2:b[nonl]|~2:b")};
    QTest::newRow("both empty") << QByteArray() << QByteArray() << QStringList{};
    QTest::newRow("from empty") << QByteArray() << QByteArray("a\nb\n")
                                << QStringList{QStringLiteral(".|+1:a"), QStringLiteral(".|+2:b")};
    QTest::newRow("to empty") << QByteArray("a\n") << QByteArray() << QStringList{QStringLiteral("-1:a|.")};
    QTest::newRow("crlf content change") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nc\r\n")
                                         << QStringList{QStringLiteral(" 1:a[crlf]| 1:a[crlf]"),
                                                        QStringLiteral("~2:b[crlf]{0,1}|~2:c[crlf]{0,1}")};
    QTest::newRow("crlf to lf only") << QByteArray("a\r\n") << QByteArray("a\n")
                                     << QStringList{QStringLiteral("~1:a[crlf]|~1:a")};
    QTest::newRow("lone cr stays content") << QByteArray("a\rb\n") << QByteArray("a\rc\n")
                                           << QStringList{QStringLiteral("~1:a\rb{2,3}|~1:a\rc{2,3}")};
    QTest::newRow("tabs kept as bytes") << QByteArray("\tkey:\t1\n") << QByteArray("\tkey:\t2\n")
                                        << QStringList{QStringLiteral("~1:\tkey:\t1{6,7}|~1:\tkey:\t2{6,7}")};
}

void TestRowBuilder::filePairRows()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    QFETCH(QStringList, rows);
    QCOMPARE(render(rowsOfPair(before, after)), rows);
}

void TestRowBuilder::patchWithoutTextsShowsGapsBetweenHunks()
{
    const QByteArray patch = "--- a\n+++ b\n"
                             "@@ -10,3 +10,3 @@ section one\n a\n-b\n+B\n c\n"
                             "@@ -40,2 +40,3 @@\n x\n+y\n z\n";
    const auto set = PatchParser::parse(patch);
    QVERIFY(set.ok());
    const auto rows = RowBuilder::build(set->files[0], set->data);
    QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
    QCOMPARE(render(*rows), (QStringList{QStringLiteral("gap 9 @1/1"), QStringLiteral(" 10:a| 10:a"),
                                         QStringLiteral("~11:b{0,1}|~11:B{0,1}"), QStringLiteral(" 12:c| 12:c"),
                                         QStringLiteral("gap 27 @13/13"), QStringLiteral(" 40:x| 40:x"),
                                         QStringLiteral(".|+41:y"), QStringLiteral(" 41:z| 42:z")}));
    QVERIFY(rows->foldedRows(rows->rows[0]).empty());
    QCOMPARE(rows->rows[1].hunk, 0);
    QCOMPARE(rows->rows[5].hunk, 1);
    // Cells point into the patch buffer itself.
    QCOMPARE(rows->leftBuffer.constData(), set->data.constData());
    QCOMPARE(rows->additions, 2);
    QCOMPARE(rows->deletions, 1);
}

void TestRowBuilder::foldsHideLongUnchangedRunsAndKeepTheirRows()
{
    QByteArray before = numbered(1, 200);
    QByteArray after = before;
    after.replace("line 100\n", "line one hundred\n");
    const SideBySide s = rowsOfPair(before, after);
    const QStringList rows = render(s);
    QCOMPARE(rows.size(), 1 + 3 + 1 + 3 + 1);
    QCOMPARE(rows[0], QStringLiteral("fold 96 @1/1"));
    QCOMPARE(rows[1], QStringLiteral(" 97:line 97| 97:line 97"));
    QCOMPARE(rows[4], QStringLiteral("~100:line 100{5,8}|~100:line one hundred{5,16}"));
    QCOMPARE(rows[7], QStringLiteral(" 103:line 103| 103:line 103"));
    QCOMPARE(rows[8], QStringLiteral("fold 97 @104/104"));
    // The folds keep every hidden line, in order, for unfolding.
    const auto first = s.foldedRows(s.rows[0]);
    QCOMPARE(first.size(), size_t(96));
    QCOMPARE(first.front().left.line, 1);
    QCOMPARE(QString::fromUtf8(s.leftText(first.back().left)), QStringLiteral("line 96"));
    const auto last = s.foldedRows(s.rows[8]);
    QCOMPARE(last.size(), size_t(97));
    QCOMPARE(last.back().right.line, 200);
    QCOMPARE(s.hidden.size(), size_t(96 + 97));

    // A run between two changes keeps context on both sides; a run that
    // would hide a single line is shown whole.
    QByteArray twoChanges = before;
    twoChanges.replace("line 10\n", "line ten\n").replace("line 18\n", "line eighteen\n");
    const QStringList near = render(rowsOfPair(before, twoChanges));
    QVERIFY(near.contains(QStringLiteral(" 14:line 14| 14:line 14"))); // 7 lines between: all shown
    QCOMPARE(near.filter(QStringLiteral("fold")).size(), 2);          // only before and after
    QByteArray apart = before;
    apart.replace("line 10\n", "line ten\n").replace("line 30\n", "line thirty\n");
    const QStringList far = render(rowsOfPair(before, apart));
    QVERIFY(far.contains(QStringLiteral("fold 13 @14/14")));
    QVERIFY(far.contains(QStringLiteral(" 13:line 13| 13:line 13")));
    QVERIFY(far.contains(QStringLiteral(" 27:line 27| 27:line 27")));
}

void TestRowBuilder::wideContextPatchFoldsInsideItsHunk()
{
    // A patch made with 20 lines of context: the long context runs inside the
    // one hunk fold, and their rows are known (they are in the patch).
    QByteArray before = numbered(1, 60);
    QByteArray after = before;
    after.replace("line 20\n", "line twenty\n").replace("line 45\n", "line forty-five\n");
    GitDiffOptions wide;
    wide.contextLines = 20;
    const auto diff = GitDiff::diff(DiffSide{before, "x", 0, false}, DiffSide{after, "x", 0, false}, wide);
    QVERIFY(diff.ok());
    QCOMPARE(diff->file.hunks.size(), size_t(1));
    const auto rows = RowBuilder::build(diff->file, diff->text);
    QVERIFY(rows.ok());
    const QStringList r = render(*rows);
    QCOMPARE(r.filter(QStringLiteral("fold")),
             (QStringList{QStringLiteral("fold 16 @1/1"), QStringLiteral("fold 18 @24/24"),
                          QStringLiteral("fold 12 @49/49")}));
    for (const Row &row : rows->rows) {
        if (row.kind == RowKind::Fold) {
            QCOMPARE(row.hunk, 0);
            const auto hidden = rows->foldedRows(row);
            QCOMPARE(int(hidden.size()), row.foldLines);
            QCOMPARE(QString::fromUtf8(rows->leftText(hidden.front().left)),
                     QStringLiteral("line %1").arg(row.left.line));
        }
    }
    QCOMPARE(rows->leftBuffer.constData(), diff->text.constData());
}

void TestRowBuilder::identicalTextsFoldEntirely()
{
    const QByteArray text = numbered(1, 148);
    const FullTexts texts{text, text};
    const FilePatch none;
    const auto rows = RowBuilder::build(none, QByteArray(), &texts);
    QVERIFY(rows.ok());
    QCOMPARE(render(*rows), QStringList{QStringLiteral("fold 148 @1/1")});
}

void TestRowBuilder::binaryFileIsOneRow()
{
    const SideBySide s = rowsOfPair(QByteArray("\0\1\2", 3), QByteArray("\0\1\3", 3));
    QVERIFY(s.binary);
    QCOMPARE(render(s), QStringList{QStringLiteral("binary")});
    const auto set = PatchParser::parse(QByteArray("diff --git a/x b/x\nindex 1..2 100644\n"
                                                   "Binary files a/x and b/x differ\n"));
    QVERIFY(set.ok());
    const auto rows = RowBuilder::build(set->files[0], set->data);
    QVERIFY(rows.ok());
    QCOMPARE(render(*rows), QStringList{QStringLiteral("binary")});
}

void TestRowBuilder::longLineSkipsIntraLine()
{
    const QByteArray longOld = "key: " + QByteArray(1100, 'a') + '\n';
    const QByteArray longNew = "key: " + QByteArray(1100, 'b') + '\n';
    const SideBySide s = rowsOfPair(longOld, longNew);
    QCOMPARE(s.rows.size(), size_t(1));
    QVERIFY(s.rows[0].left.intraLineSkipped);
    QVERIFY(s.rows[0].right.intraLineSkipped);
    QCOMPARE(s.rows[0].left.rangeCount, 0u);
    QCOMPARE(s.rows[0].left.length, qsizetype(1105));
    // Up to the limit the ranges are computed.
    const SideBySide shortPair = rowsOfPair("key: " + QByteArray(1000, 'a') + '\n', "key: " + QByteArray(1000, 'b') + '\n');
    QVERIFY(!shortPair.rows[0].left.intraLineSkipped);
    QCOMPARE(shortPair.rows[0].left.rangeCount, 1u);
}

void TestRowBuilder::intraLineRangesAreTokenLevel_data()
{
    QTest::addColumn<QByteArray>("left");
    QTest::addColumn<QByteArray>("right");
    QTest::addColumn<QString>("leftRanges");
    QTest::addColumn<QString>("rightRanges");
    QTest::newRow("one number") << QByteArray("replicas: 6") << QByteArray("replicas: 2") << QStringLiteral("{10,11}")
                                << QStringLiteral("{10,11}");
    // Prefix/suffix trimming would mark "read, write" and "write, read" whole.
    QTest::newRow("reordered words") << QByteArray("allow: [read, write]") << QByteArray("allow: [write, read]")
                                     << QStringLiteral("{8,12}{14,19}") << QStringLiteral("{8,13}{15,19}");
    // Prefix/suffix trimming would mark "100m, memory: 128" as one change.
    QTest::newRow("two separate edits") << QByteArray("cpu: 100m, memory: 128Mi")
                                        << QByteArray("cpu: 200m, memory: 256Mi") << QStringLiteral("{5,8}{19,22}")
                                        << QStringLiteral("{5,8}{19,22}");
    QTest::newRow("version bump") << QByteArray("- image: reg/checkout-api:2.14.0")
                                  << QByteArray("- image: reg/checkout-api:2.15.0-rc1") << QStringLiteral("{28,30}")
                                  << QStringLiteral("{28,30}{32,36}");
    QTest::newRow("nothing in common") << QByteArray("foo bar") << QByteArray("baz qux") << QStringLiteral("{0,7}")
                                       << QStringLiteral("{0,7}");
    QTest::newRow("utf-8 word stays whole") << QByteArray("name: caf\xc3\xa9") << QByteArray("name: caf\xc3\xa8")
                                            << QStringLiteral("{6,11}") << QStringLiteral("{6,11}");
    QTest::newRow("insertion") << QByteArray("a b") << QByteArray("a x b") << QString() << QStringLiteral("{2,4}");
    QTest::newRow("identical") << QByteArray("same") << QByteArray("same") << QString() << QString();
    QTest::newRow("empty to text") << QByteArray() << QByteArray("new") << QString() << QStringLiteral("{0,3}");
}

void TestRowBuilder::intraLineRangesAreTokenLevel()
{
    QFETCH(QByteArray, left);
    QFETCH(QByteArray, right);
    QFETCH(QString, leftRanges);
    QFETCH(QString, rightRanges);
    const IntraLineDiff d = IntraLine::diff(left, right);
    QCOMPARE(spans(d.left), leftRanges);
    QCOMPARE(spans(d.right), rightRanges);
}

void TestRowBuilder::tokenizerSplitsWordsNumbersBlanksPunctuation()
{
    std::vector<IntraLine::Token> tokens;
    const QByteArray line = "  image_v2: 128Mi,\t\"x\"";
    IntraLine::tokenize(line, tokens);
    QStringList got;
    static const char kinds[] = {'w', 'n', 'b', 'p'};
    for (const auto &t : tokens)
        got << QLatin1Char(kinds[static_cast<int>(t.kind)]) + QString::fromUtf8(line.mid(t.offset, t.length));
    QCOMPARE(got, (QStringList{QStringLiteral("b  "), QStringLiteral("wimage_v2"), QStringLiteral("p:"),
                               QStringLiteral("b "), QStringLiteral("n128"), QStringLiteral("wMi"),
                               QStringLiteral("p,"), QStringLiteral("b\t"), QStringLiteral("p\""),
                               QStringLiteral("wx"), QStringLiteral("p\"")}));
}

void TestRowBuilder::textsThatDoNotMatchThePatchAreRefused()
{
    const QByteArray before = "a\nb\nc\n";
    const QByteArray after = "a\nB\nc\n";
    const auto diff = GitDiff::diff(DiffSide{before, "x", 0, false}, DiffSide{after, "x", 0, false});
    QVERIFY(diff.ok());
    const FullTexts other{QByteArray("a\nb\nchanged\n"), after};
    const auto rows = RowBuilder::build(diff->file, diff->text, &other);
    QVERIFY(!rows.ok());
    QCOMPARE(rows.error().code, ExitCode::Mismatch);
    QCOMPARE(rows.error().reason, QStringLiteral("text_mismatch"));
    QVERIFY2(rows.error().message.contains(QStringLiteral("old line 3 differs")), qPrintable(rows.error().message));
    const FullTexts longer{before + "extra\n", after};
    const auto rows2 = RowBuilder::build(diff->file, diff->text, &longer);
    QVERIFY(!rows2.ok());
    QVERIFY2(rows2.error().message.contains(QStringLiteral("new text ends")), qPrintable(rows2.error().message));
}

void TestRowBuilder::changeBlocksAndHunkRowsIndexChanges()
{
    QByteArray before = numbered(1, 60);
    QByteArray after = before;
    after.replace("line 5\n", "line five\n").replace("line 6\n", "").replace("line 50\n", "line 50\nnew\n");
    const SideBySide s = rowsOfPair(before, after);
    QCOMPARE(s.blocks.size(), size_t(2));
    QCOMPARE(s.hunkRows.size(), size_t(2));
    for (size_t i = 0; i < s.blocks.size(); ++i) {
        const ChangeBlock &b = s.blocks[i];
        QCOMPARE(s.hunkRows[i], b.firstRow);
        QCOMPARE(b.hunk, int(i));
        for (int r = b.firstRow; r < b.firstRow + b.rowCount; ++r)
            QCOMPARE(s.rows[static_cast<size_t>(r)].kind, RowKind::Change);
    }
    QCOMPARE(s.blocks[0].rowCount, 2); // five/5 paired, 6 removed
    QCOMPARE(s.blocks[1].rowCount, 1);
    QCOMPARE(s.additions, 2);
    QCOMPARE(s.deletions, 2);
}

QTEST_GUILESS_MAIN(TestRowBuilder)
#include "tst_rowbuilder.moc"
