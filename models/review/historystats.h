#pragma once

#include "storage/store.h"

#include <QDate>
#include <QDateTime>
#include <QString>

#include <array>
#include <optional>
#include <span>
#include <vector>

// Statistics of the History workspace (DESIGN §9 History): pure functions over
// a span of HistoryRow and a filter, no widgets, no store. Days and weeks are
// UTC calendar days of `decidedAt`; weeks start on Monday. Day and week series
// are continuous from the first to the last one with a matching row, zero-filled
// in between, so a chart's axis has no holes.
namespace hp {

// Every criterion that is set must hold; unset criteria match anything.
struct HistoryFilter
{
    QDateTime from; // decidedAt >= from; invalid: open
    QDateTime to;   // decidedAt <= to; invalid: open
    QString agent;  // agent principal
    QString environment;
    std::optional<HistoryOutcome> outcome;
    QString reviewer; // among the deciders
    std::optional<Impact> riskClass;

    bool matches(const HistoryRow &row) const;
    bool isEmpty() const;
};

constexpr int kHistoryOutcomeCount = 6; // HistoryOutcome values, in declaration order
// Risk classes as chart categories: low, medium, high, critical, then unassessed.
constexpr int kRiskBucketCount = 5;
int riskBucket(const std::optional<Impact> &riskClass);
QString riskBucketName(int bucket);

// A reviewer's approval stands behind these outcomes (the executor may have
// applied it since, or it expired unused).
bool isApprovalOutcome(const HistoryRow &row);
// A human decided it (approved or rejected), as opposed to a withdrawal or
// an expiry nobody acted on. Only these have a time to decision.
bool isHumanDecision(const HistoryRow &row);
QDate weekStart(const QDate &day); // the Monday of its week

struct DayOutcomes
{
    QDate day;
    std::array<int, kHistoryOutcomeCount> count{}; // by HistoryOutcome
    int total() const;
};
std::vector<DayOutcomes> decisionsPerDay(std::span<const HistoryRow> rows, const HistoryFilter &f);

// Median: the mean of the two middle values for an even count. p90: nearest
// rank, the value at rank ceil(0.9 n). Weeks without a human decision have
// count 0 and both times 0.
struct WeekDecisionTime
{
    QDate week;
    int count = 0;
    double medianSeconds = 0;
    double p90Seconds = 0;
};
std::vector<WeekDecisionTime> decisionTimePerWeek(std::span<const HistoryRow> rows,
                                                  const HistoryFilter &f);
double medianOf(std::vector<qint64> values); // 0 for none
double nearestRank(std::vector<qint64> values, double p); // 0 for none

// Rates over human decisions only: approved / (approved + rejected).
struct AgentRates
{
    QString agent;
    int decided = 0; // every matching row, withdrawals and expiries included
    int approved = 0;
    int rejected = 0;
    double approvalRate() const;
    double rejectionRate() const;
};
std::vector<AgentRates> ratesPerAgent(std::span<const HistoryRow> rows, const HistoryFilter &f);

struct WeekRiskMix
{
    QDate week;
    std::array<int, kRiskBucketCount> count{}; // by riskBucket()
};
std::vector<WeekRiskMix> riskMixPerWeek(std::span<const HistoryRow> rows, const HistoryFilter &f);

struct WeekSla
{
    QDate week;
    int decided = 0;
    int breaches = 0;    // rows whose slaMet is false
    int escalations = 0; // rows that were escalated
};
std::vector<WeekSla> slaPerWeek(std::span<const HistoryRow> rows, const HistoryFilter &f);

// Rubber-stamp watch: the quickest approvals of high and critical changes,
// fastest first (ties: earlier decision first), at most `limit`.
struct FastApproval
{
    QString changeId;
    QString title;
    QString agent;
    QString reviewer; // the deciders, comma-separated
    Impact riskClass = Impact::High;
    qint64 seconds = 0;
    QDateTime decidedAt;
};
std::vector<FastApproval> fastestApprovals(std::span<const HistoryRow> rows, const HistoryFilter &f,
                                           int limit);

// Incidents caused by agents: of an agent's reported outcomes, how many failed.
struct AgentFailures
{
    QString agent;
    int applied = 0;
    int failed = 0;
    double failureRate() const; // failed / (applied + failed); 0 when none reported
};
std::vector<AgentFailures> failuresPerAgent(std::span<const HistoryRow> rows,
                                            const HistoryFilter &f);

} // namespace hp
