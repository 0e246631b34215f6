#include "storage/migrations.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

#include <map>

namespace hp::migrations {

namespace {

const QString kDir = QStringLiteral(":/holdpoint/schema/sqlite");

std::map<int, QString> scripts()
{
    return scriptsIn(kDir);
}

// Statements end with ';' at the end of a line; "--" starts a comment line.
QStringList statements(const QString &script)
{
    QStringList out;
    QString current;
    const QStringList lines = script.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(QLatin1String("--")))
            continue;
        current += line + u'\n';
        if (trimmed.endsWith(u';')) {
            out << current.trimmed();
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        out << current.trimmed();
    return out;
}

Error failure(const QString &what, const QString &detail)
{
    return makeError(ExitCode::StoreProblem, QStringLiteral("migration"),
                     QStringLiteral("schema migration failed: %1: %2").arg(what, detail));
}

} // namespace

int latestVersion()
{
    const auto all = scripts();
    return all.empty() ? 0 : all.rbegin()->first;
}

Result<int> currentVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM sqlite_master")))
        return makeError(ExitCode::StoreProblem, QStringLiteral("not_a_store"),
                         QStringLiteral("%1 is not a readable SQLite database: %2")
                             .arg(db.databaseName(), q.lastError().text()));
    if (q.next() && q.value(0).toLongLong() == 0)
        return 0;
    if (!q.exec(QStringLiteral("SELECT max(version) FROM schema_version")) || !q.next())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("not_a_store"),
            QStringLiteral("%1 is an SQLite database but not a Holdpoint store (no schema_version)")
                .arg(db.databaseName()));
    return q.value(0).toInt();
}

Status apply(QSqlDatabase &db, int from, const QString &appliedAt)
{
    for (const auto &[version, path] : scripts()) {
        if (version <= from)
            continue;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return failure(path, file.errorString());
        const QStringList all = statements(QString::fromUtf8(file.readAll()));
        for (const QString &sql : all) {
            QSqlQuery q(db);
            if (!q.exec(sql))
                return failure(QStringLiteral("%1: %2").arg(path, sql.section(u'\n', 0, 0)),
                               q.lastError().text());
        }
        QSqlQuery record(db);
        record.prepare(
            QStringLiteral("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"));
        record.addBindValue(version);
        record.addBindValue(appliedAt);
        if (!record.exec())
            return failure(QStringLiteral("recording version %1").arg(version),
                           record.lastError().text());
    }
    return {};
}

std::map<int, QString> scriptsIn(const QString &dir)
{
    std::map<int, QString> out;
    static const QRegularExpression name(QStringLiteral("^(\\d{4})_[a-z0-9_]+\\.sql$"));
    const QStringList files = QDir(dir).entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const auto m = name.match(file);
        if (m.hasMatch())
            out.emplace(m.captured(1).toInt(), dir + u'/' + file);
    }
    return out;
}

} // namespace hp::migrations
