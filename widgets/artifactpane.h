#pragma once

#include "domain/types.h"

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
// binary and huge content is shown safely (see ArtifactPreview). The real diff
// view replaces the text view in a later issue. A Terraform plan shows in
// PlanView (read off the GUI thread when large), with the planfile the
// approval covers named beside it.
namespace hp {

class PlanView;
class ReviewService;
struct ReadPlan;
struct ShownArtifact;

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
    PlanView *planView() const { return m_planView; }
    // Plans of a revision larger than this (bytes, all plans together) are
    // read in the background; smaller ones at once. Tests set 0.
    void setSyncPlanLimit(qint64 bytes) { m_syncPlanLimit = bytes; }
    // Coverage keys seen earlier (from the store).
    void markSeen(const QStringList &keys);

Q_SIGNALS:
    // Coverage keys newly seen in the shown artifact (DESIGN §5 "seen").
    void itemsSeen(const QStringList &keys);

private:
    QWidget *buildContent(); // the artifact's name, facts, note and text views
    void showRevision(int number);
    void showArtifact();
    void showContent(const ArtifactInfo &info, const ShownArtifact &shown);
    const RevisionInfo *revision(int number) const;
    void showFacts(const ArtifactInfo &info);
    void showPlan(const ArtifactInfo &info, const RevisionInfo &rev, const std::shared_ptr<const ReadPlan> &plan);
    QStringList showText(const ArtifactInfo &info, const Artifact &artifact);
    bool readPlansFirst(const RevisionInfo &rev, const ArtifactInfo &info);
    QString planfileLine(const RevisionInfo &rev) const;

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
    QStackedWidget *m_pages = nullptr; // the text views or the plan view
    QWidget *m_textPage = nullptr;
    PlanView *m_planView = nullptr;
    qint64 m_syncPlanLimit = 2 * 1024 * 1024;
    bool m_waitingForPlans = false; // showing "Reading plan…"; false once cancelled
};

} // namespace hp
