#pragma once

#include "domain/result.h"
#include "report/evidence.h"

#include <QString>

#include <memory>

class QTextDocument;

// Renders gathered Evidence as a per-change PDF (issue 7 item 5). The
// document is built with QTextCursor::insertText only: every string that came
// from an agent or a reviewer stays plain text, never HTML. Sensitive plan
// values never reach Evidence (the plan core's Redactor masked them first).
// Works in any thread that owns its objects (QTextDocument and QPdfWriter need
// a QGuiApplication, e.g. the offscreen platform).
namespace hp::report {

std::unique_ptr<QTextDocument> evidenceDocument(const Evidence &evidence);

// Writes the PDF to `path` atomically (QSaveFile): either the whole report or
// nothing. Returns the SHA-256 (raw 32 bytes) of the bytes written.
Result<QByteArray> writeEvidencePdf(const Evidence &evidence, const QString &path);

} // namespace hp::report
