#pragma once

#include "diff/diffdata.h"
#include "diff/rowdata.h"
#include "domain/types.h"

#include <QByteArray>
#include <QFuture>
#include <QPromise>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

// What SideBySideDiffView shows: the files of one diff artifact with their
// aligned rows, and every dangerous character found in them. Built off the
// GUI thread (DiffDocument::build inside QtConcurrent::run) and then shared
// read-only with the GUI thread; nothing in it changes after the build.
namespace hp {

// Where a dangerous character sits. `row` indexes SideBySide::rows, or
// SideBySide::hidden when `inHidden`; row -1 is the file's name.
struct DangerSpot
{
    int file = 0;
    int row = -1;
    bool inHidden = false;
    bool right = true; // which cell of the row (the new side for names)
};

struct DiffFile
{
    QByteArray oldPath; // bytes as the patch names them
    QByteArray newPath;
    diff::FileStatus status = diff::FileStatus::Modified;
    std::optional<diff::KubeObject> kubeObject;
    qint64 oldSize = -1; // binary file pairs: sizes of the parts; -1 unknown
    qint64 newSize = -1;
    int hunkCount = 0;
    int dangerCount = 0; // dangerous characters in its names and lines
    diff::SideBySide rows;

    // For people, dangerous characters escaped: "Deployment prod/api" for a
    // kubectl object, "old → new" for a rename, the path otherwise.
    QString displayName() const;
    // "M", "A", "D", "R", "C"; "B" for a binary file.
    QString statusLetter() const;
};

struct DiffInput
{
    ArtifactKind kind = ArtifactKind::UnifiedDiff; // UnifiedDiff or FilePair
    QString name;                                  // the artifact's name (labels a file pair)
    std::vector<QByteArray> parts;                 // the patch; or before, after
};

struct DiffDocument
{
    std::vector<DiffFile> files;
    std::vector<DangerSpot> dangers; // in reading order: name, then rows (folded ones in place)
    int dangerCount = 0;             // characters, not spots: a line may hold several
    int dangerFiles = 0;             // files with at least one
    QString error;                   // set when the artifact could not be read as a diff

    // Reads a patch or diffs a file pair and builds every file's rows,
    // reporting progress and stopping early when the promise is cancelled
    // (no result is added then). A patch that cannot be read, or text with
    // no file section, gives a document with only `error` set.
    static void build(QPromise<std::shared_ptr<const DiffDocument>> &promise, const DiffInput &input);
    // Cheap test (no parsing) for a line starting a file section: "diff --git "
    // or "--- " directly followed by a "+++ " line.
    static bool looksLikePatch(QByteArrayView text);
};

} // namespace hp
