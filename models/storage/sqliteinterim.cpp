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

Result<TopologyImportResult> SqliteStore::importTopology(const Actor &, const std::vector<TopologySource> &)
{
    return notYet("topology import");
}
Result<std::optional<TopologyVersion>> SqliteStore::currentTopology(bool)
{
    return notYet("topology");
}
Result<std::optional<StoredAssessment>> SqliteStore::assessment(const QString &, int)
{
    return notYet("assessment");
}
Result<std::vector<StoredAssessment>> SqliteStore::assessments(const QString &)
{
    return notYet("assessments");
}
Result<int> SqliteStore::recordCoverage(const Actor &, const QString &, int, const QStringList &)
{
    return notYet("coverage");
}
Result<QStringList> SqliteStore::coverage(const QString &, const QString &, int)
{
    return notYet("coverage");
}

} // namespace hp
