#include "storage/sqlitestore.h"

#include "domain/log.h"
#include "domain/ulid.h"
#include "storage/migrations.h"

#include <QJsonArray>
#include <QSqlError>

#include <atomic>

namespace hp {

namespace {

// Long enough for a writer queued behind another process's decision, short
// enough that a stuck lock is reported rather than hanging a script.
constexpr int kBusyTimeoutMs = 15000;

QString nextConnectionName()
{
    static std::atomic<qint64> counter{0};
    return QStringLiteral("holdpoint-sqlite-%1").arg(++counter);
}

} // namespace

SqliteStore::SqliteStore(QString path, Clock clock)
    : m_path(std::move(path))
    , m_connection(nextConnectionName())
    , m_clock(std::move(clock))
{}

SqliteStore::~SqliteStore()
{
    if (m_inTransaction)
        rollback();
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<std::unique_ptr<Store>> SqliteStore::open(const QString &path, Clock clock)
{
    std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(clock)));
    if (Status s = store->connect(); !s)
        return s.error();
    QSqlDatabase db = QSqlDatabase::database(store->m_connection, false);
    const Result<int> version = migrations::currentVersion(db);
    if (!version)
        return version.error();
    const int latest = migrations::latestVersion();
    if (*version == 0)
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("not_a_store"),
            QStringLiteral("%1 is empty, not a Holdpoint store; create one with "
                           "`holdpointctl init --admin LOGIN` or `holdpointctl demo --db PATH`")
                .arg(path));
    if (*version > latest)
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("schema_too_new"),
            QStringLiteral("%1 has schema version %2, newer than this Holdpoint knows (%3): "
                           "upgrade Holdpoint to use it")
                .arg(path)
                .arg(*version)
                .arg(latest));
    if (*version < latest) {
        const QString at = auditTime(store->now());
        const Status migrated = store->inTransaction<void>(
            [&]() -> Status {
                if (Status s = migrations::apply(db, *version, at); !s)
                    return s;
                return store->insertDefaultPolicy(QStringLiteral("migration"), at);
            });
        if (!migrated)
            return migrated.error();
        log::storage()->info("migrated {} from schema {} to {}", path.toStdString(), *version,
                             latest);
    }
    if (Status s = store->loadInfo(); !s)
        return s.error();
    return std::unique_ptr<Store>(std::move(store));
}

Result<std::unique_ptr<Store>> SqliteStore::create(const QString &path,
                                                   const CreateOptions &options,
                                                   const Actor &creator, Clock clock)
{
    std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(clock)));
    if (Status s = store->connect(); !s)
        return s.error();
    const Status made =
        store->inTransaction<void>([&]() -> Status { return store->initialize(options, creator); });
    if (!made)
        return made.error();
    if (Status s = store->loadInfo(); !s)
        return s.error();
    return std::unique_ptr<Store>(std::move(store));
}

Status SqliteStore::connect()
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeoutMs));
    if (!db.open())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("open"),
            QStringLiteral("cannot open the store %1: %2").arg(m_path, db.lastError().text()));
    // WAL: readers never block the writer; FULL: a committed decision survives
    // power loss; foreign keys are off by default in SQLite.
    const QStringList pragmas{QStringLiteral("PRAGMA journal_mode=WAL"),
                              QStringLiteral("PRAGMA synchronous=FULL"),
                              QStringLiteral("PRAGMA foreign_keys=ON")};
    for (const QString &pragma : pragmas) {
        if (auto q = exec(pragma); !q)
            return q.error();
    }
    return {};
}

Status SqliteStore::loadInfo()
{
    auto q = exec(QStringLiteral("SELECT store_id, demo FROM meta WHERE id = 1"));
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("no_meta"),
            QStringLiteral("the store %1 has no meta record: it was not created by Holdpoint")
                .arg(m_path));
    m_info.location = m_path;
    m_info.backend = QStringLiteral("sqlite");
    m_info.storeId = q->value(0).toString();
    m_info.demo = q->value(1).toInt() != 0;
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const Result<int> version = migrations::currentVersion(db);
    if (!version)
        return version.error();
    m_info.schemaVersion = *version;
    return {};
}

