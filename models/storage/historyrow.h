#pragma once

#include "domain/types.h"
#include "storage/store.h"

#include <optional>

// The History row of a decided change (DESIGN §9), shared by both backends:
// each reads changes, revisions, decisions, events and the latest assessment
// with set queries and hands every change here. The verdict in the summary is
// the backend's
// (SQLite recomputes it from the policy; PostgreSQL's functions keep it in
// the change row under its lock); decision `counts` must be as judged.
namespace hp {

// The latest assessment of a change as History shows it.
struct HistoryAssessment
{
    int revision = 0;
    int score = -1;
    std::optional<Impact> riskClass;
};

// A store time "YYYY-MM-DDTHH:MM:SS.mmmZ" without QDateTime's general parser
// (a million rows hold several million times); anything else goes through it.
QDateTime parseStoreTime(const QString &text);

// The row of `d` decided as d.summary.verdict says; none while pending or
// when the change has no revisions.
std::optional<HistoryRow> historyRowOf(const ChangeDetail &d, const HistoryAssessment &a);

// Whether `at` lies in [from, to] (either end open when invalid).
bool inHistoryRange(const HistoryQuery &query, const QDateTime &at);

} // namespace hp
