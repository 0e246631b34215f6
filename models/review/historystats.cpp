#include "review/historystats.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace hp {

bool HistoryFilter::matches(const HistoryRow &row) const
{
    if (from.isValid() && row.decidedAt < from)
        return false;
    if (to.isValid() && row.decidedAt > to)
        return false;
    if (!agent.isEmpty() && row.agentPrincipal != agent)
        return false;
    if (!environment.isEmpty() && row.environment != environment)
        return false;
    if (outcome && row.outcome != *outcome)
        return false;
    if (riskClass && row.riskClass != riskClass)
        return false;
    return reviewer.isEmpty() || row.deciders.contains(reviewer);
}

bool HistoryFilter::isEmpty() const
{
    return !from.isValid() && !to.isValid() && agent.isEmpty() && environment.isEmpty() &&
           !outcome && reviewer.isEmpty() && !riskClass;
}

int riskBucket(const std::optional<Impact> &riskClass)
{
    return riskClass ? static_cast<int>(*riskClass) : kRiskBucketCount - 1;
}

QString riskBucketName(int bucket)
{
    if (bucket >= 0 && bucket < kRiskBucketCount - 1)
        return toString(static_cast<Impact>(bucket));
    return QStringLiteral("unassessed");
}

bool isHumanDecision(const HistoryRow &row)
{
    return row.outcome != HistoryOutcome::Withdrawn && !row.deciders.isEmpty();
}

bool isApprovalOutcome(const HistoryRow &row)
{
    switch (row.outcome) {
    case HistoryOutcome::Approved:
    case HistoryOutcome::Applied:
    case HistoryOutcome::Failed:
        return true;
    case HistoryOutcome::Expired:
        return !row.deciders.isEmpty();
    case HistoryOutcome::Rejected:
    case HistoryOutcome::Withdrawn:
        break;
    }
    return false;
}

QDate weekStart(const QDate &day)
{
    return day.addDays(1 - day.dayOfWeek());
}

namespace {

QDate dayOf(const HistoryRow &row)
{
    return row.decidedAt.toUTC().date();
}

// Buckets matching rows by a date key, then lays them out as a continuous
// series stepping `step` days from the first key to the last.
template<class Bucket, class Key, class Add>
std::vector<Bucket> series(std::span<const HistoryRow> rows, const HistoryFilter &f, int step,
                           Key key, Add add)
{
    std::map<QDate, Bucket> byDate;
    for (const HistoryRow &row : rows) {
        if (!f.matches(row))
            continue;
        const QDate d = key(row);
        auto it = byDate.find(d);
        if (it == byDate.end()) {
            Bucket b;
            b.*Bucket::dateMember() = d;
            it = byDate.emplace(d, b).first;
        }
        add(it->second, row);
    }
    std::vector<Bucket> out;
    if (byDate.empty())
        return out;
    const QDate last = byDate.rbegin()->first;
    for (QDate d = byDate.begin()->first; d <= last; d = d.addDays(step)) {
        const auto it = byDate.find(d);
        Bucket b = it != byDate.end() ? it->second : Bucket();
        b.*Bucket::dateMember() = d;
        out.push_back(b);
    }
    return out;
}

} // namespace

int DayOutcomes::total() const
{
    int n = 0;
    for (int c : count)
        n += c;
    return n;
}

namespace {
// Adapters giving series() the date member of each bucket type.
struct DayBucket : DayOutcomes
{
    static QDate DayBucket::*dateMember() { return &DayBucket::day; }
};
struct WeekMixBucket : WeekRiskMix
{
    static QDate WeekMixBucket::*dateMember() { return &WeekMixBucket::week; }
};
struct WeekSlaBucket : WeekSla
{
    static QDate WeekSlaBucket::*dateMember() { return &WeekSlaBucket::week; }
};
struct WeekTimes
{
    QDate week;
    std::vector<qint64> seconds;
    static QDate WeekTimes::*dateMember() { return &WeekTimes::week; }
};

auto weekOf = [](const HistoryRow &row) { return weekStart(dayOf(row)); };

} // namespace

std::vector<DayOutcomes> decisionsPerDay(std::span<const HistoryRow> rows, const HistoryFilter &f)
{
    const auto buckets = series<DayBucket>(rows, f, 1, dayOf, [](DayBucket &b, const HistoryRow &r) {
        ++b.count[static_cast<size_t>(r.outcome)];
    });
    return {buckets.begin(), buckets.end()};
}

double medianOf(std::vector<qint64> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    if (n % 2 == 1)
        return static_cast<double>(values[n / 2]);
    return (static_cast<double>(values[n / 2 - 1]) + static_cast<double>(values[n / 2])) / 2.0;
}

