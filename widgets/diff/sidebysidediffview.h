#pragma once

#include "diff/diffpane.h"
#include "diff/difffinder.h"

#include <QFuture>
#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QToolButton;
class QTreeWidget;
template <typename T> class QFutureWatcher;

// The diff of one artifact for review (DESIGN §9 Review, issue #3): a file
// list with +/- counts, two panes side by side (or one unified pane) kept in
// step by one vertical scrollbar, keyboard navigation (n/p hunk, N/P or ]/[
// file, u unified, Ctrl+F and F3 find, Ctrl+C copy, Enter opens a fold), a
// banner counting dangerous characters with a button that visits each one,
// and review coverage: every hunk entirely in view of the active window for
// 300 ms is announced once through itemsSeen(). Rows are built off the GUI
// thread with progress and cancel; showing another artifact cancels a build.
namespace hp {

class SeenTracker;

class SideBySideDiffView : public QWidget
{
    Q_OBJECT

public:
    explicit SideBySideDiffView(QWidget *parent = nullptr);
    ~SideBySideDiffView() override;

    // Starts building the diff of artifact `artifactIndex` (its coverage keys
    // use that index). The previous build, if any, is cancelled.
    void setArtifact(int artifactIndex, const DiffInput &input);
    // The change's title and intent: scanned for dangerous characters too.
    void setContext(const QString &title, const QString &intent);
    void clear();
    // Coverage read from the store: counted, never announced again.
    void markSeen(const QStringList &keys);

    bool isBuilding() const;
    void cancelBuild();
    QFuture<std::shared_ptr<const DiffDocument>> buildFuture() const { return m_future; }
    const DiffDocument *document() const { return m_state.doc.get(); }
    const DiffLayout &layout() const { return m_state.layout; }
    DiffPane *leftPane() const { return m_left; }
    DiffPane *rightPane() const { return m_right; }
    SeenTracker *tracker() const { return m_tracker; }
    int currentRow() const { return m_state.cursor; }
    int currentHunk() const; // index into layout().hunks(), -1 before the first
    bool isUnified() const { return m_state.layout.unified(); }
    int dangerCount() const;
    QWidget *banner() const { return m_banner; }
    QString bannerText() const;
    QString seenText() const;
    QLineEdit *findField() const { return m_findField; }
    int findMatchCount() const { return static_cast<int>(m_matches.size()); }
    int currentMatch() const { return m_matchIndex; }

public Q_SLOTS:
    void nextHunk();
    void previousHunk();
    void nextFile();
    void previousFile();
    void setUnified(bool unified);
    void openFold(int row);
    void showFind();
    void find(const QString &query);
    void findNext();
    void findPrevious();
    void nextDanger();
    void copySelection();

Q_SIGNALS:
    void itemsSeen(const QStringList &keys);
    void buildProgress(int value, int maximum);
    void ready();
    void failed(const QString &reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildBanner();
    QWidget *buildFindBar();
    QWidget *buildProgressPage();
    void installShortcuts();
    void connectPanes();
    void onBuilt();
    void showDocument(std::shared_ptr<const DiffDocument> doc);
    void fillFileList();
    void relayout(bool unified);
    void updateCoverage();
    void updateSeenViews();
    void updateBanner();
    void setCursor(int row, bool right);
    void reveal(const DangerSpot &spot, int column);
    void showMatch();
    DangerSpot spotOf(int row, bool right) const;
    bool handleKey(const QKeyEvent &key);
    DiffPane *activePane() const;

    DiffPaneState m_state;
    DiffPane *m_left = nullptr;
    DiffPane *m_right = nullptr;
    QStackedWidget *m_stack = nullptr; // progress or message | panes
    QTreeWidget *m_files = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_seen = nullptr;
    QToolButton *m_unifiedButton = nullptr;
    QWidget *m_banner = nullptr;
    QLabel *m_bannerLabel = nullptr;
    QWidget *m_findBar = nullptr;
    QLineEdit *m_findField = nullptr;
    QLabel *m_findStatus = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_message = nullptr;
    QPushButton *m_cancel = nullptr;
    SeenTracker *m_tracker = nullptr;
    QFutureWatcher<std::shared_ptr<const DiffDocument>> *m_watcher = nullptr;
    QFuture<std::shared_ptr<const DiffDocument>> m_future;
    QSet<quint64> m_opened;
    std::vector<FindSpot> m_matches;
    int m_matchIndex = -1;
    int m_dangerIndex = -1;
    int m_artifact = 0;
    int m_contextDangers = 0; // in the title and intent
    QString m_contextWhere;   // "the title", "the intent", "the title and the intent"
    bool m_syncing = false;   // guards the scrollbars against feeding each other
};

} // namespace hp
