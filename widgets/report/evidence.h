#pragma once

#include "cli/planview.h"
#include "domain/result.h"
#include "storage/store.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

// What a per-change evidence report shows (DESIGN §7 Export, issue 7 item 5),
// gathered from the store: the change and its decisions as the store reads
// them, the latest assessment, every plan summary (through the plan core's
// Redactor: sensitive values never reach this struct), diff statistics, and
// every audit entry about the change with its chain position and hash.
// Gathering reads the store only; it writes nothing.
namespace hp::report {

// Added and removed lines of one file of a patch or file pair.
struct DiffStat
{
    int revision = 0;
    QString artifact; // the artifact's name
    QString file;     // the file inside it ("" for a file pair)
    int additions = 0;
    int deletions = 0;
    QString error; // set when the artifact could not be read as a diff
};

// One audit entry about the change, as recorded.
struct TrailEntry
{
    qint64 seq = 0;
    QByteArray hash; // raw 32 bytes
    QString time;    // as recorded
    QString principal;
    QString action;
    int revision = 0;
    QString outcome;
    QString reasonCode;
    QString reason;
    QString statusBefore;
    QString statusAfter;
};

struct Evidence
{
    ChangeDetail detail;
    std::optional<StoredAssessment> assessment; // of the latest revision
    std::vector<cli::PlanReport> plans;         // latest revision
    std::vector<DiffStat> diffs;                // latest revision
    std::vector<TrailEntry> trail;              // ascending seq
    qint64 chainEntries = 0;                    // the whole trail when gathered
    QByteArray headHash;                        // raw; its last entry's hash
    QDateTime gatheredAt;
};

// Reads everything about `changeId`; an unknown change is ExitCode::NotFound.
Result<Evidence> gatherEvidence(Store &store, const QString &changeId);

} // namespace hp::report
