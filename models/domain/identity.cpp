#include "domain/identity.h"

#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace hp {

QString currentLogin()
{
    // getpwuid_r: reentrant, so console worker threads may call it too.
    long size = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buf(static_cast<size_t>(size > 0 ? size : 16384));
    passwd pw{};
    passwd *result = nullptr;
    if (getpwuid_r(geteuid(), &pw, buf.data(), buf.size(), &result) != 0 || !result)
        return {};
    return QString::fromUtf8(result->pw_name);
}

QString currentHost()
{
    return QSysInfo::machineHostName();
}

QString appVersion()
{
    return QStringLiteral(HOLDPOINT_VERSION);
}

} // namespace hp
