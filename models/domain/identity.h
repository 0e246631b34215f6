#pragma once

#include <QString>

// Who is acting, from the operating system only (DESIGN §3): the login of the
// effective user from getpwuid(geteuid()), never $USER or anything typed.
namespace hp {

QString currentLogin();   // empty if the uid has no passwd entry
QString currentHost();    // the machine's host name
QString appVersion();     // HOLDPOINT_VERSION

} // namespace hp
