#pragma once

#include "domain/result.h"

#include <QString>

// Durations on the command line: one or more <integer><unit> terms with units
// d, h, m, s, ms ("30m", "1h30m", "45s", "2d", "0s"). A bare number is refused:
// "30" could mean seconds or minutes, and a wrong guess makes an agent wait
// sixty times too long or too short.
namespace hp::cli {

Result<qint64> parseDurationMs(const QString &text);
QString formatDuration(qint64 ms); // "1h30m", "45s", "0s"

} // namespace hp::cli
