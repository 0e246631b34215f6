#pragma once

#include <QString>
#include <QStringView>

// ULIDs (https://github.com/ulid/spec): 48-bit millisecond time ‖ 80 random
// bits, written as 26 Crockford base32 characters, so ids sort by time as
// plain strings. Within one millisecond successive ids of this process are
// strictly increasing (the random part is incremented). Randomness comes from
// OpenSSL's CSPRNG.
namespace hp {

class Ulid
{
public:
    // A new id for the given instant (milliseconds since the Unix epoch; the
    // store passes its injectable clock). Thread-safe.
    static QString generate(qint64 msecsSinceEpoch);
    // 26 characters of Crockford base32 whose first one is 0–7 (48-bit time).
    static bool isValid(QStringView text);
    // The time part of a valid id; -1 if invalid.
    static qint64 timestamp(QStringView text);
};

} // namespace hp
