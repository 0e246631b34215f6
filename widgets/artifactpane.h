#pragma once

#include "domain/types.h"
#include "review/reviewservice.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTreeWidget;

// The middle of the Review workspace: a revision selector, the artifacts of
// that revision (kind, name, size) and the selected one as plain text in a
// read-only monospace view. A file-pair shows before and after side by side;
// binary and huge content is shown safely (see ArtifactPreview). Patches and
// file pairs show in a SideBySideDiffView; a Terraform plan in PlanView (read
// off the GUI thread when large), with the planfile the approval covers named
// beside it. What the reviewer sees in either is recorded as coverage.
namespace hp {

class ReviewService;
class PlanView;
class SideBySideDiffView;
struct ReadPlan;

class ArtifactPane : public QWidget
{
    Q_OBJECT

public:
    explicit ArtifactPane(ReviewService &service, QWidget *parent = nullptr);

    // Shows `change`; keeps the current revision and artifact when it is the
    // same change with the same revisions (a refresh, not a new selection).
    void setChange(const ChangeDetail &change);
    void clear();

    int currentRevision() const;
    int currentArtifact() const; // index in the revision, -1 when none
    // Selects the artifact with `index` in the shown revision; false when none has it.
    bool selectArtifact(int index);
    QPlainTextEdit *textView() const { return m_after; }
    // Patches and file pairs show here instead of the text views.
    SideBySideDiffView *diffView() const { return m_diff; }
    PlanView *planView() const { return m_planView; }
    // Plans of a revision larger than this (bytes, all plans together) are
    // read in the background; smaller ones at once. Tests set 0.
    void setSyncPlanLimit(qint64 bytes) { m_syncPlanLimit = bytes; }
    // Coverage keys seen earlier (from the store).
    void markSeen(const QStringList &keys);
    // Shows the item of a coverage key (hunk:… or resource:…): selects its
    // artifact and moves the diff to the hunk or the plan to the resource,
    // once the diff is built or the plan read. False for a key it cannot show.
    bool revealItem(const QString &key);

Q_SIGNALS:
    // Hunks or plan resources the reviewer has just seen (already recorded
    // through ReviewService::recordCoverage).
    void itemsSeen(const QString &changeId, int revision, const QStringList &keys);

private:
    QWidget *buildContent(); // the artifact's name, facts, note and text views
    void showRevision(int number);
    void showArtifact();
    void showContent(const ArtifactInfo &info, const ShownArtifact &shown);
    void showText(const ArtifactInfo &info, const ShownArtifact &shown, QStringList notes);
    void showDiff(const ArtifactInfo &info, const ShownArtifact &shown);
    void recordSeen(const QStringList &keys);
    void markStoredCoverage();
    void showFacts(const ArtifactInfo &info);
    void showPlan(const ArtifactInfo &info, const RevisionInfo &rev, const std::shared_ptr<const ReadPlan> &plan);
    bool readPlansFirst(const RevisionInfo &rev, const ArtifactInfo &info);
    QString planfileLine(const RevisionInfo &rev) const;
    const RevisionInfo *revision(int number) const;
    void applyPendingReveal(); // artifactpanereveal.cpp
    bool revealHunk(int file, int hunk);
    bool revealResource(const QString &key);

    ReviewService &m_service;
    ChangeDetail m_change;
    bool m_hasChange = false;
    QComboBox *m_revisions = nullptr;
    QTreeWidget *m_files = nullptr;
    QLabel *m_name = nullptr;
    QLabel *m_facts = nullptr;
    QLabel *m_note = nullptr;
    QWidget *m_beforeBox = nullptr;
    QLabel *m_beforeLabel = nullptr;
    QLabel *m_afterLabel = nullptr;
    QPlainTextEdit *m_before = nullptr;
    QPlainTextEdit *m_after = nullptr;
    QStackedWidget *m_pages = nullptr; // the text views | the diff view | the plan view
    QWidget *m_textPage = nullptr;
    SideBySideDiffView *m_diff = nullptr;
    PlanView *m_planView = nullptr;
    qint64 m_syncPlanLimit = 2 * 1024 * 1024;
    bool m_waitingForPlans = false; // showing "Reading plan…"; false once cancelled
    ArtifactInfo m_diffInfo;   // what the diff view shows, for the text
    ShownArtifact m_diffShown; //   fallback when it is not a readable diff
    QString m_pendingReveal;   // a coverage key to show once its view is ready
};

} // namespace hp
