#pragma once

#include "domain/result.h"

#include <QString>

// A team-mode location (DESIGN §6): a libpq URI, either
//   postgresql://user@host:port/dbname[?sslmode=...]  (TCP; sslmode defaults
//                                                       to verify-full)
//   postgresql://user@/dbname?host=/socket/dir       (a Unix socket; no TLS)
// A password in the URI is refused: libpq reads it from ~/.pgpass or
// PGPASSWORD, so it never shows in process lists, shell history or logs.
namespace hp {

struct PgLocation
{
    QString user;     // empty: libpq's default (the OS login)
    QString host;     // a host name, or a socket directory (starts with '/')
    int port = 5432;
    QString database;
    QString sslmode;  // as given or defaulted; empty on a socket
    QString uri;      // for display: never holds a password

    bool socket() const { return host.isEmpty() || host.startsWith(u'/'); }
    // QPSQL connect options ("sslmode=...;connect_timeout=...").
    QString connectOptions() const;
};

bool isPgLocation(const QString &location);
Result<PgLocation> parsePgLocation(const QString &location);

} // namespace hp
