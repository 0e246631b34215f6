#include "artifactpane.h"
#include "coverage/seentracker.h"
#include "diff/sidebysidediffview.h"
#include "review/reviewservice.h"
#include "storage/store.h"
#include "storefixture.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

#include <map>
#include <memory>

using namespace hp;

namespace {

// "line N of the file\n" for N in 1..count, with some lines replaced.
QByteArray numbered(int count, const std::map<int, QByteArray> &edits = {})
{
    QByteArray out;
    out.reserve(count * 24);
    for (int i = 1; i <= count; ++i) {
        const auto it = edits.find(i);
        out += it != edits.end() ? it->second : QByteArray("line ") + QByteArray::number(i) + " of the file";
        out += '\n';
    }
    return out;
}

DiffInput pair(const QByteArray &before, const QByteArray &after, const QString &name = QStringLiteral("app.yaml"))
{
    return {ArtifactKind::FilePair, name, {before, after}};
}

DiffInput patch(const QByteArray &text)
{
    return {ArtifactKind::UnifiedDiff, QStringLiteral("change.patch"), {text}};
}

// Five hunks far apart: folds between them.
DiffInput fiveHunks()
{
    std::map<int, QByteArray> edits;
    for (int at : {20, 80, 140, 200, 260})
        edits[at] = "edited line " + QByteArray::number(at) + " of the file";
    return pair(numbered(300), numbered(300, edits));
}

const QByteArray kTwoFiles = "diff --git a/one.txt b/one.txt\n"
                             "--- a/one.txt\n"
                             "+++ b/one.txt\n"
                             "@@ -1,3 +1,3 @@\n"
                             " alpha\n"
                             "-beta\n"
                             "+BETA\n"
                             " gamma\n"
                             "diff --git a/two.txt b/two.txt\n"
                             "--- a/two.txt\n"
                             "+++ b/two.txt\n"
                             "@@ -1,2 +1,2 @@\n"
                             "-delta\n"
                             "+DELTA\n"
                             " epsilon\n";

} // namespace

class TestDiffView : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SideBySideDiffView> m_view;

    SideBySideDiffView *open(const DiffInput &input, int artifact = 0)
    {
        m_view = std::make_unique<SideBySideDiffView>();
        m_view->tracker()->setRequireActiveWindow(false);
        m_view->resize(1100, 640);
        m_view->show();
        QSignalSpy ready(m_view.get(), &SideBySideDiffView::ready);
        m_view->setArtifact(artifact, input);
        if (!ready.wait(30000) && ready.isEmpty())
            return nullptr;
        return m_view.get();
    }

    bool rowVisible(int row) const
    {
        const DiffPane *pane = m_view->rightPane();
        return row >= pane->firstVisibleRow() && row < pane->firstVisibleRow() + pane->visibleRows();
    }

    void key(int k, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        QTest::keyClick(m_view->rightPane(), static_cast<Qt::Key>(k), modifiers);
    }

