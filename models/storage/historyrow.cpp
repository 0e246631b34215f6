#include "storage/historyrow.h"

#include "review/reviewrules.h"

#include <algorithm>

namespace hp {

namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant's algorithm).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2 ? 1 : 0;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<qint64>(era) * 146097 + doe - 719468;
}

int digits(QStringView s, qsizetype at, qsizetype n)
{
    int v = 0;
    for (qsizetype i = at; i < at + n; ++i) {
        const char16_t c = s[i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        v = v * 10 + (c - u'0');
    }
    return v;
}

QDateTime fastTime(const QString &text)
{
    const QStringView s(text);
    if (s.size() == 24 && s[4] == u'-' && s[7] == u'-' && s[10] == u'T' && s[13] == u':' &&
        s[16] == u':' && s[19] == u'.' && s[23] == u'Z') {
        const int f[] = {digits(s, 0, 4),  digits(s, 5, 2),  digits(s, 8, 2), digits(s, 11, 2),
                         digits(s, 14, 2), digits(s, 17, 2), digits(s, 20, 3)};
        if (std::all_of(std::begin(f), std::end(f), [](int v) { return v >= 0; })) {
            const qint64 secs = daysFromCivil(f[0], f[1], f[2]) * 86400 + f[3] * 3600 +
                                f[4] * 60 + f[5];
            return QDateTime::fromMSecsSinceEpoch(secs * 1000 + f[6], Qt::UTC);
        }
    }
    return QDateTime::fromString(text, Qt::ISODateWithMs).toUTC();
}

const ChangeEvent *terminalEvent(const ChangeDetail &d)
{
    for (const ChangeEvent &e : d.events) {
        if (e.kind != ChangeEventKind::Reopened && e.kind != ChangeEventKind::Consumed &&
            e.kind != ChangeEventKind::Escalated)
            return &e;
    }
    return nullptr;
}

// The counted approvals that approved it: the first counted approval decides,
// or once escalated the first counted approval by a lead; every counted
// approver up to it is a decider. Judged counts come from computeVerdict.
bool approvalOf(const ChangeDetail &d, HistoryRow &row)
{
    const bool leadNeeded = d.summary.verdict.escalated;
    for (const DecisionRecord &r : d.decisions) {
        if (r.action != DecisionAction::Approve || !r.counts)
            continue;
        if (!row.deciders.contains(r.principal))
            row.deciders << r.principal;
        if (!leadNeeded || r.roles.holds(Role::Lead)) {
            row.decidedAt = r.at;
            return true;
        }
    }
    return false;
}

// The rejects still standing (as reviewrules counts them) and the earliest of
// them: since then the change has been rejected.
void rejectionOf(const ChangeDetail &d, HistoryRow &row)
{
    std::vector<std::pair<QString, QDateTime>> standing;
    for (const DecisionRecord &r : d.decisions) {
        if (!r.counts)
            continue;
        if (r.action == DecisionAction::Reject)
            standing.emplace_back(r.principal, r.at);
        else if (r.action == DecisionAction::Withdraw)
            std::erase_if(standing, [&](const auto &s) { return s.first == r.principal; });
        else if (r.action == DecisionAction::Override)
            standing.clear();
    }
    for (const auto &[who, at] : standing) {
        if (!row.deciders.contains(who))
            row.deciders << who;
        if (!row.decidedAt.isValid() || at < row.decidedAt)
            row.decidedAt = at;
    }
}

std::optional<HistoryOutcome> outcomeOf(ChangeStatus s)
{
    switch (s) {
    case ChangeStatus::Pending:
        return std::nullopt;
    case ChangeStatus::Approved:
        return HistoryOutcome::Approved;
    case ChangeStatus::Rejected:
        return HistoryOutcome::Rejected;
    case ChangeStatus::Expired:
        return HistoryOutcome::Expired;
    case ChangeStatus::Withdrawn:
        return HistoryOutcome::Withdrawn;
    case ChangeStatus::Applied:
        return HistoryOutcome::Applied;
    case ChangeStatus::Failed:
        return HistoryOutcome::Failed;
    }
    return std::nullopt;
}

// The decision part of a row: outcome, deciders and their times.
void decideRow(const ChangeDetail &d, HistoryRow &row)
{
    const ChangeEvent *terminal = terminalEvent(d);
    switch (row.outcome) {
    case HistoryOutcome::Approved:
    case HistoryOutcome::Applied:
    case HistoryOutcome::Failed:
    case HistoryOutcome::Expired:
        if (!approvalOf(d, row) && terminal)
            row.decidedAt = terminal->at; // expired while pending
        break;
    case HistoryOutcome::Rejected:
        rejectionOf(d, row);
        break;
    case HistoryOutcome::Withdrawn:
        if (terminal)
            row.decidedAt = terminal->at;
        break;
    }
    if (!row.decidedAt.isValid())
        row.decidedAt = d.summary.updatedAt;
    row.outcomeAt = terminal && row.outcome != HistoryOutcome::Rejected &&
                            row.outcome != HistoryOutcome::Approved
                        ? terminal->at
                        : row.decidedAt;
}

} // namespace

QDateTime parseStoreTime(const QString &text)
{
    return fastTime(text);
}

std::optional<HistoryRow> historyRowOf(const ChangeDetail &d, const HistoryAssessment &a)
{
    const Verdict &v = d.summary.verdict;
    const std::optional<HistoryOutcome> outcome = outcomeOf(v.status);
    if (!outcome || d.revisions.empty())
        return std::nullopt;
    const ChangeSummary &s = d.summary;
    HistoryRow row;
    row.changeId = s.id;
    row.title = s.title;
    row.agentPrincipal = s.agentPrincipal;
    row.agentName = s.agentName;
    row.operatorLogin = s.operatorLogin;
    row.environment = s.environment;
    if (a.revision == d.revisions.back().number) {
        row.riskClass = a.riskClass;
        row.riskScore = a.score;
    }
    row.outcome = *outcome;
    row.createdAt = s.createdAt;
    decideRow(d, row);
    row.secondsToDecision = row.createdAt.secsTo(row.decidedAt);
    row.slaDeadline =
        d.revisions.back().createdAt.addSecs(v.slaSeconds > 0 ? v.slaSeconds
                                                               : reviewSlaSeconds(row.riskClass, row.environment));
    row.slaMet = row.decidedAt <= row.slaDeadline;
    row.escalated = v.escalated;
    row.revisions = d.revisions.back().number;
    return row;
}

bool inHistoryRange(const HistoryQuery &query, const QDateTime &at)
{
    return (!query.from.isValid() || at >= query.from) && (!query.to.isValid() || at <= query.to);
}

} // namespace hp
