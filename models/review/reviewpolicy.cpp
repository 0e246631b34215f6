#include "review/reviewservice.h"

#include "domain/log.h"

// ReviewService and the review policy (DESIGN §5): the policy in force, the
// facts it reads about a change, and the timer events the console writes.
namespace hp {

void ReviewService::refreshPolicy()
{
    // A policy that cannot be read keeps the last one read (or, before any,
    // the rule-less policy whose fallback is the strictest): never a laxer one.
    Result<StoredPolicy> stored = m_store.policyInForce();
    if (!stored) {
        log::ui()->warn("reading the policy in force failed: {}", stored.error().message.toStdString());
        return;
    }
    m_policy = std::move(*stored);
}

Result<ReviewFacts> ReviewService::reviewFacts(const QString &changeId)
{
    Result<ReviewFacts> facts = m_store.reviewFacts(changeId);
    if (facts)
        m_facts.insert(changeId, *facts);
    return facts;
}

const PolicyRule *ReviewService::ruleFor(const ReviewFacts &facts) const
{
    // Never assessed: judged as high, as the evaluator does.
    return m_policy.policy.ruleFor(facts.riskClass.value_or(Impact::High), facts.environment, facts.flags);
}

void ReviewService::startTicking(int intervalMs)
{
    m_tickTimer.start(intervalMs);
    // At start too: events that fell due while no console ran are written now.
    QMetaObject::invokeMethod(this, [this] { (void)tick(); }, Qt::QueuedConnection);
}

Result<TickResult> ReviewService::tick()
{
    // One short transaction when something is due, nothing otherwise: cheap
    // enough for the GUI thread, which owns the store connection.
    Result<TickResult> result = m_store.tick(m_actor);
    if (!result) {
        log::ui()->warn("writing the due timer events failed: {}", result.error().message.toStdString());
        Q_EMIT storeFailed(result.error());
        return result;
    }
    if (result->changes.isEmpty())
        return result;
    log::ui()->info("timer events: {} escalated, {} expired, {} approvals lapsed", result->escalated,
                    result->expired, result->approvalsLapsed);
    Q_EMIT ticked(*result);
    // Our own writes do not move the data version the poll watches.
    if (Status s = refresh(); !s)
        log::ui()->warn("refreshing after timer events failed: {}", s.error().message.toStdString());
    return result;
}

} // namespace hp
