#pragma once

#include "domain/result.h"
#include "storage/pglocation.h"

#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <functional>
#include <initializer_list>
#include <vector>

// One QPSQL connection to a team store, with the error mapping every
// PostgreSQL class shares. The holdpoint functions raise SQLSTATE class HP
// (HP002 invalid, HP003 rejected, HP004 expired or withdrawn, HP006 not found,
// HP007 mismatch, HP008 denied, HP009 store problem) with the reason code as HINT; those become the same Error the
// SQLite store gives. Used from the thread that opened it.
namespace hp {

// Who this connection is, read from the server (never from the client).
struct PgIdentity
{
    QString sessionUser;
    bool superuser = false;
    bool bypassRls = false;
    bool owner = false; // owns the database
};

class PgConnection
{
public:
    explicit PgConnection(PgLocation location);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    Status open();
    const PgLocation &location() const { return m_location; }
    QSqlDatabase database() const;

    Result<QSqlQuery> exec(const QString &sql, std::initializer_list<QVariant> values = {});
    Result<QSqlQuery> exec(const QString &sql, const QVariantList &values);
    // One statement as its own transaction (autocommit), values inlined with
    // the driver's own escaping: one round trip where a prepared statement
    // takes three (QPSQL's PREPARE, EXECUTE, DEALLOCATE). `sql` holds no '?'
    // but the placeholders. Retried on serialization failures and deadlocks.
    Result<QSqlQuery> execOnce(const QString &sql, const QVariantList &values);
    // As execOnce, through a statement the server prepares once per
    // connection under `name` (PREPARE name AS sql, '?' numbered): each call
    // is then EXECUTE name(values), still one round trip, without the
    // parsing and planning of `sql` (about 0.05-0.09 ms of a 0.9 ms decision).
    Result<QSqlQuery> execPrepared(const QString &name, const QString &sql,
                                   const QVariantList &values);
    // Runs `body` in one transaction; retries the whole of it on a
    // serialization failure or deadlock (SQLSTATE 40001, 40P01).
    Status inTransaction(const std::function<Status()> &body);

    Result<PgIdentity> identity();
    // DESIGN §6: everything but `db init` / `db migrate` refuses to run as the
    // database owner, a superuser or a BYPASSRLS role (exit 8, denied): those
    // bypass the rules the functions enforce.
    Status refusePrivileged();

private:
    Error errorFrom(const QSqlQuery &query, const QString &what) const;

    PgLocation m_location;
    QString m_name;
    bool m_inTransaction = false;
    // A failed statement aborts the transaction; exec() ends it at once so
    // the failed prepared statement can still be freed (QPSQL deallocates it
    // when the query goes away, which an aborted transaction would refuse).
    bool m_ended = false;
    QSet<QString> m_prepared; // names execPrepared has prepared on this session
};

// A value bound as SQL NULL of the right type for QPSQL.
QVariant pgNull(QMetaType::Type type);
// Array literals for binding as text and casting (QPSQL binds no arrays):
// pgTextArray(...)::text[], pgByteaArray(...)::bytea[], pgIntArray(...)::integer[].
QString pgTextArray(const QStringList &items);
QString pgByteaArray(const std::vector<QByteArray> &items);
QString pgIntArray(const std::vector<int> &items);

} // namespace hp
