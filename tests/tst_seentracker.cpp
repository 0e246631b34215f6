#include "coverage/seentracker.h"

#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace hp;

// DESIGN §5 "seen": entirely in the viewport for kDwellMs; a tall item once
// every part of it has rested in view.
class TestSeenTracker : public QObject
{
    Q_OBJECT

private:
    // Lets the viewport rest longer than the dwell time (a wait, not a timing assertion).
    static void rest() { QTest::qWait(SeenTracker::kDwellMs + 150); }

private Q_SLOTS:
    void shortItemIsSeenAfterTheViewportRests()
    {
        QWidget scope;
        SeenTracker tracker(&scope);
        tracker.setRequireActiveWindow(false);
        tracker.setItems({{QStringLiteral("a"), 0, 5}, {QStringLiteral("b"), 10, 15}});
        QSignalSpy spy(&tracker, &SeenTracker::seen);
        tracker.setViewport(0, 8);
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList{QStringLiteral("a")});
        QVERIFY(!tracker.isSeen(QStringLiteral("b")));
        QCOMPARE(tracker.seenCount(), 1);
        QCOMPARE(tracker.unseen(), QStringList{QStringLiteral("b")});
    }

    void partlyVisibleItemIsNotSeen()
    {
        QWidget scope;
        SeenTracker tracker(&scope);
        tracker.setRequireActiveWindow(false);
        tracker.setItems({{QStringLiteral("a"), 0, 5}, {QStringLiteral("b"), 6, 8}});
        tracker.setViewport(3, 9); // b entirely inside, a only in part
        QTRY_VERIFY(tracker.isSeen(QStringLiteral("b")));
        QVERIFY(!tracker.isSeen(QStringLiteral("a")));
    }

    void tallItemIsSeenOnceScrolledThrough()
    {
        QWidget scope;
        SeenTracker tracker(&scope);
        tracker.setRequireActiveWindow(false);
        tracker.setItems({{QStringLiteral("tall"), 0, 20}});
        tracker.setViewport(0, 8);
        rest();
        tracker.setViewport(8, 16);
        rest();
        QVERIFY(!tracker.isSeen(QStringLiteral("tall"))); // rows 16..19 not yet
        tracker.setViewport(12, 20);
        QTRY_VERIFY(tracker.isSeen(QStringLiteral("tall")));
    }

    void tallItemSkippedInTheMiddleIsNotSeen()
    {
        QWidget scope;
        SeenTracker tracker(&scope);
        tracker.setRequireActiveWindow(false);
        tracker.setItems({{QStringLiteral("tall"), 0, 30}, {QStringLiteral("probe"), 25, 27}});
        tracker.setViewport(0, 8);
        rest();
        tracker.setViewport(22, 30); // rows 8..21 never rested in view
        QTRY_VERIFY(tracker.isSeen(QStringLiteral("probe")));
        QVERIFY(!tracker.isSeen(QStringLiteral("tall")));
    }

    void keysMarkedSeenAreCountedButNotAnnouncedAgain()
    {
        QWidget scope;
        SeenTracker tracker(&scope);
        tracker.setRequireActiveWindow(false);
        tracker.setItems({{QStringLiteral("a"), 0, 2}, {QStringLiteral("b"), 3, 5}});
        tracker.markSeen({QStringLiteral("a")});
        QCOMPARE(tracker.seenCount(), 1);
        QSignalSpy spy(&tracker, &SeenTracker::seen);
        tracker.setViewport(0, 10);
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toStringList(), QStringList{QStringLiteral("b")});
        QCOMPARE(tracker.seenCount(), 2);
    }

    void inactiveWindowSeesNothing()
    {
        QWidget scope; // never shown: not the active window
        SeenTracker tracker(&scope);
        tracker.setItems({{QStringLiteral("a"), 0, 2}});
        tracker.setViewport(0, 10);
        rest();
        QVERIFY(!tracker.isSeen(QStringLiteral("a")));
    }
};

QTEST_MAIN(TestSeenTracker)
#include "tst_seentracker.moc"
