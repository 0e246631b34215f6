#pragma once

#include "cli/args.h"
#include "storage/store.h"

#include <QStringList>

#include <vector>

// holdpointctl as a library: the command table, the dispatcher and help. The
// executable only sets up Qt and logging and calls runHoldpointCtl().
namespace hp::cli {

class Context;

struct CommandDef
{
    QStringList words; // {"users", "add"}
    QString synopsis;  // after the command words: "LOGIN [--role R]..."
    QString summary;   // one line
    QString details;   // paragraph(s) for --help
    std::vector<OptionSpec> options;
    int minArgs = 0; // positionals
    int maxArgs = 0; // -1: unlimited
    int (*run)(Context &) = nullptr;
};

const std::vector<CommandDef> &commandTable();

// Runs one command line (argv without the program name) and returns the exit
// code. Results go to stdout, errors to stderr.
int runHoldpointCtl(const QStringList &arguments, Clock clock = systemClock);

} // namespace hp::cli
