#include "demo/demoartifacts.h"
#include "demo/demoscript.h"

#include <array>

// Weeks of decided history: one to three changes a weekday, fewer at weekends,
// from seven weeks ago until five days ago, across every agent and reviewer,
// with varied outcomes and times to decision, and the stories the History
// workspace should tell a lead: code-agent rejected most (less each week),
// k8s-agent's applied changes failing most, a reviewer rubber-stamping
// tf-agent's plans in seconds over the last three weeks, SLA breaches and
// escalations. A fixed seed keeps it the same on every run.
namespace hp::demo {

namespace {

constexpr qint64 kMin = 60;
constexpr qint64 kHour = 3600;
constexpr int kFirstDay = 49; // days before now
constexpr int kLastDay = 5;

using Rng = std::mt19937;

int pick(Rng &rng, int n)
{
    return static_cast<int>(rng() % static_cast<unsigned>(n));
}

template<class T> const T &oneOf(Rng &rng, const QList<T> &list)
{
    return list.at(pick(rng, static_cast<int>(list.size())));
}

// Times to decision: mostly within hours, some the next day or later.
qint64 decisionDelay(Rng &rng)
{
    const int r = pick(rng, 100);
    if (r < 20)
        return 5 * kMin + pick(rng, 25 * kMin);
    if (r < 70)
        return 30 * kMin + pick(rng, 210 * kMin);
    if (r < 90)
        return 4 * kHour + pick(rng, 20 * kHour);
    return 24 * kHour + pick(rng, 48 * kHour);
}

const QStringList kDeployments = {QStringLiteral("checkout-api"), QStringLiteral("cart-service"),
                                  QStringLiteral("payments-gateway"),
                                  QStringLiteral("storefront-web"),
                                  QStringLiteral("search-indexer")};

Proposal base(const QString &title, const QString &agentName, const QString &env,
              const QString &target, const QString &intent, Impact impact)
{
    Proposal p;
    p.title = title;
    p.kind = ChangeKind::Infra;
    p.agentName = agentName;
    p.agentVersion =
        agentName == QLatin1String("tf-agent") ? QStringLiteral("2.2.7") : QStringLiteral("1.7.3");
    p.agentRunId = QStringLiteral("run-%1").arg(qHash(title) % 90000 + 10000);
    p.environment = env;
    p.target = target;
    p.intent = intent;
    p.declaredImpact = impact;
    return p;
}

Artifact planArtifact(const char *file)
{
    const QString f = QString::fromLatin1(file);
    return resourceArtifact(ArtifactKind::TerraformPlan, QStringLiteral("terraform/") + f, f);
}

Proposal terraformProposal(int variant, int ticket)
{
    const QString prod = QStringLiteral("aws:acct-4411-prod-billing/eu-central-1");
    switch (variant % 3) {
    case 0: {
        Proposal p =
            base(QStringLiteral("Scale cost-api to 4 replicas (COST-%1)").arg(ticket),
                 QStringLiteral("tf-agent"), QStringLiteral("production"), prod,
                 QStringLiteral(
                     "Traffic review COST-%1: scale the API down to 4 replicas outside the peak.")
                     .arg(ticket),
                 Impact::Low);
        p.artifacts.push_back(planArtifact("scale-api.plan.json"));
        return p;
    }
    case 1: {
        Proposal p = base(QStringLiteral("Rotate billing DB admin password (OPS-%1)").arg(ticket),
                          QStringLiteral("tf-agent"), QStringLiteral("production"), prod,
                          QStringLiteral("Scheduled credential rotation."), Impact::Medium);
        p.artifacts.push_back(planArtifact("rotate-password.plan.json"));
        return p;
    }
    default: {
        Proposal p =
            base(QStringLiteral("Rehearse database replacement on staging (COST-%1)").arg(ticket),
                 QStringLiteral("tf-agent"), QStringLiteral("staging"),
                 QStringLiteral("aws:acct-2290-staging/eu-central-1"),
                 QStringLiteral("Rehearsal of the engine upgrade; the database is recreated from "
                                "the nightly snapshot."),
                 Impact::Medium);
        p.artifacts.push_back(planArtifact("replace.plan.json"));
        return p;
    }
    }
}

Proposal k8sProposal(Rng &rng, int seed)
{
    K8sRollout r;
    r.deployment = oneOf(rng, kDeployments);
    r.ns = pick(rng, 4) == 0 ? QStringLiteral("staging") : QStringLiteral("prod");
    r.generation = 3 + pick(rng, 40);
    r.fromReplicas = 2 + pick(rng, 6);
    const int minor = 10 + pick(rng, 8);
    r.fromImage = QStringLiteral("registry.example.com/%1:2.%2.%3")
                      .arg(r.deployment)
                      .arg(minor)
                      .arg(pick(rng, 4));
    const bool scale = pick(rng, 2) == 0;
    r.toReplicas = scale ? std::max(1, r.fromReplicas + (pick(rng, 2) ? 2 : -1)) : r.fromReplicas;
    r.toImage =
        scale ? r.fromImage
              : QStringLiteral("registry.example.com/%1:2.%2.0").arg(r.deployment).arg(minor + 1);
    const QString title = scale ? QStringLiteral("Scale %1 from %2 to %3 replicas")
                                      .arg(r.deployment)
                                      .arg(r.fromReplicas)
                                      .arg(r.toReplicas)
                                : QStringLiteral("Roll %1 to %2")
                                      .arg(r.deployment, r.toImage.section(QLatin1Char(':'), 1));
    Proposal p = base(
        title, QStringLiteral("k8s-agent"),
        r.ns == QLatin1String("prod") ? QStringLiteral("production") : QStringLiteral("staging"),
        QStringLiteral("k8s:prod-eu-1/%1").arg(r.ns),
        scale ? QStringLiteral("Capacity follows the last two weeks of request rates.")
              : QStringLiteral("Release train: the new image passed the staging soak."),
        Impact::Low);
    p.artifacts.push_back(textArtifact(
        ArtifactKind::UnifiedDiff, r.deployment + QStringLiteral(".diff"), kubectlDiff(r, seed)));
    return p;
}

Proposal codeProposal(Rng &rng)
{
    static const std::array<std::array<const char *, 3>, 6> knobs{
        {{"REQUEST_TIMEOUT_S", "30", "45"},
         {"CACHE_TTL_S", "300", "900"},
         {"MAX_PAGE_SIZE", "500", "1000"},
         {"EXPORT_BATCH_ROWS", "5000", "20000"},
         {"DB_POOL_SIZE", "10", "16"},
         {"FEATURE_FORECASTS", "0", "1"}}};
    const auto &k = knobs[static_cast<size_t>(pick(rng, static_cast<int>(knobs.size())))];
    const QString name = QLatin1String(k[0]);
    Proposal p = base(QStringLiteral("cost-api: set %1 to %2").arg(name, QLatin1String(k[2])),
                      QStringLiteral("code-agent"), QStringLiteral("production"),
                      QStringLiteral("repo:cost-explorer@main"),
                      QStringLiteral("Tuning from the weekly performance report: %1 %2 → %3.")
                          .arg(name, QLatin1String(k[1]), QLatin1String(k[2])),
                      Impact::Low);
    p.artifacts.push_back(textArtifact(ArtifactKind::UnifiedDiff, QStringLiteral("settings.patch"),
                                       settingsPatch(QStringLiteral("cost_api/settings.py"), name,
                                                     QLatin1String(k[1]), QLatin1String(k[2]))));
    return p;
}

Proposal opsProposal(Rng &rng, int ticket)
{
    const QString host = QStringLiteral("ingest-%1.prod.internal").arg(1 + pick(rng, 6));
    if (pick(rng, 2) == 0) {
        Proposal p = base(
            QStringLiteral("Rotate and compress ingest logs on %1").arg(host),
            QStringLiteral("ops-bot"), QStringLiteral("production"), QStringLiteral("host:") + host,
            QStringLiteral("Disk at 91% on %1 (alert OPS-%2).").arg(host).arg(ticket), Impact::Low);
        p.artifacts.push_back(textArtifact(
            ArtifactKind::Command, QStringLiteral("rotate-logs.sh"),
            QStringLiteral(
                "ssh %1 sudo logrotate --force /etc/logrotate.d/ingest\nssh %1 sudo find "
                "/var/log/ingest -name '*.log.[0-9]*' -mtime +14 -delete\nssh %1 df -h /var/log\n")
                .arg(host)));
        return p;
    }
    const QString tenant = QStringLiteral("tenant-%1").arg(100 + pick(rng, 800));
    Proposal p =
        base(QStringLiteral("Flush report cache for %1").arg(tenant), QStringLiteral("ops-bot"),
             QStringLiteral("production"), QStringLiteral("redis:report-cache.prod"),
             QStringLiteral("Support ticket OPS-%1: %2 sees stale monthly totals.")
                 .arg(ticket)
                 .arg(tenant),
             Impact::Low);
    p.artifacts.push_back(
        textArtifact(ArtifactKind::Command, QStringLiteral("flush-cache.sh"),
                     QStringLiteral("redis-cli -h report-cache.prod --scan --pattern 'report:%1:*' "
                                    "| xargs -r -n 100 redis-cli -h report-cache.prod unlink\n")
                         .arg(tenant)));
    return p;
}

// A revision: the same artifacts plus the post-apply checks a reviewer asked
// for (a revision carries its whole artifact set).
Proposal revisionOf(const Proposal &first, int ticket)
{
    Proposal p;
    p.artifacts = first.artifacts;
    p.artifacts.push_back(
        textArtifact(ArtifactKind::Command, QStringLiteral("post-apply-checks.sh"),
                     QStringLiteral("# added in revision 2 after review (ticket %1)\ncurl -fsS "
                                    "https://status.internal/cost-explorer/health\n")
                         .arg(ticket)));
    return p;
}

struct Drafted
{
    QString agent;
    Proposal proposal;
};

Drafted draft(Rng &rng, const DemoCast &c, int seed)
{
    const int ticket = 1100 + seed * 7;
    const int r = pick(rng, 100);
    if (r < 30)
        return {c.tfAgent, terraformProposal(pick(rng, 3), ticket)};
    if (r < 62)
        return {c.k8sAgent, k8sProposal(rng, seed)};
    if (r < 85)
        return {c.codeAgent, codeProposal(rng)};
    return {c.opsBot, opsProposal(rng, ticket)};
}

const QStringList kRejectReasons = {
    QStringLiteral("Outside the change window; resubmit for Tuesday."),
    QStringLiteral("No rollback step in the intent."),
    QStringLiteral("Drops below the replica floor for the weekday peak."),
    QStringLiteral("The ticket asks for staging first."),
    QStringLiteral("Conflicts with the freeze for the quarter-end close."),
};

const QStringList kFailureReasons = {
    QStringLiteral("Rollout stuck: new pods failed readiness; rolled back."),
    QStringLiteral("Apply timed out waiting for the load balancer."),
    QStringLiteral("Pods crash-looped on the new image; rolled back."),
};

// The reviewer for `d`: in the last three weeks tomasz takes half of
// tf-agent's changes (the plans that replace and rotate things), and approves
// them in seconds: the rubber stamp the History is meant to expose.
QString reviewerFor(Rng &rng, const DemoCast &c, const Drafted &d, int day)
{
    const QString fast = c.reviewers.value(1);
    if (d.agent == c.tfAgent && day <= 21 && pick(rng, 2) == 0)
        return fast;
    return oneOf(rng, c.reviewersFor(d.agent));
}

qint64 approvalDelay(Rng &rng, const DemoCast &c, const QString &reviewer, const Drafted &d,
                     int day)
{
    if (reviewer == c.reviewers.value(1) && d.agent == c.tfAgent && day <= 21)
        return 6 + pick(rng, 40);
    return decisionDelay(rng);
}

// Most approved changes are applied by their agent within two hours; one in
// three of k8s-agent's fail (its rollouts are the incidents of the History),
// one in twenty-five of the others'.
void reportOutcome(ChangeScript &s, Rng &rng, const DemoCast &c, const Drafted &d)
{
    if (pick(rng, 100) >= 85)
        return;
    const int failPercent = d.agent == c.k8sAgent ? 35 : 4;
    const bool failed = pick(rng, 100) < failPercent;
    s.report(20 * kMin + pick(rng, 100 * kMin), !failed,
             failed ? oneOf(rng, kFailureReasons) : QString());
}

// Returns whether the change ends approved. code-agent is rejected far more
// often than the others, less so as the weeks pass (it learns from them).
bool decideOutcome(ChangeScript &s, Rng &rng, const DemoCast &c, const Drafted &d, int ticket,
                   int day)
{
    const QStringList reviewers = c.reviewersFor(d.agent);
    QStringList leads = c.leads;
    leads << c.runner;
    const QString reviewer = reviewerFor(rng, c, d, day);
    QStringList others = reviewers;
    others.removeAll(reviewer);
    const int extraReject = d.agent == c.codeAgent ? 20 + day * 30 / kFirstDay : 0;
    if (pick(rng, 100) < extraReject) {
        s.decide(decisionDelay(rng), reviewer, DecisionAction::Reject, oneOf(rng, kRejectReasons));
        return false;
    }
    // The rubber stamp always approves: the story must not depend on the dice.
    const bool rubberStamp = reviewer == c.reviewers.value(1) && d.agent == c.tfAgent && day <= 21;
    const int r = rubberStamp ? 0 : pick(rng, 100);
    if (r < 64) {
        if (!rubberStamp && pick(rng, 5) == 0)
            s.decide(decisionDelay(rng) / 2, oneOf(rng, reviewers), DecisionAction::Comment,
                     QStringLiteral("Checked the diff against the ticket."));
        s.decide(approvalDelay(rng, c, reviewer, d, day), reviewer, DecisionAction::Approve,
                 pick(rng, 2) ? QStringLiteral("LGTM.") : QString());
        return true;
    }
    if (r < 74) {
        s.decide(decisionDelay(rng), reviewer, DecisionAction::Reject, oneOf(rng, kRejectReasons));
        return false;
    }
    if (r < 85) {
        s.decide(decisionDelay(rng), reviewer, DecisionAction::Escalate,
                 QStringLiteral("Production data path; a lead should sign off."))
            .decide(decisionDelay(rng), oneOf(rng, leads), DecisionAction::Approve,
                    QStringLiteral("Reviewed with the owning team."));
        return true;
    }
    if (r < 90) {
        s.withdraw(decisionDelay(rng) / 2, QStringLiteral("Superseded by a newer run."));
        return false;
    }
    if (r < 96) {
        s.decide(decisionDelay(rng), reviewer, DecisionAction::Reject,
                 QStringLiteral("Add a post-apply health check."))
            .revise(kHour + pick(rng, 3 * kHour), revisionOf(d.proposal, ticket))
            .decide(decisionDelay(rng), reviewer, DecisionAction::Withdraw,
                    QStringLiteral("Fixed in revision 2."))
            .decide(10 * kMin, reviewer, DecisionAction::Approve, QStringLiteral("Thanks."));
        return true;
    }
    s.decide(decisionDelay(rng), reviewer, DecisionAction::Reject, oneOf(rng, kRejectReasons))
        .decide(decisionDelay(rng), oneOf(rng, leads), DecisionAction::Override,
                QStringLiteral("Discussed in the ops sync; the window concern does not apply."))
        .decide(decisionDelay(rng), oneOf(rng, others), DecisionAction::Approve);
    return true;
}

} // namespace

void addHistory(Scenario &s, const DemoCast &cast, const QDateTime &now, std::mt19937 &rng)
{
    for (int day = kFirstDay; day >= kLastDay; --day) {
        const QDateTime date(now.date().addDays(-day), QTime(0, 0), Qt::UTC);
        const bool weekend = date.date().dayOfWeek() >= 6;
        const int n = weekend ? pick(rng, 2) : 2 + pick(rng, 3);
        for (int i = 0; i < n; ++i) {
            const int seed = s.changes;
            const Drafted d = draft(rng, cast, seed);
            ChangeScript script(s.events, s.changes++, d.agent,
                                date.addSecs(8 * kHour + pick(rng, 10 * kHour)));
            script.submit(d.proposal);
            if (decideOutcome(script, rng, cast, d, 1100 + seed * 7, day)) {
                // High and critical changes need a second approval (DESIGN §5).
                QStringList second = cast.leads;
                second << cast.reviewersFor(d.agent);
                script.approveUntilApproved(20 * kMin, second,
                                            QStringLiteral("Second approval."));
                reportOutcome(script, rng, cast, d);
            }
        }
    }
}

} // namespace hp::demo
