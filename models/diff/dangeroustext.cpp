#include "diff/dangeroustext.h"

#include "domain/utf8.h"

#include <cstring>

namespace hp::diff {

namespace {

constexpr quint64 Ones = 0x0101010101010101ull;
constexpr quint64 Highs = 0x8080808080808080ull;

// True when any of the eight bytes is below 0x20, is DEL or is >= 0x80:
// the bytes that need a closer look. (Classic "has less than" / "has zero"
// bit tricks; exact for "any", which is all we ask.)
bool needsLook(quint64 w)
{
    const quint64 high = w & Highs;
    const quint64 below20 = (w - Ones * 0x20) & ~w & Highs;
    const quint64 x = w ^ (Ones * 0x7f);
    const quint64 del = (x - Ones) & ~x & Highs;
    return (high | below20 | del) != 0;
}

// Calls found(DangerousChar) for each finding; stops early when it returns false.
template<class Found>
void scanBytes(QByteArrayView bytes, const DangerousTable &table, Found found)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        for (quint64 w = 0; i + 8 <= n; i += 8) {
            std::memcpy(&w, p + i, 8);
            if (needsLook(w))
                break;
        }
        if (i >= n)
            break;
        const unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f) {
            ++i;
            continue;
        }
        char32_t cp = c;
        int len = 1;
        if (c < 0x80) {
            if (c == '\t' || c == '\n' || (c == '\r' && i + 1 < n && p[i + 1] == '\n')) {
                i += c == '\r' ? 2 : 1;
                continue;
            }
        } else if ((len = hp::decodeUtf8(p + i, n - i, &cp)) == 0) {
            if (!found(DangerousChar{i, 1, c, DangerCategory::InvalidUtf8, QStringLiteral("invalid UTF-8 byte")}))
                return;
            ++i;
            continue;
        }
        if (const DangerousTable::Entry *e = table.find(cp)) {
            // A BOM opening a text is a BOM; anywhere else it hides.
            QString label = (cp == 0xFEFF && i == 0) ? QStringLiteral("byte order mark") : e->label;
            if (!found(DangerousChar{i, len, cp, e->category, std::move(label)}))
                return;
        }
        i += len;
    }
}

// UTF-16 length of valid UTF-8 bytes: one unit per lead byte, two for a
// four-byte sequence.
qsizetype utf16Length(QByteArrayView valid)
{
    qsizetype units = 0;
    for (const char ch : valid) {
        const auto c = static_cast<unsigned char>(ch);
        units += (c & 0xC0) == 0x80 ? 0 : (c >= 0xF0 ? 2 : 1); // continuation bytes add none
    }
    return units;
}

} // namespace

std::vector<DangerousChar> DangerousText::scan(QByteArrayView bytes, const DangerousTable &table)
{
    std::vector<DangerousChar> out;
    scanBytes(bytes, table, [&](DangerousChar &&d) {
        out.push_back(std::move(d));
        return true;
    });
    return out;
}

bool DangerousText::contains(QByteArrayView bytes, const DangerousTable &table)
{
    bool any = false;
    scanBytes(bytes, table, [&](DangerousChar &&) {
        any = true;
        return false;
    });
    return any;
}

QString DangerousText::escapeOf(const DangerousChar &found)
{
    const bool invalid = found.category == DangerCategory::InvalidUtf8;
    const QString hex = QString::number(static_cast<uint>(found.codePoint), 16).toUpper().rightJustified(invalid ? 2 : 4, u'0');
    return invalid ? QStringLiteral("<0x%1>").arg(hex) : QStringLiteral("<U+%1>").arg(hex);
}

DangerousText::Escaped DangerousText::escape(QByteArrayView bytes, const std::vector<DangerousChar> &findings)
{
    Escaped out;
    out.text.reserve(bytes.size() + static_cast<qsizetype>(findings.size()) * 8);
    out.positions.reserve(findings.size());
    qsizetype pos = 0;
    for (const DangerousChar &f : findings) {
        if (f.offset < pos || f.offset + f.length > bytes.size())
            continue; // not from scan(bytes): ignore rather than misplace
        out.text += QString::fromUtf8(bytes.sliced(pos, f.offset - pos));
        out.positions.push_back(out.text.size());
        out.text += escapeOf(f);
        pos = f.offset + f.length;
    }
    out.text += QString::fromUtf8(bytes.sliced(pos));
    return out;
}

QString DangerousText::escaped(QByteArrayView bytes)
{
    return escape(bytes, scan(bytes)).text;
}

qsizetype DangerousText::displayOffset(QByteArrayView bytes, const std::vector<DangerousChar> &findings,
                                       qsizetype byteOffset)
{
    byteOffset = std::clamp<qsizetype>(byteOffset, 0, bytes.size());
    qsizetype display = 0;
    qsizetype pos = 0;
    for (const DangerousChar &f : findings) {
        if (f.offset >= byteOffset)
            break;
        display += utf16Length(bytes.sliced(pos, f.offset - pos));
        if (byteOffset < f.offset + f.length)
            return display;
        display += escapeOf(f).size();
        pos = f.offset + f.length;
    }
    return display + utf16Length(bytes.sliced(pos, byteOffset - pos));
}

} // namespace hp::diff
