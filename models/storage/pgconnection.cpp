#include "storage/pgconnection.h"

#include <QAtomicInteger>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>

namespace hp {

namespace {

QAtomicInteger<quint64> connectionCounter;

struct ParsedServerError
{
    QString message;
    QString hint;
};

// QPSQL hands over libpq's whole message: "ERROR:  text\nHINT:  code\n...".
ParsedServerError parseServerText(const QString &text)
{
    ParsedServerError out;
    const QStringList lines = text.split(u'\n');
    for (const QString &line : lines) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("ERROR:")) && out.message.isEmpty())
            out.message = trimmed.mid(6).trimmed();
        else if (trimmed.startsWith(QLatin1String("HINT:")))
            out.hint = trimmed.mid(5).trimmed();
    }
    if (out.message.isEmpty())
        out.message = text.trimmed();
    return out;
}

ExitCode codeFor(const QString &state)
{
    if (state == QLatin1String("HP002"))
        return ExitCode::Usage;
    if (state == QLatin1String("HP003"))
        return ExitCode::Rejected;
    if (state == QLatin1String("HP004"))
        return ExitCode::ExpiredOrWithdrawn;
    if (state == QLatin1String("HP006"))
        return ExitCode::NotFound;
    if (state == QLatin1String("HP007"))
        return ExitCode::Mismatch;
    if (state == QLatin1String("HP008") || state == QLatin1String("42501"))
        return ExitCode::Denied;
    return ExitCode::StoreProblem;
}

bool retryable(const QString &state)
{
    return state == QLatin1String("40001") || state == QLatin1String("40P01");
}

} // namespace

QVariant pgNull(QMetaType::Type type)
{
    return QVariant(QMetaType(type));
}

QString pgTextArray(const QStringList &items)
{
    QStringList quoted;
    for (QString item : items) {
        item.replace(u'\\', QLatin1String("\\\\"));
        item.replace(u'"', QLatin1String("\\\""));
        quoted << u'"' + item + u'"';
    }
    return u'{' + quoted.join(u',') + u'}';
}

// Each element is bytea hex input ("\\x..."), its backslash escaped for the
// array literal.
QString pgByteaArray(const std::vector<QByteArray> &items)
{
    QStringList quoted;
    for (const QByteArray &item : items)
        quoted << QStringLiteral("\"\\\\x%1\"").arg(QString::fromLatin1(item.toHex()));
    return u'{' + quoted.join(u',') + u'}';
}

QString pgIntArray(const std::vector<int> &items)
{
    QStringList numbers;
    for (int item : items)
        numbers << QString::number(item);
    return u'{' + numbers.join(u',') + u'}';
}

PgConnection::PgConnection(PgLocation location)
    : m_location(std::move(location)),
      m_name(QStringLiteral("holdpoint-pg-%1").arg(connectionCounter.fetchAndAddRelaxed(1)))
{
}

PgConnection::~PgConnection()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

QSqlDatabase PgConnection::database() const
{
    return QSqlDatabase::database(m_name, false);
}

Status PgConnection::open()
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_driver"),
                         QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed; "
                                        "install libqt6sql6-psql"));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_name);
    db.setDatabaseName(m_location.database);
    if (!m_location.host.isEmpty())
        db.setHostName(m_location.host);
    db.setPort(m_location.port);
    if (!m_location.user.isEmpty())
        db.setUserName(m_location.user);
    db.setConnectOptions(m_location.connectOptions());
    if (!db.open())
        return makeError(ExitCode::StoreProblem, QStringLiteral("connect"),
                         QStringLiteral("cannot connect to %1: %2")
                             .arg(m_location.uri, db.lastError().text().simplified()));
    if (auto q = exec(QStringLiteral("SET search_path = holdpoint, pg_temp")); !q)
        return q.error();
    // Server notices (e.g. "role is already a member") are not for users.
    if (auto q = exec(QStringLiteral("SET client_min_messages = warning")); !q)
        return q.error();
    return {};
}

Error PgConnection::errorFrom(const QSqlQuery &query, const QString &what) const
{
    const QSqlError e = query.lastError();
    const QString state = e.nativeErrorCode();
    const ParsedServerError parsed = parseServerText(e.databaseText());
    const ExitCode code = codeFor(state);
    if (state.startsWith(QLatin1String("HP")))
        return makeError(code, parsed.hint.isEmpty() ? QStringLiteral("refused") : parsed.hint,
                         parsed.message);
    if (code == ExitCode::Denied)
        return makeError(code, QStringLiteral("permission_denied"),
                         QStringLiteral("%1 on %2: %3").arg(what, m_location.uri, parsed.message));
    return makeError(code, state.isEmpty() ? QStringLiteral("sql") : QStringLiteral("sql_") + state,
                     QStringLiteral("%1 failed on %2: %3").arg(what, m_location.uri, parsed.message));
}

Result<QSqlQuery> PgConnection::exec(const QString &sql, std::initializer_list<QVariant> values)
{
    return exec(sql, QVariantList(values));
}

