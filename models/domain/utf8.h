#pragma once

#include <QByteArrayView>

// Well-formed UTF-8 (RFC 3629 §4: no overlong forms, no surrogates, nothing
// above U+10FFFF), the one validator every untrusted-input reader uses.
namespace hp {

// Decodes the multi-byte sequence at p[0] (p[0] >= 0x80, `avail` bytes
// readable) into *cp; returns its length, 0 when p[0] starts no valid one.
int decodeUtf8(const unsigned char *p, qint64 avail, char32_t *cp);

// Length of the UTF-8 sequence starting at p[i] (i < n), or 0 when it is
// malformed; 1 for ASCII.
int utf8SequenceLength(const unsigned char *p, qint64 i, qint64 n);

// Offset of the first byte not part of well-formed UTF-8, or -1.
qint64 firstInvalidUtf8(QByteArrayView bytes);

} // namespace hp
