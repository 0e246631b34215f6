#pragma once

#include <QByteArrayView>
#include <QString>

#include <optional>

// The slow, exact half of StrictJson: simdjson says only *that* a document is
// wrong; these functions find *where* and *why*. They run only after simdjson
// has refused a document (or to validate UTF-8 on that path), never on the
// fast path. Everything here is iterative: a 100,000-deep input costs a
// bounded stack.
namespace hp::jsondiag {

struct Problem
{
    QString reason; // invalid_json, lone_surrogate, too_deep
    QString what;   // for people, without the position
    qint64 offset = 0;
};

// The first RFC 8259 violation in `bytes` (assumed valid UTF-8), a lone
// surrogate escape, or nesting beyond `maxDepth`; nullopt when the scanner
// finds none (the caller then reports simdjson's own message).
std::optional<Problem> findProblem(QByteArrayView bytes, int maxDepth);

// "line 3, column 14 (byte offset 52)"; columns count bytes from 1.
QString describeOffset(QByteArrayView bytes, qint64 offset);
// "3:14", for Error::path.
QString lineColumn(QByteArrayView bytes, qint64 offset);

} // namespace hp::jsondiag
