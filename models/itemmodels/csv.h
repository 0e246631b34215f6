#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

// CSV as RFC 4180 writes it: fields separated by commas, records by CRLF; a
// field holding a comma, a quote, CR or LF is quoted with quotes doubled.
// Exports of untrusted text also defuse spreadsheet formulas: a field that
// starts with = + - or @ gets a leading apostrophe (OWASP "CSV injection").
namespace hp::csv {

QString field(const QString &value);       // quoted as needed, formula-safe
QString record(const QStringList &fields); // fields joined, ending in CRLF
// Reads RFC 4180 text back into records (quotes undone, no apostrophe
// removed); a trailing CRLF does not make an empty record.
std::vector<QStringList> parse(QStringView text);

} // namespace hp::csv
