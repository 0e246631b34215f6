#pragma once

#include <spdlog/logger.h>

#include <memory>

// Named loggers per area (STYLE: core, storage, ui, cli). Library code asks
// for its logger; the executables call setupLogging() once. A logger that was
// never set up writes warnings and worse to stderr.
namespace hp::log {

std::shared_ptr<spdlog::logger> get(const char *area);
inline std::shared_ptr<spdlog::logger> core() { return get("core"); }
inline std::shared_ptr<spdlog::logger> storage() { return get("storage"); }
inline std::shared_ptr<spdlog::logger> ui() { return get("ui"); }
inline std::shared_ptr<spdlog::logger> cli() { return get("cli"); }

// stderr at `level` (HOLDPOINT_LOG_LEVEL overrides), plus a file in the XDG
// state directory ($XDG_STATE_HOME or ~/.local/state)/holdpoint/<app>.log when
// it can be written. A log that cannot be written is not an error: agents may
// run as logins with no home.
void setupLogging(const char *appName, spdlog::level::level_enum level = spdlog::level::warn);

} // namespace hp::log
