#pragma once

#include "cli/args.h"
#include "cli/output.h"
#include "storage/store.h"

#include <QJsonObject>

#include <memory>

// What one holdpointctl command runs with: its parsed line, where to write,
// how to reach the store and who is acting. The principal is always the OS
// login of the process (getpwuid(geteuid())); nothing on the line or in the
// environment can change it.
namespace hp::cli {

// An open store and the OS principal acting on it.
struct Session
{
    std::unique_ptr<Store> store;
    Actor actor;
};

class Context
{
public:
    Context(GlobalOptions globals, ParsedArgs args, Output &out, Clock clock = systemClock);

    const ParsedArgs &args() const { return m_args; }
    const GlobalOptions &globals() const { return m_globals; }
    bool json() const { return m_globals.json; }
    Output &out() { return m_out; }
    const Clock &clock() const { return m_clock; }

    // --db, else HOLDPOINT_DB, else the default location.
    QString storeLocation() const;
    Result<std::unique_ptr<Store>> openStore() const;
    Result<Actor> actor() const;
    Result<Session> session() const; // actor(), then openStore()

    // "holdpoint.<command words joined by dots>/1"
    QString schema() const;
    // Prints a successful result (the JSON object with "schema" added, or the
    // text) and returns 0.
    int done(QJsonObject object, const QString &text);
    // As done(), with a schema of its own (a document shape shared by
    // several commands, e.g. "holdpoint.topology/1").
    int done(QJsonObject object, const QString &text, const QString &schema);
    // Prints a result whose outcome is a non-zero exit (wait, check, verify):
    // the object on stdout, then `why` on stderr. Returns why.code.
    int outcome(QJsonObject object, const QString &text, const Error &why);
    // Prints the error and returns its exit code.
    int fail(const Error &e);

private:
    GlobalOptions m_globals;
    ParsedArgs m_args;
    Output &m_out;
    Clock m_clock;
};

Error usageError(const QString &message);

} // namespace hp::cli