Result<QSqlQuery> PgConnection::exec(const QString &sql, const QVariantList &values)
{
    QSqlQuery q(database());
    q.setForwardOnly(true);
    bool ok = false;
    if (values.isEmpty()) {
        ok = q.exec(sql);
    } else if (q.prepare(sql)) {
        for (const QVariant &v : values)
            q.addBindValue(v);
        ok = q.exec();
    }
    if (!ok) {
        const Error e = errorFrom(q, sql.section(u'(', 0, 0).simplified());
        if (m_inTransaction && !m_ended) {
            QSqlQuery(database()).exec(QStringLiteral("ROLLBACK"));
            m_ended = true;
        }
        return e;
    }
    return q;
}

Result<QSqlQuery> PgConnection::execOnce(const QString &sql, const QVariantList &values)
{
    const QStringList pieces = sql.split(u'?');
    if (pieces.size() != values.size() + 1)
        return makeError(ExitCode::Internal, QStringLiteral("placeholders"),
                         QStringLiteral("%1 placeholders for %2 values in: %3")
                             .arg(pieces.size() - 1)
                             .arg(values.size())
                             .arg(sql));
    QSqlDriver *driver = database().driver();
    QString text = pieces.first();
    for (qsizetype i = 0; i < values.size(); ++i) {
        QSqlField field(QString(), values[i].metaType());
        field.setValue(values[i]);
        text += driver->formatValue(field) + pieces[i + 1];
    }
    constexpr int kAttempts = 20;
    for (int attempt = 1;; ++attempt) {
        QSqlQuery q(database());
        q.setForwardOnly(true);
        if (q.exec(text))
            return q;
        if (!retryable(q.lastError().nativeErrorCode()) || attempt == kAttempts)
            return errorFrom(q, sql.section(u'(', 0, 0).simplified());
    }
}

Result<QSqlQuery> PgConnection::execPrepared(const QString &name, const QString &sql,
                                             const QVariantList &values)
{
    if (!m_prepared.contains(name)) {
        const QStringList pieces = sql.split(u'?');
        QString numbered = pieces.first();
        for (qsizetype i = 1; i < pieces.size(); ++i)
            numbered += QStringLiteral("$%1").arg(i) + pieces[i];
        if (auto q = exec(QStringLiteral("PREPARE %1 AS %2").arg(name, numbered)); !q)
            return q.error();
        m_prepared.insert(name);
    }
    const QStringList marks(values.size(), QStringLiteral("?"));
    return execOnce(QStringLiteral("EXECUTE %1(%2)").arg(name, marks.join(QStringLiteral(", "))),
                    values);
}

Status PgConnection::inTransaction(const std::function<Status()> &body)
{
    constexpr int kAttempts = 20;
    for (int attempt = 1;; ++attempt) {
        QSqlDatabase db = database();
        if (!db.transaction())
            return makeError(ExitCode::StoreProblem, QStringLiteral("begin"),
                             QStringLiteral("cannot begin a transaction on %1: %2")
                                 .arg(m_location.uri, db.lastError().text().trimmed()));
        m_inTransaction = true;
        m_ended = false;
        Status result = body();
        m_inTransaction = false;
        if (result && db.commit())
            return {};
        const QString state = db.lastError().nativeErrorCode();
        if (!m_ended)
            db.rollback();
        const bool again = (!result && result.error().reason.startsWith(QLatin1String("sql_40"))) ||
                           retryable(state);
        if (!again || attempt == kAttempts) {
            if (!result)
                return result;
            return makeError(ExitCode::StoreProblem, QStringLiteral("commit"),
                             QStringLiteral("cannot commit on %1: %2")
                                 .arg(m_location.uri, db.lastError().text().trimmed()));
        }
    }
}

Result<PgIdentity> PgConnection::identity()
{
    auto q = exec(QStringLiteral(
        "SELECT r.rolname, r.rolsuper, r.rolbypassrls, d.datdba = r.oid "
        "FROM pg_roles r, pg_database d "
        "WHERE r.rolname = session_user AND d.datname = current_database()"));
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ExitCode::StoreProblem, QStringLiteral("identity"),
                         QStringLiteral("cannot read who this session is on %1").arg(m_location.uri));
    return PgIdentity{q->value(0).toString(), q->value(1).toBool(), q->value(2).toBool(),
                      q->value(3).toBool()};
}

Status PgConnection::refusePrivileged()
{
    auto who = identity();
    if (!who)
        return who.error();
    QString what;
    if (who->superuser)
        what = QStringLiteral("a superuser");
    else if (who->owner)
        what = QStringLiteral("the owner of the database");
    else if (who->bypassRls)
        what = QStringLiteral("a BYPASSRLS role");
    if (what.isEmpty())
        return {};
    return makeError(ExitCode::Denied, QStringLiteral("privileged_login"),
                     QStringLiteral("refusing to work as %1, which is %2 and bypasses the rules "
                                    "Holdpoint enforces; connect as your own login (only `db init` "
                                    "and `db migrate` run as the owner)")
                         .arg(who->sessionUser, what));
}

} // namespace hp
