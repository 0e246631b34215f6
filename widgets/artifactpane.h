#pragma once

#include "domain/types.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTreeWidget;

// The middle of the Review workspace: a revision selector, the artifacts of
// that revision (kind, name, size) and the selected one as plain text in a
// read-only monospace view. A file-pair shows before and after side by side;
// binary and huge content is shown safely (see ArtifactPreview). The real diff
// and plan views replace the text view in later issues.
namespace hp {

class ReviewService;
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

private:
    QWidget *buildContent(); // the artifact's name, facts, note and text views
    void showRevision(int number);
    void showArtifact();
    void showContent(const ArtifactInfo &info, const ShownArtifact &shown);
    const RevisionInfo *revision(int number) const;

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
};

} // namespace hp
