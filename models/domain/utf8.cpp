#include "domain/utf8.h"

#include <cstdint>
#include <cstring>

namespace hp {

namespace {

bool isCont(unsigned char c) { return (c & 0xC0) == 0x80; }

} // namespace

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF. Returns the sequence length, 0 when p[0] starts no valid one.
int decodeUtf8(const unsigned char *p, qint64 avail, char32_t *cp)
{
    const unsigned char c = p[0];
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0) {
        if (avail < 2 || !isCont(p[1]))
            return 0;
        *cp = (char32_t(c & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (c < 0xF0) {
        const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
        if (avail < 3 || p[1] < lo || p[1] > hi || !isCont(p[2]))
            return 0;
        *cp = (char32_t(c & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    if (avail < 4 || p[1] < lo || p[1] > hi || !isCont(p[2]) || !isCont(p[3]))
        return 0;
    *cp = (char32_t(c & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

int utf8SequenceLength(const unsigned char *p, qint64 i, qint64 n)
{
    if (p[i] < 0x80)
        return 1;
    char32_t cp = 0;
    return decodeUtf8(p + i, n - i, &cp);
}

qint64 firstInvalidUtf8(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const unsigned char *>(bytes.data());
    const qint64 n = bytes.size();
    qint64 i = 0;
    while (i < n) {
        // ASCII runs eight bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, p + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i == n)
            break;
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int len = utf8SequenceLength(p, i, n);
        if (len == 0)
            return i;
        i += len;
    }
    return -1;
}

} // namespace hp
