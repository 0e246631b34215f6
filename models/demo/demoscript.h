#pragma once

#include "storage/store.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>
#include <random>
#include <vector>

// The demo as a script: a cast of fictional people and agents, and a list of
// timed events (submissions, revisions, decisions, withdrawals) that a Director
// plays against the Store in time order, moving an injected clock so every
// entry lands at its moment. Each event is written through the public Store
// API as the principal who would really take it.
namespace hp::demo {

struct DemoCast
{
    QString runner; // the person running the demo: a lead, never an agent or operator
    QString admin;
    QString auditor;
    QStringList leads;     // fictional leads (the runner is not among them)
    QStringList reviewers; // reviewers who operate no agent
    QString tfOperator;    // the operators are reviewers too: their approvals
    QString k8sOperator;   // of their own agent's changes are recorded and
    QString codeOperator;  // never counted
    QString tfAgent;
    QString k8sAgent;
    QString codeAgent;
    QString opsBot; // never registered: UNREGISTERED_AGENT

    // Reviewers whose approval of `agent`'s change counts (not its operator).
    QStringList reviewersFor(const QString &agent) const;
};

// Fictional names that equal the runner's login get a "2" appended, so the
// runner is only ever themselves.
DemoCast makeCast(const QString &runner);

struct DemoEvent
{
    enum class Kind
    {
        Submit,
        Revise,
        Decide,
        Withdraw,
        Report
    };
    QDateTime at;
    Kind kind = Kind::Submit;
    int change = 0; // the script's change number; ids are learnt on submit
    QString who;
    Proposal proposal;                               // Submit, Revise
    DecisionAction action = DecisionAction::Comment; // Decide
    QString reason;                                  // Decide, Withdraw, Report
    bool applied = true;                             // Report: applied, else failed
    // Decide (approve) only: further approvers tried in order while the
    // policy still needs approvals (a high or critical change needs two).
    QStringList candidates;
};

// Builds the events of one change; shared by history and current scenarios.
class ChangeScript
{
public:
    ChangeScript(std::vector<DemoEvent> &events, int change, QString agent, QDateTime start)
        : m_events(events)
        , m_change(change)
        , m_agent(std::move(agent))
        , m_t(std::move(start))
    {}

    ChangeScript &submit(Proposal p);
    ChangeScript &revise(qint64 afterSecs, Proposal p);
    ChangeScript &decide(qint64 afterSecs, const QString &who, DecisionAction a,
                         const QString &reason = {});
    ChangeScript &withdraw(qint64 afterSecs, const QString &reason);
    // Approvals from `candidates`, in order, until the policy is satisfied.
    ChangeScript &approveUntilApproved(qint64 afterSecs, const QStringList &candidates,
                                       const QString &reason);
    // The agent, as its own executor, reports how applying it went.
    ChangeScript &report(qint64 afterSecs, bool applied, const QString &reason = {});
    QDateTime time() const { return m_t; }

private:
    std::vector<DemoEvent> &m_events;
    int m_change;
    QString m_agent;
    QDateTime m_t;
};

struct Scenario
{
    std::vector<DemoEvent> events;
    int changes = 0;
    int current = 0;
};

// Weeks of decided history (at least 60 changes over more than six weeks,
// ending two days before `now`), then the current changes of the last day.
void addHistory(Scenario &s, const DemoCast &cast, const QDateTime &now, std::mt19937 &rng);
void addCurrent(Scenario &s, const DemoCast &cast, const QDateTime &now);

// Plays the events in time order. `clock` is the store's injected clock.
Status play(Store &store, Scenario &scenario, const std::shared_ptr<QDateTime> &clock,
            const QString &host);

} // namespace hp::demo
