#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace hp {
class Store;
struct VerifyReport;
}

// A throwaway PostgreSQL 15 for the team-mode tests: initdb into a temporary
// directory and pg_ctl from /usr/lib/postgresql/15/bin, listening on a Unix
// socket in that directory only (no TCP). PostgreSQL refuses to run as root,
// so as root the server runs as the dedicated login hp-pg through runuser
// (scripts/common.sh creates it). The cluster uses trust authentication on
// its private socket so tests can act as any role with an explicit user@ in
// the URI; production uses peer or password (~/.pgpass) authentication.
//
// start() creates the role hp_owner (LOGIN CREATEROLE, not a superuser) and
// the database "holdpoint" it owns: what an operator prepares before
// `holdpointctl db init`.
namespace hp::testing {

struct PsqlRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The content hash (hex) an honest client sends for a one-command revision
// of kind infra, for tests that call hp_submit with psql (verify recomputes
// it from the stored bytes).
QByteArray commandContentHash(const QString &environment, const QString &name, const QByteArray &bytes);

// A verify report's problems, one "seq N: detail" per line; with `most` > 0
// only that many, then how many in all.
QString describeProblems(const VerifyReport &report, int most = 0);

class PgHarness
{
public:
    PgHarness() = default;
    ~PgHarness();
    PgHarness(const PgHarness &) = delete;
    PgHarness &operator=(const PgHarness &) = delete;

    // Empty on success, else why the server could not start (the caller
    // QSKIPs with it when the binaries are missing, fails otherwise).
    QString start();
    bool binariesMissing() const { return m_missing; }
    void stop();

    // start(), then `db init --admin adm` as the owner hp_owner: empty on
    // success, else why not (see HP_START_TEAM_STORE).
    QString startTeamStore();
    // A team store opened as `login` (null, with a warning, on failure).
    std::unique_ptr<Store> openAs(const QString &login) const;

    QString socketDir() const;
    // postgresql://USER@/DB?host=SOCKETDIR
    QString uri(const QString &user, const QString &database = QStringLiteral("holdpoint")) const;
    // psql -X -qAt as USER; every statement runs even after an error unless
    // stopOnError. `script` goes to stdin.
    PsqlRun psql(const QString &user, const QString &script, bool stopOnError = true,
                 const QString &database = QStringLiteral("holdpoint")) const;
    static QString binDir();

private:
    QStringList asServerUser(const QString &program, const QStringList &args) const;
    PsqlRun run(const QStringList &command, const QByteArray &input = {}, int timeoutMs = 120000) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_running = false;
    bool m_missing = false;
};

} // namespace hp::testing

// In a test's initTestCase: a throwaway server with a fresh team store, or a
// skip (PostgreSQL missing) or failure with the reason.
#define HP_START_TEAM_STORE(harness)                                                               \
    do {                                                                                           \
        const QString hpWhy = (harness).startTeamStore();                                          \
        if (!hpWhy.isEmpty() && (harness).binariesMissing())                                       \
            QSKIP(qPrintable(hpWhy));                                                              \
        QVERIFY2(hpWhy.isEmpty(), qPrintable(hpWhy));                                              \
    } while (false)
