#pragma once

#include <QStringList>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTimer;
class QTreeView;

// A Terraform plan a reviewer cannot misread (DESIGN §9 Review, plan
// bullets): the summary line with destructive changes first ("2 replaced
// (destroy, then create), 2 updated", never "N to add"), the plan's own
// warnings (errored, incomplete), the cascades with both ends named, the
// planfile the approval covers, and the resources grouped by action with
// large badges, each expanding to why, cascades and the attribute diff.
// Filter by action and module, search by address or attribute.
//
// Coverage (DESIGN §5 "seen"): one item per destructive resource (replace,
// delete), keyed coverage::resourceKey(artifact, address); newly seen keys
// are emitted by itemsSeen and counted in the header.
//
// The plan arrives parsed (ReviewService reads plans off the GUI thread);
// while it is being read the view shows a busy state. Everything shown went
// through the revision's Redactor: no secret reaches a widget, tooltip or the
// clipboard.
namespace hp {

struct ReadPlan;
class PlanTreeModel;
class SeenTracker;

class PlanView : public QWidget
{
    Q_OBJECT

public:
    explicit PlanView(QWidget *parent = nullptr);

    // Shows `plan`, artifact `artifact` of its revision; `planfile` is the
    // line naming the planfile the approval covers (empty when none).
    void showPlan(std::shared_ptr<const ReadPlan> plan, int artifact, const QString &planfile);
    // The plan is being read: a busy bar, what is read and a Cancel button.
    // Cancel stops waiting (readingCancelled) and offers to show the plan
    // again (readingRequested); parsing itself runs to its end off the GUI
    // thread and its result is kept.
    void showReading(const QString &what);
    // No plan to show, and why (e.g. a planfile without its JSON plan).
    void showMessage(const QString &message, const QString &planfile = {});
    void clear();

    // Keys seen earlier (from the store): counted, never re-announced.
    void markSeen(const QStringList &keys);
    QStringList destructiveKeys() const;
    int seenDestructive() const;

    PlanTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    SeenTracker *tracker() const { return m_tracker; }
    // Copies the current row as plain text (Ctrl+C).
    void copyCurrent() const;

Q_SIGNALS:
    void itemsSeen(const QStringList &keys);
    void readingCancelled();
    void readingRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildFilters();
    QWidget *buildTree();
    void fillFilters();
    void applyFilters();
    void showHeader();
    void updateCoverage();
    void scheduleItems();
    void updateItems();
    void updateViewport();
    void indexAttributes();

    std::shared_ptr<const ReadPlan> m_plan;
    QStringList m_destructive;
    quint64 m_generation = 0; // bumps with every plan shown: late index results are dropped
    PlanTreeModel *m_model = nullptr;
    SeenTracker *m_tracker = nullptr;
    QTimer *m_itemsTimer = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_planPage = nullptr;
    QWidget *m_busyPage = nullptr;
    QLabel *m_busyText = nullptr;
    QProgressBar *m_busyBar = nullptr;
    QPushButton *m_busyButton = nullptr; // Cancel while reading, then "Show the plan"
    bool m_reading = false;
    QLabel *m_summary = nullptr;
    QLabel *m_warnings = nullptr;
    QLabel *m_cascades = nullptr;
    QLabel *m_planfile = nullptr;
    QLabel *m_coverage = nullptr;
    QComboBox *m_action = nullptr;
    QComboBox *m_module = nullptr;
    QLineEdit *m_search = nullptr;
    QTreeView *m_tree = nullptr;
};

} // namespace hp
