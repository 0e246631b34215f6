#include "domain/ulid.h"

#include <openssl/rand.h>

#include <array>
#include <cstdlib>
#include <mutex>

namespace hp {

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int decodeChar(QChar c)
{
    const char16_t u = c.toUpper().unicode();
    for (int i = 0; i < 32; ++i) {
        if (kAlphabet[i] == u)
            return i;
    }
    return -1;
}

// 16 bytes: 6 of time (big-endian) then 10 random.
using Bytes = std::array<unsigned char, 16>;

struct State
{
    std::mutex mutex;
    qint64 lastMs = -1;
    Bytes last{};
};

State &state()
{
    static State s;
    return s;
}

// Increments the 80-bit random part; false on overflow (2^80 ids in one ms).
bool incrementRandom(Bytes &b)
{
    for (int i = 15; i >= 6; --i) {
        if (++b[static_cast<size_t>(i)] != 0)
            return true;
    }
    return false;
}

QString encode(const Bytes &b)
{
    // 128 bits as 26 base32 digits, most significant first: digit i holds bits
    // [130 - 5(i+1), 130 - 5i) of the number padded with 2 leading zero bits.
    QString out(26, Qt::Uninitialized);
    for (int i = 0; i < 26; ++i) {
        unsigned v = 0;
        for (int k = 0; k < 5; ++k) {
            const int bit = 5 * i + k - 2; // index from the most significant bit
            v <<= 1;
            if (bit >= 0)
                v |= (b[static_cast<size_t>(bit / 8)] >> (7 - bit % 8)) & 1u;
        }
        out[i] = QLatin1Char(kAlphabet[v]);
    }
    return out;
}

} // namespace

QString Ulid::generate(qint64 msecsSinceEpoch)
{
    const qint64 ms = msecsSinceEpoch & ((qint64(1) << 48) - 1);
    State &s = state();
    std::lock_guard lock(s.mutex);
    Bytes b{};
    if (ms == s.lastMs && incrementRandom(s.last)) {
        b = s.last;
    } else {
        for (int i = 0; i < 6; ++i)
            b[static_cast<size_t>(i)] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
        if (RAND_bytes(b.data() + 6, 10) != 1)
            std::abort(); // no CSPRNG: ids could collide, and nothing sane is left to do
        // Leave headroom so increments within this millisecond cannot overflow.
        b[6] &= 0x7F;
    }
    s.lastMs = ms;
    s.last = b;
    return encode(b);
}

bool Ulid::isValid(QStringView text)
{
    if (text.size() != 26)
        return false;
    for (QChar c : text) {
        if (decodeChar(c) < 0)
            return false;
    }
    return decodeChar(text.front()) <= 7;
}

qint64 Ulid::timestamp(QStringView text)
{
    if (!isValid(text))
        return -1;
    // The first 10 digits hold 50 bits: the 48-bit time preceded by 2 zero bits.
    qint64 v = 0;
    for (int i = 0; i < 10; ++i)
        v = (v << 5) | decodeChar(text[i]);
    return v;
}

} // namespace hp
