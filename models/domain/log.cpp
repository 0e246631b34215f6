#include "domain/log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <QByteArray>
#include <QDir>
#include <QString>

#include <mutex>
#include <vector>

namespace hp::log {

namespace {

std::mutex g_mutex;
std::vector<spdlog::sink_ptr> g_sinks; // empty until setupLogging
spdlog::level::level_enum g_level = spdlog::level::warn;

std::vector<spdlog::sink_ptr> defaultSinks()
{
    if (g_sinks.empty())
        g_sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    return g_sinks;
}

} // namespace

std::shared_ptr<spdlog::logger> get(const char *area)
{
    std::lock_guard lock(g_mutex);
    if (auto existing = spdlog::get(area))
        return existing;
    auto sinks = defaultSinks();
    auto logger = std::make_shared<spdlog::logger>(area, sinks.begin(), sinks.end());
    logger->set_level(g_level);
    spdlog::register_logger(logger);
    return logger;
}

void setupLogging(const char *appName, spdlog::level::level_enum level)
{
    const QByteArray env = qgetenv("HOLDPOINT_LOG_LEVEL");
    if (!env.isEmpty())
        level = spdlog::level::from_str(env.toStdString());

    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());

    QString stateDir = QString::fromLocal8Bit(qgetenv("XDG_STATE_HOME"));
    if (stateDir.isEmpty() && !qEnvironmentVariableIsEmpty("HOME"))
        stateDir = QDir::homePath() + QStringLiteral("/.local/state");
    if (!stateDir.isEmpty() && QDir().mkpath(stateDir + QStringLiteral("/holdpoint"))) {
        const QString file = stateDir + QStringLiteral("/holdpoint/") + QString::fromUtf8(appName)
                             + QStringLiteral(".log");
        try {
            auto fileSink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.toStdString());
            fileSink->set_level(spdlog::level::info);
            sinks.push_back(fileSink);
        } catch (const spdlog::spdlog_ex &) {
            // Not writable: stderr alone is enough.
        }
    }

    std::lock_guard lock(g_mutex);
    g_sinks = sinks;
    g_level = level;
    spdlog::drop_all();
    for (const char *area : {"core", "storage", "ui", "cli"}) {
        auto logger = std::make_shared<spdlog::logger>(area, sinks.begin(), sinks.end());
        logger->set_level(std::min(level, spdlog::level::info));
        sinks.front()->set_level(level);
        spdlog::register_logger(logger);
    }
}

} // namespace hp::log
