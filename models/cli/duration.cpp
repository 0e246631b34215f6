#include "cli/duration.h"

#include <array>
#include <limits>
#include <utility>

namespace hp::cli {

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

// Longest unit first so "ms" is tried before "m".
constexpr std::array<std::pair<const char *, qint64>, 5> kUnits{
    {{"ms", 1}, {"d", kDay}, {"h", kHour}, {"m", kMinute}, {"s", kSecond}}};

Error bad(const QString &text, const QString &why)
{
    return makeError(
        ExitCode::Usage, QStringLiteral("invalid_duration"),
        QStringLiteral("invalid duration '%1': %2 (examples: 30m, 1h30m, 45s, 2d)").arg(text, why));
}

} // namespace

Result<qint64> parseDurationMs(const QString &text)
{
    if (text.isEmpty())
        return bad(text, QStringLiteral("empty"));
    qint64 total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype start = i;
        while (i < text.size() && text.at(i).isDigit() && text.at(i).unicode() < 128)
            ++i;
        if (i == start)
            return bad(text, QStringLiteral("expected a number at position %1").arg(start + 1));
        bool ok = false;
        const qint64 n = QStringView(text).mid(start, i - start).toLongLong(&ok);
        if (!ok)
            return bad(text, QStringLiteral("number too large"));
        qint64 unit = 0;
        for (const auto &[name, ms] : kUnits) {
            const QLatin1String u(name);
            if (QStringView(text).mid(i).startsWith(u)) {
                unit = ms;
                i += u.size();
                break;
            }
        }
        if (unit == 0)
            return bad(text, i < text.size()
                                 ? QStringLiteral("unknown unit at position %1").arg(i + 1)
                                 : QStringLiteral("a unit (d, h, m, s or ms) is required"));
        if (n > (std::numeric_limits<qint64>::max() - total) / unit)
            return bad(text, QStringLiteral("too long"));
        total += n * unit;
    }
    return total;
}

QString formatDuration(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("0s");
    QString out;
    for (const auto &[name, unit] : {std::pair{"d", kDay}, std::pair{"h", kHour},
                                     std::pair{"m", kMinute}, std::pair{"s", kSecond}}) {
        if (ms >= unit) {
            out += QString::number(ms / unit) + QLatin1String(name);
            ms %= unit;
        }
    }
    if (ms > 0)
        out += QString::number(ms) + QLatin1String("ms");
    return out;
}

} // namespace hp::cli
