#pragma once

#include "diff/diffdata.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

// File names as patches write them: git's C-style quoting, the name and
// timestamp of `diff -u` headers (TAB or spaces between them), the epoch
// timestamp of `diff -N` for a missing side, and Kubernetes object identities
// in `kubectl diff` names. Pure functions on bytes.
namespace hp::diff::patchnames {

// Decodes a git-quoted name ("a/with space\t\303\251") starting at quoted[0]
// == '"'. Returns the bytes and sets *consumed to the length including both
// quotes; nullopt when the quoting is broken (no closing quote, bad escape).
std::optional<QByteArray> unquote(QByteArrayView quoted, qsizetype *consumed);

// True when git (core.quotePath on) would quote this name.
bool needsQuoting(QByteArrayView name);

// The name as git prints it: quoted with C escapes (octal for bytes >= 0x80)
// when needsQuoting(), unchanged otherwise.
QByteArray quote(QByteArrayView name);

// `a/dir/file` -> `dir/file`: git's -p1. A name without '/' is returned whole.
QByteArrayView stripFirstComponent(QByteArrayView name);

// What follows "--- " or "+++ " in a traditional (`diff -u`) header.
struct HeaderName
{
    QByteArray name;        // decoded, without timestamp
    QByteArrayView stamp;   // the timestamp text, empty when there is none
    bool devNull = false;   // "/dev/null"
    bool epoch = false;     // a timestamp at the Unix epoch (`diff -N`, missing side)
    bool valid = true;      // false for a broken quoted name
};
HeaderName parseHeaderName(QByteArrayView rest);

// What follows "--- " or "+++ " in a git diff: a quoted or plain name, an
// optional TAB (git adds one after names containing a space).
HeaderName parseGitHeaderName(QByteArrayView rest);

// True for "YYYY-MM-DD hh:mm:ss[.frac] [+-zzzz]" naming the epoch, and for
// ctime style "Thu Jan  1 00:00:00 1970".
bool isEpochTimestamp(QByteArrayView stamp);

// The two names of "diff --git A B" (rest = "A B"), each with its first
// component removed. Unquoted names with spaces are split where both halves
// name the same file, as git does; empty results when no split is possible.
struct GitNames
{
    QByteArray oldName;
    QByteArray newName;
};
GitNames parseGitDiffLine(QByteArrayView rest);

// The object a `kubectl diff` file stands for: the path component after the
// one starting with "LIVE-" or "MERGED-" is
// <group>.<version>.<Kind>.<namespace>.<name>. nullopt for other paths.
std::optional<KubeObject> kubeObjectFromPath(QByteArrayView path);

} // namespace hp::diff::patchnames
