#include "pgharness.h"

#include "intake/contenthash.h"
#include "storage/pgsetup.h"
#include "storage/store.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

#include <pwd.h>
#include <unistd.h>

namespace hp::testing {

namespace {

const QString kServerUser = QStringLiteral("hp-pg");

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

} // namespace

QString describeProblems(const VerifyReport &report, int most)
{
    QStringList out;
    for (const AuditProblem &p : report.problems)
        out << QStringLiteral("seq %1: %2").arg(p.seq).arg(p.detail);
    if (most > 0 && out.size() > most)
        out = out.mid(0, most) << QStringLiteral("… %1 in all").arg(report.problems.size());
    return out.join(u'\n');
}

QString PgHarness::startTeamStore()
{
    if (QString why = start(); !why.isEmpty())
        return why;
    const QString owner = QStringLiteral("hp_owner");
    auto init = initTeamStore(uri(owner), QStringLiteral("adm"),
                              Actor{owner, QStringLiteral("testhost"), QStringLiteral("0.0-test")});
    return init ? QString() : QStringLiteral("db init: ") + init.error().message;
}

std::unique_ptr<Store> PgHarness::openAs(const QString &login) const
{
    auto store = openStore(uri(login));
    if (!store) {
        qWarning("%s", qPrintable(store.error().message));
        return nullptr;
    }
    return std::move(*store);
}

QByteArray commandContentHash(const QString &environment, const QString &name, const QByteArray &bytes)
{
    Artifact a;
    a.kind = ArtifactKind::Command;
    a.name = name;
    a.parts = {bytes};
    std::vector<Artifact> artifacts{a};
    hashArtifacts(artifacts);
    return contentHash(RevisionMeta{ChangeKind::Infra, environment, QString()}, artifacts).toHex();
}

PgHarness::~PgHarness()
{
    stop();
}

QString PgHarness::binDir()
{
    return QStringLiteral("/usr/lib/postgresql/15/bin");
}

QString PgHarness::socketDir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString PgHarness::uri(const QString &user, const QString &database) const
{
    return QStringLiteral("postgresql://%1@/%2?host=%3").arg(user, database, socketDir());
}

QStringList PgHarness::asServerUser(const QString &program, const QStringList &args) const
{
    if (!runningAsRoot())
        return QStringList{program} + args;
    return QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), kServerUser,
                       QStringLiteral("--"), program} +
           args;
}

PsqlRun PgHarness::run(const QStringList &command, const QByteArray &input, int timeoutMs) const
{
    QProcess p;
    p.setWorkingDirectory(QDir::tempPath()); // runuser: a directory hp-pg can enter
    p.start(command.first(), command.mid(1));
    PsqlRun r;
    if (!p.waitForStarted(30000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QByteArrayLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString PgHarness::start()
{
    if (!QFileInfo(binDir() + QStringLiteral("/initdb")).isExecutable()) {
        m_missing = true;
        return QStringLiteral("PostgreSQL 15 is not installed (%1/initdb missing); install the "
                              "package postgresql (scripts/test.sh does)")
            .arg(binDir());
    }
    if (runningAsRoot() && !::getpwnam(kServerUser.toLatin1().constData())) {
        m_missing = true;
        return QStringLiteral("running as root needs the login %1 to run PostgreSQL; create it "
                              "with scripts/common.sh (hp_create_test_logins)")
            .arg(kServerUser);
    }
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/hp-pg-XXXXXX"));
    if (!m_dir->isValid())
        return QStringLiteral("cannot create a temporary directory");
    if (runningAsRoot()) {
        const passwd *pw = ::getpwnam(kServerUser.toLatin1().constData());
        if (::chown(QFile::encodeName(socketDir()).constData(), pw->pw_uid, pw->pw_gid) != 0)
            return QStringLiteral("cannot give %1 to %2").arg(socketDir(), kServerUser);
    }
    const QString data = socketDir() + QStringLiteral("/data");
    PsqlRun init = run(asServerUser(binDir() + QStringLiteral("/initdb"),
                                    {QStringLiteral("-D"), data, QStringLiteral("-A"),
                                     QStringLiteral("trust"), QStringLiteral("-U"),
                                     QStringLiteral("postgres"), QStringLiteral("-E"),
                                     QStringLiteral("UTF8"), QStringLiteral("--locale=C"),
                                     QStringLiteral("--no-sync")}));
    if (init.exitCode != 0)
        return QStringLiteral("initdb failed: %1").arg(QString::fromUtf8(init.err));
    const QString options =
        QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' -c max_connections=60")
            .arg(socketDir());
    PsqlRun up = run(asServerUser(binDir() + QStringLiteral("/pg_ctl"),
                                  {QStringLiteral("-D"), data, QStringLiteral("-o"), options,
                                   QStringLiteral("-l"), socketDir() + QStringLiteral("/server.log"),
                                   QStringLiteral("-w"), QStringLiteral("start")}));
    if (up.exitCode != 0)
        return QStringLiteral("pg_ctl start failed: %1%2")
            .arg(QString::fromUtf8(up.out), QString::fromUtf8(up.err));
    m_running = true;
    PsqlRun prepare = psql(QStringLiteral("postgres"),
                           QStringLiteral("CREATE ROLE hp_owner LOGIN CREATEROLE;\n"
                                          "CREATE DATABASE holdpoint OWNER hp_owner;\n"),
                           true, QStringLiteral("postgres"));
    if (prepare.exitCode != 0)
        return QStringLiteral("preparing the owner failed: %1").arg(QString::fromUtf8(prepare.err));
    return {};
}

void PgHarness::stop()
{
    if (!m_running)
        return;
    m_running = false;
    run(asServerUser(binDir() + QStringLiteral("/pg_ctl"),
                     {QStringLiteral("-D"), socketDir() + QStringLiteral("/data"),
                      QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                      QStringLiteral("stop")}));
}

PsqlRun PgHarness::psql(const QString &user, const QString &script, bool stopOnError,
                        const QString &database) const
{
    QStringList args{binDir() + QStringLiteral("/psql"), QStringLiteral("-X"), QStringLiteral("-qAt"),
                     QStringLiteral("-h"), socketDir(), QStringLiteral("-U"), user,
                     QStringLiteral("-d"), database};
    if (stopOnError)
        args << QStringLiteral("-v") << QStringLiteral("ON_ERROR_STOP=1");
    return run(args, script.toUtf8(), 600000);
}

} // namespace hp::testing