double nearestRank(std::vector<qint64> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double rank = std::ceil(p * static_cast<double>(values.size()));
    const size_t index = static_cast<size_t>(std::clamp(rank, 1.0, double(values.size()))) - 1;
    return static_cast<double>(values[index]);
}

std::vector<WeekDecisionTime> decisionTimePerWeek(std::span<const HistoryRow> rows,
                                                  const HistoryFilter &f)
{
    const auto weeks = series<WeekTimes>(rows, f, 7, weekOf, [](WeekTimes &b, const HistoryRow &r) {
        if (isHumanDecision(r))
            b.seconds.push_back(r.secondsToDecision);
    });
    std::vector<WeekDecisionTime> out;
    out.reserve(weeks.size());
    for (const WeekTimes &w : weeks) {
        WeekDecisionTime t;
        t.week = w.week;
        t.count = static_cast<int>(w.seconds.size());
        t.medianSeconds = medianOf(w.seconds);
        t.p90Seconds = nearestRank(w.seconds, 0.9);
        out.push_back(t);
    }
    return out;
}

double AgentRates::approvalRate() const
{
    const int n = approved + rejected;
    return n == 0 ? 0.0 : static_cast<double>(approved) / n;
}

double AgentRates::rejectionRate() const
{
    const int n = approved + rejected;
    return n == 0 ? 0.0 : static_cast<double>(rejected) / n;
}

std::vector<AgentRates> ratesPerAgent(std::span<const HistoryRow> rows, const HistoryFilter &f)
{
    std::map<QString, AgentRates> byAgent;
    for (const HistoryRow &row : rows) {
        if (!f.matches(row))
            continue;
        AgentRates &a = byAgent[row.agentPrincipal];
        a.agent = row.agentPrincipal;
        ++a.decided;
        if (isApprovalOutcome(row))
            ++a.approved;
        else if (row.outcome == HistoryOutcome::Rejected)
            ++a.rejected;
    }
    std::vector<AgentRates> out;
    for (auto &[agent, rates] : byAgent)
        out.push_back(rates);
    return out;
}

std::vector<WeekRiskMix> riskMixPerWeek(std::span<const HistoryRow> rows, const HistoryFilter &f)
{
    const auto buckets =
        series<WeekMixBucket>(rows, f, 7, weekOf, [](WeekMixBucket &b, const HistoryRow &r) {
            ++b.count[static_cast<size_t>(riskBucket(r.riskClass))];
        });
    return {buckets.begin(), buckets.end()};
}

std::vector<WeekSla> slaPerWeek(std::span<const HistoryRow> rows, const HistoryFilter &f)
{
    const auto buckets =
        series<WeekSlaBucket>(rows, f, 7, weekOf, [](WeekSlaBucket &b, const HistoryRow &r) {
            ++b.decided;
            b.breaches += r.slaMet ? 0 : 1;
            b.escalations += r.escalated ? 1 : 0;
        });
    return {buckets.begin(), buckets.end()};
}

std::vector<FastApproval> fastestApprovals(std::span<const HistoryRow> rows, const HistoryFilter &f,
                                           int limit)
{
    std::vector<FastApproval> out;
    for (const HistoryRow &row : rows) {
        if (!f.matches(row) || !isApprovalOutcome(row) || !row.riskClass ||
            (*row.riskClass != Impact::High && *row.riskClass != Impact::Critical))
            continue;
        out.push_back(FastApproval{row.changeId, row.title, row.agentPrincipal,
                                   row.deciders.join(QStringLiteral(", ")), *row.riskClass,
                                   row.secondsToDecision, row.decidedAt});
    }
    std::stable_sort(out.begin(), out.end(), [](const FastApproval &a, const FastApproval &b) {
        return a.seconds != b.seconds ? a.seconds < b.seconds : a.decidedAt < b.decidedAt;
    });
    if (limit >= 0 && out.size() > static_cast<size_t>(limit))
        out.resize(static_cast<size_t>(limit));
    return out;
}

double AgentFailures::failureRate() const
{
    const int n = applied + failed;
    return n == 0 ? 0.0 : static_cast<double>(failed) / n;
}

std::vector<AgentFailures> failuresPerAgent(std::span<const HistoryRow> rows,
                                            const HistoryFilter &f)
{
    std::map<QString, AgentFailures> byAgent;
    for (const HistoryRow &row : rows) {
        if (!f.matches(row) ||
            (row.outcome != HistoryOutcome::Applied && row.outcome != HistoryOutcome::Failed))
            continue;
        AgentFailures &a = byAgent[row.agentPrincipal];
        a.agent = row.agentPrincipal;
        (row.outcome == HistoryOutcome::Applied ? a.applied : a.failed) += 1;
    }
    std::vector<AgentFailures> out;
    for (auto &[agent, failures] : byAgent)
        out.push_back(failures);
    return out;
}

} // namespace hp
