#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <cstdio>

// Where holdpointctl writes: results on stdout, errors and notes on stderr.
// With --json a result is exactly one JSON object on stdout and an error is
// {"error":{"code","message","path"}} on stderr (DESIGN §8).
namespace hp::cli {

class Output
{
public:
    explicit Output(std::FILE *out = stdout, std::FILE *err = stderr)
        : m_out(out)
        , m_err(err)
    {}

    void text(const QString &s);          // stdout, as UTF-8
    void bytes(const QByteArray &b);      // stdout, raw
    void note(const QString &s);          // stderr, a line for people
    void json(const QJsonObject &object); // stdout, one compact line
    // Prints the error (plain or as JSON) and returns its exit code.
    int error(const Error &e, bool asJson);

private:
    std::FILE *m_out;
    std::FILE *m_err;
};

QString hex(const QByteArray &raw);  // lower-case
QString isoTime(const QDateTime &t); // YYYY-MM-DDTHH:MM:SS.mmmZ, empty if invalid

// Untrusted text (anything an agent sent) made safe for a terminal: every
// character of the DESIGN §9 table (hp::diff::DangerousText) becomes a visible
// escape such as <U+202E>, so it can neither move the cursor nor reorder what
// a reviewer reads. oneLine() also escapes TAB, LF and CR; block() keeps TAB,
// LF and CRLF for multi-line text such as an intent.
QString oneLine(const QString &untrusted);
QString block(const QString &untrusted);

} // namespace hp::cli
