#pragma once

#include "domain/result.h"

#include <QByteArrayView>
#include <QString>

#include <vector>

namespace hp::diff {

enum class DangerCategory : quint8 { Bidi, Invisible, Separator, Control, InvalidUtf8 };

QString categoryName(DangerCategory category); // "bidi", "invisible", …, "invalid-utf8"

// The table of characters shown as visible escapes (DESIGN §9), kept as data
// in resources/charsets/dangerous.txt: code point ranges, each with a
// category and a short label for people. Sorted, non-overlapping.
class DangerousTable
{
public:
    struct Entry
    {
        char32_t first = 0;
        char32_t last = 0;
        DangerCategory category = DangerCategory::Control;
        QString label;
    };

    // The resource text format (see the file's header). Errors name the line.
    static Result<DangerousTable> parse(QByteArrayView text);

    // Loaded once from ":/holdpoint/charsets/dangerous.txt". Should that ever
    // fail (a binary built without its resources), the failure is logged and
    // a stricter table is used that flags every control character and every
    // non-ASCII code point: nothing dangerous slips through unseen.
    static const DangerousTable &builtin();

    const Entry *find(char32_t codePoint) const; // nullptr when not listed
    const std::vector<Entry> &entries() const { return m_entries; }

private:
    std::vector<Entry> m_entries;
};

} // namespace hp::diff