Status SqliteStore::initialize(const CreateOptions &options, const Actor &creator)
{
    if (Status s = checkLogin(options.adminLogin, QStringLiteral("admin login")); !s)
        return s;
    const QDateTime at = now();
    const QString time = auditTime(at);
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (Status s = migrations::apply(db, 0, time); !s)
        return s;
    if (Status s = insertDefaultPolicy(creator.login, time); !s)
        return s;
    const QString storeId = Ulid::generate(at.toMSecsSinceEpoch());
    if (auto q = exec(
            QStringLiteral("INSERT INTO meta (id, store_id, created_at, demo) VALUES (1, ?, ?, ?)"),
            {storeId, time, options.demo ? 1 : 0});
        !q)
        return q.error();
    if (auto q =
            exec(QStringLiteral(
                     "INSERT INTO principals (login, kind, created_at) VALUES (?, 'human', ?)"),
                 {options.adminLogin, time});
        !q)
        return q.error();
    AuditRecord created;
    created.action = QStringLiteral("store.create");
    created.payload = QJsonObject{{QStringLiteral("store_id"), storeId},
                                  {QStringLiteral("demo"), options.demo},
                                  {QStringLiteral("schema_version"), migrations::latestVersion()},
                                  {QStringLiteral("group"), options.group}};
    if (Status s = appendAudit(creator, created); !s)
        return s;
    return insertRole(creator, options.adminLogin, Role::Admin);
}

StoreInfo SqliteStore::info() const
{
    return m_info;
}

qint64 SqliteStore::dataVersion()
{
    // data_version moves only for other connections' commits; our own are
    // counted here, so the sum moves for every commit by anyone.
    auto q = exec(QStringLiteral("PRAGMA data_version"));
    const qint64 external = q && q->next() ? q->value(0).toLongLong() : 0;
    return (external << 32) + m_ownCommits;
}

Result<QSqlQuery> SqliteStore::exec(const QString &sql, std::initializer_list<QVariant> values)
{
    return exec(sql, QVariantList(values));
}

Result<QSqlQuery> SqliteStore::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.prepare(sql))
        return sqlError(sql, q.lastError().text());
    // QSQLITE binds a null QString or QByteArray as SQL NULL; our columns hold
    // "" (or an empty blob) for "none". An explicit NULL is QVariant().
    static const QString emptyText(0, QChar());
    static const QByteArray emptyBytes(0, '\0');
    for (const QVariant &v : values) {
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            q.addBindValue(emptyText);
        else if (v.typeId() == QMetaType::QByteArray && v.toByteArray().isNull())
            q.addBindValue(emptyBytes);
        else
            q.addBindValue(v);
    }
    if (!q.exec())
        return sqlError(sql, q.lastError().text());
    return q;
}

Error SqliteStore::sqlError(const QString &what, const QString &detail) const
{
    if (detail.contains(QLatin1String("locked")) || detail.contains(QLatin1String("busy")))
        return makeError(ExitCode::StoreProblem, QStringLiteral("busy"),
                         QStringLiteral("the store %1 stayed locked by another writer for %2 s: %3")
                             .arg(m_path)
                             .arg(kBusyTimeoutMs / 1000)
                             .arg(detail));
    log::storage()->error("{}: {} failed: {}", m_path.toStdString(),
                          what.simplified().toStdString(), detail.toStdString());
    return makeError(
        ExitCode::StoreProblem, QStringLiteral("sql"),
        QStringLiteral("the store %1 failed: %2 (%3)").arg(m_path, detail, what.simplified()));
}

Status SqliteStore::begin()
{
    // IMMEDIATE takes the write lock now: a DEFERRED transaction that reads
    // first and writes later can fail with SQLITE_BUSY without waiting.
    if (auto q = exec(QStringLiteral("BEGIN IMMEDIATE")); !q)
        return q.error();
    m_inTransaction = true;
    return {};
}

Status SqliteStore::commit()
{
    if (auto q = exec(QStringLiteral("COMMIT")); !q)
        return q.error();
    m_inTransaction = false;
    ++m_ownCommits;
    return {};
}

void SqliteStore::rollback()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("ROLLBACK")))
        log::storage()->warn("{}: rollback failed: {}", m_path.toStdString(),
                             q.lastError().text().toStdString());
    m_inTransaction = false;
}

QDateTime SqliteStore::now() const
{
    QDateTime t = m_clock().toUTC();
    // Stored times have millisecond precision; keep the value we return equal
    // to the value we store.
    return QDateTime::fromMSecsSinceEpoch(t.toMSecsSinceEpoch(), Qt::UTC);
}

QDateTime SqliteStore::parseTime(const QVariant &text)
{
    return QDateTime::fromString(text.toString(), Qt::ISODateWithMs).toUTC();
}

} // namespace hp
