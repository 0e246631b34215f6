#include "demo/demoscript.h"

#include "review/coveragerequirements.h"

#include "domain/identity.h"
#include "intake/proposalparser.h"

#include <algorithm>

namespace hp::demo {

QStringList DemoCast::reviewersFor(const QString &agent) const
{
    QStringList out = reviewers;
    if (agent != tfAgent)
        out << tfOperator;
    if (agent != k8sAgent)
        out << k8sOperator;
    if (agent != codeAgent)
        out << codeOperator;
    return out;
}

DemoCast makeCast(const QString &runner)
{
    const auto name = [&runner](const char *fictional) {
        const QString n = QString::fromLatin1(fictional);
        return n == runner ? n + QLatin1Char('2') : n;
    };
    DemoCast c;
    c.runner = runner;
    c.admin = name("hp-admin");
    c.auditor = name("ines");
    c.leads = {name("helena"), name("rkumar")};
    c.reviewers = {name("priya"), name("tomasz"), name("amira"), name("lwei"), name("dkim")};
    c.tfOperator = name("maria");
    c.k8sOperator = name("dev-oncall");
    c.codeOperator = name("jonas");
    c.tfAgent = name("tf-agent");
    c.k8sAgent = name("k8s-agent");
    c.codeAgent = name("code-agent");
    c.opsBot = name("ops-bot");
    return c;
}

ChangeScript &ChangeScript::submit(Proposal p)
{
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Submit;
    e.change = m_change;
    e.who = m_agent;
    e.proposal = std::move(p);
    m_events.push_back(std::move(e));
    return *this;
}

ChangeScript &ChangeScript::revise(qint64 afterSecs, Proposal p)
{
    m_t = m_t.addSecs(afterSecs);
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Revise;
    e.change = m_change;
    e.who = m_agent;
    e.proposal = std::move(p);
    m_events.push_back(std::move(e));
    return *this;
}

ChangeScript &ChangeScript::decide(qint64 afterSecs, const QString &who, DecisionAction a,
                                   const QString &reason)
{
    m_t = m_t.addSecs(afterSecs);
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Decide;
    e.change = m_change;
    e.who = who;
    e.action = a;
    e.reason = reason;
    m_events.push_back(std::move(e));
    return *this;
}

ChangeScript &ChangeScript::withdraw(qint64 afterSecs, const QString &reason)
{
    m_t = m_t.addSecs(afterSecs);
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Withdraw;
    e.change = m_change;
    e.who = m_agent;
    e.reason = reason;
    m_events.push_back(std::move(e));
    return *this;
}

ChangeScript &ChangeScript::report(qint64 afterSecs, bool applied, const QString &reason)
{
    m_t = m_t.addSecs(afterSecs);
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Report;
    e.change = m_change;
    e.who = m_agent;
    e.applied = applied;
    e.reason = reason;
    m_events.push_back(std::move(e));
    return *this;
}

ChangeScript &ChangeScript::approveUntilApproved(qint64 afterSecs, const QStringList &candidates,
                                                const QString &reason)
{
    m_t = m_t.addSecs(afterSecs);
    DemoEvent e;
    e.at = m_t;
    e.kind = DemoEvent::Kind::Decide;
    e.change = m_change;
    e.who = candidates.value(0);
    e.action = DecisionAction::Approve;
    e.reason = reason;
    e.candidates = candidates;
    m_events.push_back(std::move(e));
    return *this;
}

namespace {

Error stepFailed(const DemoEvent &e, const Error &why)
{
    Error out = why;
    out.message = QStringLiteral("building the demo failed at %1 (%2): %3")
                      .arg(e.at.toString(Qt::ISODate), e.who, why.message);
    return out;
}

// A demo reviewer approves from the console after seeing everything the full
// review asks for (DESIGN §5), so approvals of critical changes count.
Status coverEverything(Store &store, const QString &id, const Actor &actor)
{
    Result<ChangeDetail> c = store.change(id);
    if (!c.ok())
        return c.error();
    const int revision = c->summary.latestRevision;
    std::vector<Artifact> artifacts;
    for (const ArtifactInfo &info : c->revisions.back().artifacts) {
        Result<Artifact> a = store.artifact(id, revision, info.index);
        if (!a.ok())
            return a.error();
        artifacts.push_back(std::move(*a));
    }
    Result<std::optional<StoredAssessment>> assessed = store.assessment(id, revision);
    if (!assessed.ok())
        return assessed.error();
    const QStringList items = requiredCoverage(artifacts, *assessed ? &(*assessed)->assessment : nullptr);
    if (items.isEmpty())
        return {};
    Result<int> recorded = store.recordCoverage(actor, id, revision, items);
    return recorded.ok() ? Status() : Status(recorded.error());
}

// Each candidate approves (after a full review) while the change is still
// pending; a candidate the rules refuse (already approved) is passed over.
Status approveWhileNeeded(Store &store, const DemoEvent &e, const QString &id, const Actor &as)
{
    for (const QString &who : e.candidates) {
        Result<ChangeDetail> c = store.change(id);
        if (!c.ok())
            return c.error();
        if (c->summary.verdict.status != ChangeStatus::Pending)
            return {};
        const Actor actor{who, as.host, as.appVersion};
        if (Status s = coverEverything(store, id, actor); !s.ok())
            return s;
        DecideRequest d;
        d.changeId = id;
        d.action = DecisionAction::Approve;
        d.reason = e.reason;
        Result<DecideResult> r = store.decide(actor, d);
        if (!r.ok() && r.error().code != ExitCode::Denied)
            return r.error();
    }
    return {};
}

Status playOne(Store &store, DemoEvent &e, std::vector<QString> &ids, const Actor &actor)
{
    static const ProposalParser parser;
    switch (e.kind) {
    case DemoEvent::Kind::Submit:
    case DemoEvent::Kind::Revise: {
        if (Status v = parser.validate(e.proposal); !v.ok())
            return v;
        const QString revise =
            e.kind == DemoEvent::Kind::Revise ? ids[static_cast<size_t>(e.change)] : QString();
        Result<SubmitResult> r = store.submit(actor, SubmitRequest{e.proposal, revise});
        if (!r.ok())
            return r.error();
        ids[static_cast<size_t>(e.change)] = r->changeId;
        return {};
    }
    case DemoEvent::Kind::Decide: {
        if (!e.candidates.isEmpty())
            return approveWhileNeeded(store, e, ids[static_cast<size_t>(e.change)], actor);
        DecideRequest d;
        d.changeId = ids[static_cast<size_t>(e.change)];
        d.action = e.action;
        d.reason = e.reason;
        if (e.action == DecisionAction::Approve) {
            if (Status s = coverEverything(store, d.changeId, actor); !s.ok())
                return s;
        }
        Result<DecideResult> r = store.decide(actor, d);
        // The system escalated first on an SLA breach: the story goes on.
        if (!r.ok() && r.error().reason == QLatin1String("already_escalated"))
            return {};
        return r.ok() ? Status() : Status(r.error());
    }
    case DemoEvent::Kind::Withdraw: {
        Result<Verdict> r =
            store.withdrawChange(actor, ids[static_cast<size_t>(e.change)], e.reason);
        return r.ok() ? Status() : Status(r.error());
    }
    case DemoEvent::Kind::Report: {
        Result<Verdict> r = store.reportOutcome(actor, ids[static_cast<size_t>(e.change)],
                                                e.applied, e.reason);
        return r.ok() ? Status() : Status(r.error());
    }
    }
    return {};
}

} // namespace

Status play(Store &store, Scenario &scenario, const std::shared_ptr<QDateTime> &clock,
            const QString &host)
{
    std::stable_sort(scenario.events.begin(), scenario.events.end(),
                     [](const DemoEvent &a, const DemoEvent &b) { return a.at < b.at; });
    std::vector<QString> ids(static_cast<size_t>(scenario.changes));
    for (DemoEvent &e : scenario.events) {
        *clock = e.at;
        const Actor actor{e.who, host, appVersion()};
        if (Status s = playOne(store, e, ids, actor); !s.ok())
            return stepFailed(e, s.error());
    }
    return {};
}

} // namespace hp::demo