private Q_SLOTS:
    void cleanup() { m_view.reset(); }

    void nAndPMoveBetweenHunks()
    {
        SideBySideDiffView *view = open(fiveHunks());
        QVERIFY(view);
        const std::vector<HunkSpan> &hunks = view->layout().hunks();
        QCOMPARE(hunks.size(), size_t(5));
        QCOMPARE(view->currentHunk(), 0);
        for (int h = 1; h < 5; ++h) {
            key(Qt::Key_N);
            QCOMPARE(view->currentHunk(), h);
            QCOMPARE(view->currentRow(), hunks[static_cast<size_t>(h)].first);
            QVERIFY(rowVisible(view->currentRow()));
        }
        key(Qt::Key_N); // past the last: stays
        QCOMPARE(view->currentHunk(), 4);
        key(Qt::Key_P);
        key(Qt::Key_P);
        QCOMPARE(view->currentHunk(), 2);
        QVERIFY(rowVisible(view->currentRow()));
    }

    void fileKeysMoveBetweenFiles()
    {
        SideBySideDiffView *view = open(patch(kTwoFiles));
        QVERIFY(view);
        QCOMPARE(view->document()->files.size(), size_t(2));
        key(Qt::Key_N, Qt::ShiftModifier);
        QCOMPARE(view->currentRow(), view->layout().fileHeader(1));
        key(Qt::Key_P, Qt::ShiftModifier);
        QCOMPARE(view->currentRow(), view->layout().fileHeader(0));
        key(Qt::Key_BracketRight);
        QCOMPARE(view->currentRow(), view->layout().fileHeader(1));
    }

    void scrollingOnePaneScrollsTheOther()
    {
        std::map<int, QByteArray> edits;
        for (int i = 1; i <= 400; i += 2)
            edits[i] = QByteArray(300, 'x') + QByteArray::number(i);
        SideBySideDiffView *view = open(pair(numbered(400), numbered(400, edits)));
        QVERIFY(view);
        QScrollBar *leftV = view->leftPane()->verticalScrollBar();
        QScrollBar *rightV = view->rightPane()->verticalScrollBar();
        QVERIFY(leftV->maximum() > 50);
        leftV->setValue(40);
        QCOMPARE(rightV->value(), 40);
        rightV->setValue(12);
        QCOMPARE(leftV->value(), 12);
        QCOMPARE(view->leftPane()->firstVisibleRow(), view->rightPane()->firstVisibleRow());
        QScrollBar *leftH = view->leftPane()->horizontalScrollBar();
        QScrollBar *rightH = view->rightPane()->horizontalScrollBar();
        QVERIFY(rightH->maximum() > 0);
        rightH->setValue(rightH->maximum() / 2);
        QCOMPARE(leftH->value(), rightH->value());
    }

    void unifiedToggleKeepsTheCurrentHunk()
    {
        SideBySideDiffView *view = open(fiveHunks());
        QVERIFY(view);
        const int sideBySideRows = view->layout().count();
        key(Qt::Key_N);
        key(Qt::Key_N);
        key(Qt::Key_N);
        QCOMPARE(view->currentHunk(), 3);
        key(Qt::Key_U);
        QVERIFY(view->isUnified());
        QVERIFY(!view->leftPane()->isVisible());
        QCOMPARE(view->rightPane()->side(), PaneSide::Unified);
        QVERIFY(view->layout().count() > sideBySideRows); // a changed line takes two rows
        QCOMPARE(view->currentHunk(), 3);
        QVERIFY(rowVisible(view->currentRow()));
        key(Qt::Key_U);
        QVERIFY(!view->isUnified());
        QCOMPARE(view->layout().count(), sideBySideRows);
        QCOMPARE(view->currentHunk(), 3);
    }

    void clickingAFoldOpensIt()
    {
        SideBySideDiffView *view = open(fiveHunks());
        QVERIFY(view);
        const DiffDocument *doc = view->document();
        int foldRow = -1;
        int foldLines = 0;
        for (int r = 0; r < view->layout().count() && foldRow < 0; ++r) {
            const DisplayRow &d = view->layout().rows()[static_cast<size_t>(r)];
            if (d.kind != LineKind::Row)
                continue;
            const diff::Row &row = doc->files[0].rows.rows[static_cast<size_t>(d.index)];
            if (row.kind == diff::RowKind::Fold && r > 1) {
                foldRow = r;
                foldLines = row.foldLines;
            }
        }
        QVERIFY(foldRow > 0);
        QVERIFY(foldLines >= 2);
        const int before = view->layout().count();
        DiffPane *pane = view->rightPane();
        pane->verticalScrollBar()->setValue(foldRow);
        QCOMPARE(pane->firstVisibleRow(), foldRow);
        QTest::mouseClick(pane->viewport(), Qt::LeftButton, {}, QPoint(60, pane->rowHeight() / 2));
        QCOMPARE(view->layout().count(), before + foldLines - 1);
        QCOMPARE(view->layout().rows()[static_cast<size_t>(foldRow)].kind, LineKind::Hidden);
        // Enter on another fold opens it too.
        int next = -1;
        for (int r = foldRow + foldLines; r < view->layout().count() && next < 0; ++r) {
            const DisplayRow &d = view->layout().rows()[static_cast<size_t>(r)];
            if (d.kind == LineKind::Row &&
                doc->files[0].rows.rows[static_cast<size_t>(d.index)].kind == diff::RowKind::Fold)
                next = r;
        }
        QVERIFY(next > 0);
        pane->verticalScrollBar()->setValue(next - 1);
        const int y = (next - 1 - pane->firstVisibleRow()) * pane->rowHeight() + pane->rowHeight() / 2;
        QTest::mouseClick(pane->viewport(), Qt::LeftButton, {}, QPoint(60, y)); // the row above
        QCOMPARE(view->currentRow(), next - 1);
        key(Qt::Key_Down);
        QCOMPARE(view->currentRow(), next);
        QCOMPARE(view->layout().rows()[static_cast<size_t>(next)].kind, LineKind::Row);
        key(Qt::Key_Return);
        QCOMPARE(view->layout().rows()[static_cast<size_t>(next)].kind, LineKind::Hidden);
    }

    void findMovesToMatchesIncludingFoldedLines()
    {
        QByteArray before = numbered(300, {{40, "a Needle among unchanged lines"}, {150, "old"}});
        QByteArray after = numbered(300, {{40, "a Needle among unchanged lines"}, {150, "needle in the new text"},
                                          {290, "needle again"}});
        SideBySideDiffView *view = open(pair(before, after));
        QVERIFY(view);
        key(Qt::Key_F, Qt::ControlModifier);
        QVERIFY(view->findField()->isVisible());
        QTest::keyClicks(view->findField(), QStringLiteral("needle"));
        QCOMPARE(view->findMatchCount(), 3);
        // The first match at or after the current row (the first hunk), then on, wrapping.
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("needle in the new")));
        QVERIFY(rowVisible(view->currentRow()));
        QTest::keyClick(view->findField(), Qt::Key_F3);
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("needle again")));
        QVERIFY(rowVisible(view->currentRow()));
        // Line 40 sits in a fold: reaching it opens the fold.
        QTest::keyClick(view->findField(), Qt::Key_F3);
        QCOMPARE(view->layout().rows()[static_cast<size_t>(view->currentRow())].kind, LineKind::Hidden);
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("Needle among")));
        QVERIFY(rowVisible(view->currentRow()));
        QTest::keyClick(view->findField(), Qt::Key_F3, Qt::ShiftModifier);
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("needle again")));
        view->find(QStringLiteral("no such text"));
        QCOMPARE(view->findMatchCount(), 0);
    }

    void bannerCountsBidiCharactersInLinesAndNames()
    {
        const QByteArray rlo = "\xE2\x80\xAE"; // U+202E RIGHT-TO-LEFT OVERRIDE
        const QByteArray text = "diff --git a/ok.txt b/ok.txt\n"
                                "--- a/ok.txt\n"
                                "+++ b/ok.txt\n"
                                "@@ -1 +1 @@\n"
                                "-if (admin) {\n"
                                "+if (admin" + rlo + ") {\n"
                                "diff --git a/evil" + rlo + "txt.sh b/evil" + rlo + "txt.sh\n"
                                "new file mode 100644\n"
                                "--- /dev/null\n"
                                "+++ b/evil" + rlo + "txt.sh\n"
                                "@@ -0,0 +1 @@\n"
                                "+echo hi\n";
        SideBySideDiffView *view = open(patch(text));
        QVERIFY(view);
        QCOMPARE(view->dangerCount(), 2);
        QVERIFY(view->banner()->isVisible());
        QVERIFY(view->bannerText().startsWith(QStringLiteral("2 hidden or control characters in 2 files ")));
        // The escape is what the pane shows; the button visits each spot.
        view->nextDanger();
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("<U+202E>")));
        QCOMPARE(view->layout().fileOf(view->currentRow()), 0);
        view->nextDanger();
        QCOMPARE(view->currentRow(), view->layout().fileHeader(1));
        QVERIFY(view->rightPane()->rowText(view->currentRow()).contains(QStringLiteral("evil<U+202E>txt.sh")));
        // Stored bytes are unchanged.
        QVERIFY(view->document()->files[1].newPath.contains(rlo));

        view->setContext(QStringLiteral("Fix ") + QChar(0x202E) + QStringLiteral("login"), QStringLiteral("plain"));
        QCOMPARE(view->dangerCount(), 3);
        QVERIFY(view->bannerText().contains(QStringLiteral("and the title")));
    }

    void tabsAndCrlfRaiseNoBanner()
    {
        const QByteArray text = "--- a/x.txt\n"
                                "+++ b/x.txt\n"
                                "@@ -1,2 +1,2 @@\n"
                                "-\tindented\r\n"
                                "+\tindented more\r\n"
                                " last\r\n";
        SideBySideDiffView *view = open(patch(text));
        QVERIFY(view);
        QCOMPARE(view->dangerCount(), 0);
        QVERIFY(!view->banner()->isVisible());
        QVERIFY(view->rightPane()->rowText(view->currentRow()).startsWith(QStringLiteral("        indented more")));
    }

    void coverageGrowsAsHunksAreScrolledIntoView()
    {
        SideBySideDiffView *view = open(fiveHunks(), 7);
        QVERIFY(view);
        QSignalSpy seen(view, &SideBySideDiffView::itemsSeen);
        const QString first = coverage::hunkKey(7, 0, 0);
        const QString last = coverage::hunkKey(7, 0, 4);
        view->rightPane()->verticalScrollBar()->setValue(0);
        QTRY_VERIFY_WITH_TIMEOUT(view->tracker()->isSeen(first), 30000);
        QVERIFY(!view->tracker()->isSeen(last));
        const int early = view->tracker()->seenCount();
        QVERIFY(early >= 1 && early < 5);
        QVERIFY(view->seenText().startsWith(QStringLiteral("Seen %1 of 5 hunks").arg(early)));
        view->rightPane()->verticalScrollBar()->setValue(view->rightPane()->verticalScrollBar()->maximum());
        QTRY_VERIFY_WITH_TIMEOUT(view->tracker()->isSeen(last), 30000);
        QVERIFY(view->tracker()->seenCount() > early);
        QStringList announced;
        for (const QList<QVariant> &args : seen)
            announced += args.at(0).toStringList();
        QVERIFY(announced.contains(last));
        QCOMPARE(announced.removeDuplicates(), 0); // each key once
        QCOMPARE(view->seenText(), QStringLiteral("Seen %1 of 5 hunks").arg(view->tracker()->seenCount()));
    }

    void copyTakesTheSelectedRowsOfTheFocusedSide()
    {
        SideBySideDiffView *view = open(patch(kTwoFiles));
        QVERIFY(view);
        DiffPane *left = view->leftPane();
        const int beta = view->layout().fileHeader(0) + 2; // header, alpha, beta/BETA
        const int y = (beta - left->firstVisibleRow()) * left->rowHeight() + left->rowHeight() / 2;
        left->setFocus();
        QTest::mouseClick(left->viewport(), Qt::LeftButton, {}, QPoint(80, y - left->rowHeight()));
        QTest::mouseClick(left->viewport(), Qt::LeftButton, Qt::ShiftModifier, QPoint(80, y));
        QTest::keyClick(left, Qt::Key_C, Qt::ControlModifier);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("alpha\nbeta\n"));
    }

    void binaryFileShowsOneRow()
    {
        QByteArray before("\x01\x02\x00\x03", 4);
        QByteArray after("\x01\x02\x00\x03\x04\x05", 6);
        SideBySideDiffView *view = open(pair(before, after, QStringLiteral("logo.png")));
        QVERIFY(view);
        const DiffFile &f = view->document()->files[0];
        QVERIFY(f.rows.binary);
        QCOMPARE(f.statusLetter(), QStringLiteral("B"));
        QCOMPARE(f.oldSize, 4);
        QCOMPARE(f.newSize, 6);
        QCOMPARE(view->layout().count(), 2); // header and the binary row
        QCOMPARE(view->layout().hunks().size(), size_t(0));

        view = open(patch("diff --git a/a.bin b/a.bin\nindex 1234567..89abcde 100644\n"
                          "Binary files a/a.bin and b/a.bin differ\n"));
        QVERIFY(view);
        QVERIFY(view->document()->files[0].rows.binary);
        QCOMPARE(view->document()->files[0].newSize, -1);
    }

    void textWithoutADiffFails()
    {
        m_view = std::make_unique<SideBySideDiffView>();
        QSignalSpy failed(m_view.get(), &SideBySideDiffView::failed);
        m_view->setArtifact(0, patch("just a note, no diff here\n"));
        QVERIFY(failed.wait(10000));
        QVERIFY(m_view->document() == nullptr);
        QVERIFY(!DiffDocument::looksLikePatch("just a note\n--- not a header\nthen text\n"));
        QVERIFY(DiffDocument::looksLikePatch(kTwoFiles));
    }

    void artifactPaneShowsPatchesInTheDiffViewAndForwardsCoverage()
    {
        testing::StoreFixture fx;
        fx.addTeam();
        const QString id = fx.submitAsBot(kTwoFiles);
        QVERIFY(!id.isEmpty());
        ReviewService service(*fx.store, QStringLiteral("rita"));
        ArtifactPane pane(service);
        pane.diffView()->tracker()->setRequireActiveWindow(false);
        pane.resize(1000, 700);
        pane.show();
        QSignalSpy ready(pane.diffView(), &SideBySideDiffView::ready);
        QSignalSpy seen(&pane, &ArtifactPane::itemsSeen);
        Result<ChangeDetail> detail = service.loadChange(id);
        QVERIFY(detail.ok());
        pane.setChange(*detail);
        QVERIFY(ready.wait(10000));
        QVERIFY(pane.diffView()->isVisible());
        QCOMPARE(pane.diffView()->document()->files.size(), size_t(2));
        // Seen hunks leave the pane with the change and revision they belong to
        // (the store records them once its coverage table is in; until then it
        // refuses, and the pane logs that).
        QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty(), 30000);
        QCOMPARE(seen.at(0).at(0).toString(), id);
        QCOMPARE(seen.at(0).at(1).toInt(), 1);
        QVERIFY(seen.at(0).at(2).toStringList().contains(coverage::hunkKey(0, 0, 0)));

        // Text that is no diff stays in the plain text view.
        const QString note = fx.submitAsBot("only a note, no diff\n");
        Result<ChangeDetail> other = service.loadChange(note);
        QVERIFY(other.ok());
        pane.setChange(*other);
        QVERIFY(!pane.diffView()->isVisible());
        QCOMPARE(pane.textView()->toPlainText(), QStringLiteral("only a note, no diff\n"));
    }

    void largePairBuildsOffTheGuiThreadAndCanBeCancelled()
    {
        const int lines = 200000;
        std::map<int, QByteArray> edits;
        for (int i = 500; i < lines; i += 997)
            edits[i] = "changed: " + QByteArray::number(i * 7);
        const DiffInput big = pair(numbered(lines), numbered(lines, edits));

        // Cancelled: no document, no ready signal.
        m_view = std::make_unique<SideBySideDiffView>();
        QSignalSpy ready(m_view.get(), &SideBySideDiffView::ready);
        m_view->setArtifact(0, big);
        QVERIFY(m_view->isBuilding());
        QFuture<std::shared_ptr<const DiffDocument>> cancelled = m_view->buildFuture();
        QPushButton *cancel = nullptr;
        for (QPushButton *b : m_view->findChildren<QPushButton *>())
            cancel = b->text() == QStringLiteral("Cancel") ? b : cancel;
        QVERIFY(cancel);
        cancel->click();
        QVERIFY(cancelled.isCanceled());
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.isFinished(), 60000);
        QCoreApplication::processEvents();
        QVERIFY(m_view->document() == nullptr);
        QCOMPARE(ready.count(), 0);

        // Replacing the artifact cancels the running build.
        m_view->setArtifact(0, big);
        QFuture<std::shared_ptr<const DiffDocument>> replaced = m_view->buildFuture();
        m_view->setArtifact(1, patch(kTwoFiles));
        QVERIFY(replaced.isCanceled());
        QVERIFY(ready.wait(30000));
        QCOMPARE(m_view->document()->files.size(), size_t(2));

        // Built: the event loop kept running and saw progress.
        m_view->resize(1200, 800);
        m_view->show();
        QSignalSpy progress(m_view.get(), &SideBySideDiffView::buildProgress);
        int turns = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&turns] { ++turns; });
        ticker.start(5);
        m_view->setArtifact(0, big);
        QVERIFY(ready.wait(120000));
        QVERIFY(progress.count() >= 1);
        QVERIFY(turns >= 1); // the GUI thread was free while rows were built
        QVERIFY(m_view->layout().hunks().size() > 150);

        // Not an assertion: the cost of painting a full viewport, for the record.
        DiffPane *pane = m_view->rightPane();
        pane->verticalScrollBar()->setValue(pane->verticalScrollBar()->maximum() / 2);
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 20; ++i)
            pane->viewport()->repaint();
        qInfo("paint of a full viewport (%d rows): %.2f ms", pane->visibleRows(),
              static_cast<double>(timer.nsecsElapsed()) / 20e6);
    }
};

QTEST_MAIN(TestDiffView)
#include "tst_diffview.moc"
