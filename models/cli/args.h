#pragma once

#include "domain/result.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

// The command line of holdpointctl: a command (one or two words, "submit",
// "users add"), its options and positionals, and the global options (--db,
// --json, --help/-h) that may appear anywhere on the line. Values always come
// from the next token (or after '='), so a value that looks like an option
// ("--reason --json") is still a value. "--" ends the options.
namespace hp::cli {

struct OptionSpec
{
    QString name;      // without the leading "--"
    QString valueName; // empty: a flag without a value
    bool repeatable = false;
    QString help;
};

struct ParsedArgs
{
    QStringList command;                // the command words, e.g. {"users", "add"}
    QStringList positionals;            // after the command words
    QHash<QString, QStringList> values; // option name -> values in order (flags: one empty value)

    bool has(const QString &name) const { return values.contains(name); }
    QString value(const QString &name) const; // the last value, or empty
    QStringList all(const QString &name) const { return values.value(name); }
};

// Global options, accepted before or after the command words.
struct GlobalOptions
{
    QString db; // empty: not given
    bool dbGiven = false;
    bool json = false;
    bool help = false;
};

// Options a command accepts (looked up once its words are known).
using OptionLookup = std::function<const std::vector<OptionSpec> *(const QStringList &command)>;
// Whether `words` name a complete command (true), a group that needs another
// word (false with `group` set), or nothing known (false).
struct CommandMatch
{
    bool complete = false;
    bool group = false;
};
using CommandResolver = std::function<CommandMatch(const QStringList &words)>;

struct ParseOutcome
{
    GlobalOptions globals;
    ParsedArgs args;
};

// Parses `tokens` (argv without the program name). Errors are ExitCode::Usage
// with a message naming the offending token; with --help anywhere, unknown
// options are tolerated so help always shows.
Result<ParseOutcome> parseCommandLine(const QStringList &tokens, const CommandResolver &resolve,
                                      const OptionLookup &options);

} // namespace hp::cli
