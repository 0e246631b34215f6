#pragma once

#include "diff/dangeroustable.h"

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace hp::diff {

// One dangerous character in scanned bytes.
struct DangerousChar
{
    qsizetype offset = 0;   // byte offset in the scanned text
    int length = 0;         // bytes it occupies (1 for an invalid byte)
    char32_t codePoint = 0; // the code point; for InvalidUtf8 the byte value
    DangerCategory category = DangerCategory::Control;
    QString label;          // for people: "right-to-left override"

    bool operator==(const DangerousChar &) const = default;
};

// Finds the characters of the §9 table (Trojan Source, CVE-2021-42574) in
// raw bytes and renders them as visible escapes — "<U+202E>" for a listed
// code point, "<0xFF>" for a byte that is not valid UTF-8 (overlong forms,
// surrogates and values past U+10FFFF included). TAB, LF and the CR of a
// CRLF are never flagged; a lone CR is. The bytes themselves are never
// changed: escaping produces display text only. Plain printable ASCII is
// skipped eight bytes at a time. Pure and thread-safe.
class DangerousText
{
public:
    static std::vector<DangerousChar> scan(QByteArrayView bytes,
                                           const DangerousTable &table = DangerousTable::builtin());
    static bool contains(QByteArrayView bytes, const DangerousTable &table = DangerousTable::builtin());

    // "<U+202E>" or "<0xFF>".
    static QString escapeOf(const DangerousChar &found);

    struct Escaped
    {
        QString text;                     // the bytes as UTF-8 text, each finding escaped
        std::vector<qsizetype> positions; // where each finding's escape starts in `text`
    };
    // `findings` must come from scan(bytes) (sorted, not overlapping).
    static Escaped escape(QByteArrayView bytes, const std::vector<DangerousChar> &findings);

    // scan() and escape() in one: display text for a line, name or title.
    static QString escaped(QByteArrayView bytes);
    static QString escapedString(const QString &text) { return escaped(QByteArrayView(text.toUtf8())); }

    // Where byte offset `byteOffset` of `bytes` lands in escape(bytes,
    // findings).text, for placing intra-line highlights on display text. An
    // offset inside a finding maps to the start of its escape.
    static qsizetype displayOffset(QByteArrayView bytes, const std::vector<DangerousChar> &findings,
                                   qsizetype byteOffset);
};

} // namespace hp::diff
