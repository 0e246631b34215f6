#pragma once

#include <QByteArray>
#include <QString>

// How one part of an artifact is shown as text, safely: binary content (a NUL
// byte, as in a planfile) is described, not decoded; huge content is cut to
// its first `limit` bytes at a line end; invalid UTF-8 is decoded with
// replacement characters and said so. The bytes themselves are never changed
// (they stay in the store exactly as received); this only decides the text.
namespace hp {

struct ArtifactPreview
{
    static constexpr qint64 kDefaultLimit = 2LL << 20; // 2 MiB

    QString text; // what the text view shows
    QString note; // for people: why the text is not all of it, or empty
    bool binary = false;
    bool truncated = false;

    // `sha256` is the raw digest (for the binary description), may be empty.
    static ArtifactPreview of(const QByteArray &bytes, const QByteArray &sha256,
                              qint64 limit = kDefaultLimit);
    static QString sizeText(qint64 bytes); // "12,345 bytes" / "3.2 MiB (3,355,443 bytes)"

    // Re-indents JSON for reading without parsing it: only white space outside
    // strings is dropped or added, so every key (duplicates included) and every
    // value shows exactly as sent. Empty when the text is not one JSON value's
    // worth of balanced brackets or the result would exceed `maxChars`.
    static QString indentJson(QStringView json, qsizetype maxChars);
    // Applies indentJson() to text shown from a Terraform plan when it is
    // minified (Terraform writes `show -json` on one line).
    void indentPlan();
};

} // namespace hp
