#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>
#include <vector>

// Plain data of a parsed or computed patch. No behaviour: the parser
// (patchparser.h) and libgit2 (gitdiff.h) fill it, the row builder
// (rowbuilder.h) reads it. Invariant: a patch keeps its text in ONE buffer and
// every piece of text below is a ByteSpan into that buffer, so a 200,000-line
// patch holds no per-line strings.
namespace hp::diff {

// A run of bytes in a buffer the owner names (PatchSet::data, GitDiffResult::text,
// SideBySide::leftBuffer/rightBuffer, or a line for intra-line ranges).
struct ByteSpan
{
    qsizetype offset = 0;
    qsizetype length = 0;

    qsizetype end() const { return offset + length; }
    bool operator==(const ByteSpan &) const = default;
};

inline QByteArrayView viewOf(QByteArrayView buffer, ByteSpan span)
{
    return buffer.sliced(span.offset, span.length);
}

enum class LineOrigin : quint8 { Context, Added, Removed };

// One body line of a hunk: the bytes after the origin character up to, not
// including, the LF. A CR before the LF stays in `text`; the row builder
// treats it as the line ending.
struct PatchLine
{
    ByteSpan text;
    LineOrigin origin = LineOrigin::Context;
    bool noNewlineAtEnd = false; // followed by "\ No newline at end of file"
};

// "@@ -oldStart,oldCount +newStart,newCount @@ section". A count of 0 means
// the start names the line after which the change sits (unified diff rule).
struct Hunk
{
    int oldStart = 0;
    int oldCount = 0;
    int newStart = 0;
    int newCount = 0;
    ByteSpan section;  // text after the closing "@@ ", may be empty
    int firstLine = 0; // index of the first body line in FilePatch::lines
    int lineCount = 0;
    int patchLine = 0; // 1-based line of the "@@" header in the patch text
};

enum class FileStatus : quint8 { Modified, Added, Deleted, Renamed, Copied };
enum class PatchFormat : quint8 { Git, Unified, Kubectl };

// A Kubernetes object named by a `kubectl diff` file name
// (<group>.<version>.<Kind>.<namespace>.<name>, the group and its dot left out
// for the core group, the namespace empty for cluster-scoped objects).
struct KubeObject
{
    QString group; // empty for the core group
    QString version;
    QString kind;
    QString ns; // empty for cluster-scoped objects
    QString name;

    QString apiVersion() const { return group.isEmpty() ? version : group + u'/' + version; }
    bool operator==(const KubeObject &) const = default;
};

struct FilePatch
{
    // Decoded path bytes (git quoting undone, git's "a/" and "b/" removed,
    // timestamps of `diff -u` removed). Empty on the side that does not exist
    // (/dev/null, or an epoch timestamp of `diff -N`).
    QByteArray oldPath;
    QByteArray newPath;
    FileStatus status = FileStatus::Modified;
    PatchFormat format = PatchFormat::Unified;
    quint32 oldMode = 0; // 0 when the patch does not say
    quint32 newMode = 0;
    int similarity = -1;   // percent, for renames and copies
    QByteArray oldId;      // abbreviated object ids of the "index" line
    QByteArray newId;
    bool binary = false;   // "Binary files … differ" or "GIT binary patch"
    int headerLine = 0;    // 1-based line where the file section starts
    int additions = 0;
    int deletions = 0;
    std::vector<Hunk> hunks;
    std::vector<PatchLine> lines;
    std::optional<KubeObject> kubeObject;

    const QByteArray &path() const { return newPath.isEmpty() ? oldPath : newPath; }
};

struct PatchSet
{
    QByteArray data; // the input, unaltered; every ByteSpan of `files` points into it
    std::vector<FilePatch> files;
};

} // namespace hp::diff
