// INTERIM (session 2 contracts): store.h methods whose SQLite implementations
// are being written in parallel. Each moves to its own file and leaves here;
// this file must be gone before the session ends.
#include "storage/sqlitestore.h"

namespace hp {

namespace {
Error notYet(const char *what)
{
    return makeError(ExitCode::Internal, QStringLiteral("unsupported"),
                     QStringLiteral("%1 is not available in this build").arg(QLatin1String(what)));
}
} // namespace

Result<Verdict> SqliteStore::reportOutcome(const Actor &, const QString &, bool, const QString &)
{
    return notYet("report");
}
Result<std::vector<HistoryRow>> SqliteStore::history(const HistoryQuery &)
{
    return notYet("history");
}

} // namespace hp
