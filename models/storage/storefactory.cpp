#include "storage/pglocation.h"
#include "storage/pgstore.h"
#include "storage/sqlitestore.h"
#include "storage/store.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

// Choosing and creating stores. Only `init` and `demo` create one; the file
// is created here, before SQLite touches it, so its mode is never wider than
// intended even for a moment (DESIGN §6).
namespace hp {

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

Error createError(const QString &reason, const QString &message)
{
    return makeError(ExitCode::StoreProblem, reason, message);
}

Result<gid_t> groupId(const QString &name)
{
    long size = sysconf(_SC_GETGR_R_SIZE_MAX);
    std::vector<char> buf(static_cast<size_t>(size > 0 ? size : 16384));
    group gr{};
    group *found = nullptr;
    const QByteArray local = name.toLocal8Bit();
    if (getgrnam_r(local.constData(), &gr, buf.data(), buf.size(), &found) != 0 || !found)
        return makeError(ExitCode::Usage, QStringLiteral("unknown_group"),
                         QStringLiteral("no group named %1").arg(name));
    return found->gr_gid;
}

// A shared store needs a directory that hands its group to SQLite's -wal and
// -shm files (setgid) and lets the group create them. We fix our own
// directory; someone else's we only check.
Status prepareSharedDirectory(const QString &dir, gid_t gid, const QString &groupName)
{
    const QByteArray path = QFile::encodeName(dir);
    struct stat st
    {
    };
    if (::stat(path.constData(), &st) != 0)
        return createError(QStringLiteral("directory"),
                           QStringLiteral("cannot inspect %1: %2").arg(dir, errnoText()));
    const mode_t wanted = S_ISGID | S_IRWXG;
    if (st.st_gid == gid && (st.st_mode & wanted) == wanted)
        return {};
    if (st.st_uid != geteuid())
        return createError(
            QStringLiteral("directory_not_shared"),
            QStringLiteral("the directory %1 must belong to group %2, be group-writable and setgid "
                           "(chgrp %2 %1 && chmod g+rwxs %1); ask its owner")
                .arg(dir, groupName));
    if (st.st_gid != gid && ::chown(path.constData(), static_cast<uid_t>(-1), gid) != 0)
        return createError(QStringLiteral("directory_not_shared"),
                           QStringLiteral("cannot give the directory %1 to group %2: %3")
                               .arg(dir, groupName, errnoText()));
    if (::chmod(path.constData(), (st.st_mode & 07777) | wanted) != 0)
        return createError(
            QStringLiteral("directory_not_shared"),
            QStringLiteral("cannot make the directory %1 group-writable and setgid: %2")
                .arg(dir, errnoText()));
    return {};
}

// Creates the empty database file with O_EXCL and its final owner and mode.
Status createFile(const QString &location, const QString &groupName)
{
    std::optional<gid_t> gid;
    if (!groupName.isEmpty()) {
        const auto g = groupId(groupName);
        if (!g)
            return g.error();
        gid = *g;
        if (Status s = prepareSharedDirectory(QFileInfo(location).absolutePath(), *gid, groupName);
            !s)
            return s;
    }
    const QByteArray path = QFile::encodeName(location);
    const int fd = ::open(path.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return createError(
            errno == EEXIST ? QStringLiteral("exists") : QStringLiteral("create"),
            QStringLiteral("cannot create the store %1: %2").arg(location, errnoText()));
    bool ok = true;
    QString failure;
    if (gid) {
        ok = ::fchown(fd, static_cast<uid_t>(-1), *gid) == 0 && ::fchmod(fd, 0660) == 0;
        failure = QStringLiteral("cannot give %1 to group %2 with mode 0660: %3")
                      .arg(location, groupName, errnoText());
    }
    ::close(fd);
    if (!ok) {
        ::unlink(path.constData());
        return createError(QStringLiteral("create"), failure);
    }
    return {};
}

void removeStoreFiles(const QString &location)
{
    for (const QString &suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(location + suffix);
}

bool isTeamLocation(const QString &location)
{
    return isPgLocation(location);
}

// A team store is created by the database owner, who also creates the roles.
Error teamStoreNotCreatedHere(const QString &location)
{
    return makeError(ExitCode::Usage, QStringLiteral("team_store"),
                     QStringLiteral("%1 is a team store: the database owner creates it with "
                                    "`holdpointctl db init --admin LOGIN --db %1`")
                         .arg(location));
}

} // namespace

QDateTime systemClock()
{
    return QDateTime::currentDateTimeUtc();
}

QString toString(AuditProblemClass c)
{
    switch (c) {
    case AuditProblemClass::Modified:
        return QStringLiteral("modified");
    case AuditProblemClass::Missing:
        return QStringLiteral("missing");
    case AuditProblemClass::Reordered:
        return QStringLiteral("reordered");
    case AuditProblemClass::Inserted:
        return QStringLiteral("inserted");
    case AuditProblemClass::Truncated:
        return QStringLiteral("truncated");
    case AuditProblemClass::Mismatch:
        return QStringLiteral("mismatch");
    }
    return {};
}

QString defaultStoreLocation()
{
    const QString env = qEnvironmentVariable("HOLDPOINT_DB");
    if (!env.isEmpty())
        return env;
    // Computing the path creates nothing; `init` creates the directory.
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/holdpoint.db");
}

Result<std::unique_ptr<Store>> openStore(const QString &location, Clock clock)
{
    if (isTeamLocation(location))
        return PgStore::open(location, std::move(clock));
    if (location.isEmpty())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_location"),
                         QStringLiteral("no store location: pass --db PATH or set HOLDPOINT_DB"));
    const QFileInfo file(location);
    if (!file.exists())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_store"),
                         QStringLiteral("there is no Holdpoint store at %1; create one with "
                                        "`holdpointctl init --admin LOGIN` (or a demo with "
                                        "`holdpointctl demo --db PATH`)")
                             .arg(location));
    if (!file.isFile())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("not_a_store"),
            QStringLiteral("%1 is not a file, so not a Holdpoint store").arg(location));
    return SqliteStore::open(file.absoluteFilePath(), std::move(clock));
}

Result<std::unique_ptr<Store>> createStore(const QString &location, const CreateOptions &options,
                                           const Actor &creator, Clock clock)
{
    if (isTeamLocation(location))
        return teamStoreNotCreatedHere(location);
    if (location.isEmpty())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_location"),
                         QStringLiteral("no store location: pass --db PATH or set HOLDPOINT_DB"));
    const QFileInfo file(location);
    if (file.exists() || file.isSymLink())
        return makeError(
            ExitCode::StoreProblem, QStringLiteral("exists"),
            QStringLiteral("refusing to create a store at %1: the file exists").arg(location));
    const QString dir = file.absolutePath();
    if (!QDir(dir).exists() && !QDir().mkpath(dir))
        return makeError(ExitCode::StoreProblem, QStringLiteral("directory"),
                         QStringLiteral("cannot create the directory %1").arg(dir));
    const QString path = file.absoluteFilePath();
    if (Status s = createFile(path, options.group); !s)
        return s.error();
    auto store = SqliteStore::create(path, options, creator, std::move(clock));
    if (!store)
        removeStoreFiles(path); // nothing is left half-made
    return store;
}

} // namespace hp
