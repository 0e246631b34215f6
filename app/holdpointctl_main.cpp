#include "cli/cliapp.h"
#include "domain/log.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // Same application name as the console, so both find the same default store.
    QCoreApplication::setApplicationName(QStringLiteral("holdpoint"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOLDPOINT_VERSION));
    const QStringList arguments = QCoreApplication::arguments().mid(1);
    // With --json, stderr carries exactly the error object, so log lines stay
    // off it unless HOLDPOINT_LOG_LEVEL asks for them.
    const bool json = arguments.contains(QStringLiteral("--json"));
    hp::log::setupLogging("holdpointctl", json ? spdlog::level::off : spdlog::level::warn);
    return hp::cli::runHoldpointCtl(arguments);
}
