#pragma once

#include "audit/auditindex.h"
#include "domain/result.h"
#include "storage/store.h"

#include <QIODevice>
#include <QString>
#include <QStringList>

#include <functional>

// Exports of the audit trail (DESIGN §7) and the re-verification of a JSON
// Lines export without a store.
//
// JSON Lines, one object per line:
//   {"format":"holdpoint.audit-export/1","store":ID,"full":BOOL,"filter":{...}}
//   {"seq":N,"prev_hash":HEX,"hash":HEX,"entry":{...},"canonical":"..."}   per entry
//   {"end":true,"entries":N,"last_seq":S}
// "canonical" is the exact stored entry as a JSON string, so
// SHA-256(prev_hash ‖ UTF-8 of canonical) recomputes "hash" byte for byte;
// "entry" is the same entry as an object for readers (checked to be the same
// value). "full" is true when no filter was set: then every seq from 1 must
// be present and chained. The trailer line makes a dropped tail detectable.
//
// CSV: RFC 4180 with a header row, formula-defused (itemmodels/csv.h).
namespace hp {

enum class AuditExportFormat { JsonLines, Csv };

struct AuditExportStats
{
    qint64 scanned = 0; // entries read from the store
    qint64 written = 0; // entries that matched the filter
    qint64 lastSeq = 0;
};

// Reads the trail page by page and writes the entries `filter` selects.
// `progress(done, total)` returning false cancels (ExitCode::Internal, "cancelled").
Result<AuditExportStats> exportAudit(Store &store, const AuditFilter &filter, AuditExportFormat format,
                                     QIODevice &out,
                                     const std::function<bool(qint64, qint64)> &progress = {});

QStringList auditCsvHeader();
QStringList auditCsvFields(const AuditIndexRow &row, const StringPool &pool, const QByteArray &prevHash);
// One JSON Lines entry line (with its LF).
QByteArray auditJsonLine(const AuditEntry &entry);

// What `audit verify --file` found.
struct ExportVerifyReport
{
    qint64 entries = 0;
    bool full = false;
    qint64 gaps = 0; // runs of seqs a filtered export left out (not problems)
    QByteArray headHash;
    std::vector<AuditProblem> problems; // sorted by seq
    bool clean() const { return problems.empty(); }
};

struct ExportVerifyLimits
{
    qint64 maxLineBytes = 16 * 1024 * 1024;
    qint64 maxLines = 100'000'000;
};

// Re-verifies an export: each entry's hash against its own prev_hash and
// canonical string, its object against the string, then the links between
// consecutive seqs, the order and (for a full export) completeness.
// Damaged lines (invalid JSON or UTF-8, duplicate keys, wrong fields) are
// problems located by the seq they should hold; a file that is not an
// export at all, or breaks a limit, is an error (ExitCode::Usage).
Result<ExportVerifyReport> verifyExport(QIODevice &in, const QString &name,
                                        const ExportVerifyLimits &limits = {});

} // namespace hp
