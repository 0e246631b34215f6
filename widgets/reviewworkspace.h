#pragma once

#include "domain/types.h"

#include <QSet>
#include <QWidget>

#include <vector>

class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

// The Review workspace (DESIGN §9): the queue with its filter on the left,
// the selected change's artifacts in the middle, on the right its blast radius
// and its details as two tabs, and the decision bar at the bottom. It composes and routes: the service reads
// and decides, the model orders and filters, the panes show.
//
// The selection is kept by change id: refreshes move rows, never the
// selection. Keyboard: j/k next/previous, a/r/e approve/reject/escalate, /
// focuses the filter, s jumps to the next item a full review has not seen;
// Escape in the filter or reason field returns to the queue.
//
// Full review (DESIGN §5): the workspace keeps what this reviewer has seen of
// the shown revision (the store's coverage plus what the views report live)
// against what the revision requires (ReviewService::requiredCoverage) and
// tells the decision bar what is still unseen. Line edits swallow printable keys before shortcuts see them, so
// typing a reason never triggers a decision.
namespace hp {

class ArtifactPane;
class BlastRadiusView;
class ChangeDetailsPane;
class ChangeQueueModel;
class DecisionBar;
class ReviewService;
class EvidenceExporter;

class ReviewWorkspace : public QWidget
{
    Q_OBJECT

public:
    explicit ReviewWorkspace(ReviewService &service, QWidget *parent = nullptr);

    QString currentChangeId() const { return m_currentId; }
    bool selectChange(const QString &id);
    bool selectFirstPending(); // the first pending row, else the first row
    void selectNext();
    void selectPrevious();
    void focusQueue();
    void focusFilter();
    // Shows the next required item not yet seen (after the last one shown,
    // wrapping): its artifact and hunk or resource, or its impacted-node row.
    // Returns its coverage key; empty when nothing is unseen.
    QString showNextUnseen();
    QString lastUnseenShown() const { return m_lastJump; }
    // Required items of the shown revision this reviewer has not seen, in
    // artifact order; empty also while they are being worked out.
    QStringList unseenItems() const { return unseenKeys(); }

    ChangeQueueModel *queueModel() const { return m_model; }
    QTableView *queueView() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    DecisionBar *decisionBar() const { return m_bar; }
    ArtifactPane *artifactPane() const { return m_artifacts; }
    ChangeDetailsPane *detailsPane() const { return m_details; }
    BlastRadiusView *blastView() const { return m_blast; }
    QTabWidget *sideTabs() const { return m_side; }

private:
    QWidget *buildQueuePanel();
    void installShortcuts();
    void onChangesUpdated(const std::vector<ChangeSummary> &changes);
    void onCurrentRowChanged();
    void reloadCurrent();
    void showAssessment(const ChangeDetail &change);
    void decide(const QString &changeId, DecisionAction action, const QString &reason);
    void updateCounts();
    void refreshReviewState(const ChangeDetail &change);
    void noteSeen(const QString &changeId, int revision, const QStringList &keys);
    void updateUnseen();
    QStringList unseenKeys() const;

    ReviewService &m_service;
    EvidenceExporter *m_exporter = nullptr;
    ChangeQueueModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_counts = nullptr;
    QSplitter *m_split = nullptr;
    ArtifactPane *m_artifacts = nullptr;
    ChangeDetailsPane *m_details = nullptr;
    BlastRadiusView *m_blast = nullptr;
    QTabWidget *m_side = nullptr;
    QString m_blastKey; // change/revision/sequence shown: a refresh keeps the view as it is
    DecisionBar *m_bar = nullptr;
    QTimer *m_ageTimer = nullptr;
    QString m_currentId;
    bool m_populated = false;
    QString m_coverageChange; // change and revision whose coverage m_seen holds
    int m_coverageRevision = 0;
    QSet<QString> m_seen;     // coverage keys this reviewer has seen there
    QString m_lastJump;       // the unseen item shown last
};

} // namespace hp
