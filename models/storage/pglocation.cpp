#include "storage/pglocation.h"

#include <QUrl>
#include <QUrlQuery>

namespace hp {

namespace {

Error locationError(const QString &reason, const QString &message)
{
    return makeError(ExitCode::Usage, reason, message);
}

const QStringList &sslModes()
{
    static const QStringList modes{QStringLiteral("disable"),     QStringLiteral("allow"),
                                   QStringLiteral("prefer"),      QStringLiteral("require"),
                                   QStringLiteral("verify-ca"),   QStringLiteral("verify-full")};
    return modes;
}

// Only these query keys are understood; anything else (notably "password")
// is refused rather than silently ignored.
Status readQuery(PgLocation &out, const QUrlQuery &query, const QString &shown)
{
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (key == QLatin1String("host"))
            out.host = value;
        else if (key == QLatin1String("port"))
            out.port = value.toInt();
        else if (key == QLatin1String("sslmode"))
            out.sslmode = value;
        else if (key == QLatin1String("password"))
            return locationError(
                QStringLiteral("password_in_uri"),
                QStringLiteral("%1 carries a password; remove it and use ~/.pgpass or PGPASSWORD")
                    .arg(shown));
        else
            return locationError(QStringLiteral("invalid_location"),
                                 QStringLiteral("%1: unsupported parameter \"%2\" (host, port and "
                                                "sslmode are understood)")
                                     .arg(shown, key));
    }
    return {};
}

// "user:@host" has an empty password QUrl does not report; any colon in the
// user info is a password attempt.
bool hasUserInfoColon(const QString &location)
{
    const qsizetype start = location.indexOf(QLatin1String("://")) + 3;
    const qsizetype slash = location.indexOf(u'/', start);
    const QString authority = location.mid(start, slash < 0 ? -1 : slash - start);
    const qsizetype at = authority.lastIndexOf(u'@');
    return at >= 0 && authority.left(at).contains(u':');
}

} // namespace

QString PgLocation::connectOptions() const
{
    QStringList options{QStringLiteral("connect_timeout=10")};
    if (!sslmode.isEmpty())
        options << QStringLiteral("sslmode=") + sslmode;
    return options.join(u';');
}

bool isPgLocation(const QString &location)
{
    return location.startsWith(QLatin1String("postgresql://")) ||
           location.startsWith(QLatin1String("postgres://"));
}

Result<PgLocation> parsePgLocation(const QString &location)
{
    const QUrl url(location, QUrl::StrictMode);
    if (!url.isValid() || !isPgLocation(location))
        return locationError(QStringLiteral("invalid_location"),
                             QStringLiteral("\"%1\" is not a postgresql:// URI").arg(location));
    if (!url.password().isEmpty() || hasUserInfoColon(location))
        return locationError(
            QStringLiteral("password_in_uri"),
            QStringLiteral("the database URI carries a password; remove it and use ~/.pgpass or "
                           "PGPASSWORD (passwords in URIs leak into process lists and logs)"));
    PgLocation out;
    out.user = url.userName(QUrl::FullyDecoded);
    out.host = url.host(QUrl::FullyDecoded);
    out.port = url.port(5432);
    out.database = url.path(QUrl::FullyDecoded).mid(1);
    QUrl shownUrl = url;
    shownUrl.setPassword(QString());
    out.uri = shownUrl.toString();
    if (Status s = readQuery(out, QUrlQuery(url), out.uri); !s)
        return s.error();
    if (out.database.isEmpty() || out.database.contains(u'/'))
        return locationError(QStringLiteral("invalid_location"),
                             QStringLiteral("%1 names no database (postgresql://user@host/dbname)")
                                 .arg(out.uri));
    if (out.port <= 0 || out.port > 65535)
        return locationError(QStringLiteral("invalid_location"),
                             QStringLiteral("%1: the port is not a number from 1 to 65535").arg(out.uri));
    if (out.sslmode.isEmpty() && !out.socket())
        out.sslmode = QStringLiteral("verify-full");
    if (!out.sslmode.isEmpty() && !sslModes().contains(out.sslmode))
        return locationError(QStringLiteral("invalid_location"),
                             QStringLiteral("%1: unknown sslmode \"%2\"").arg(out.uri, out.sslmode));
    return out;
}

} // namespace hp
