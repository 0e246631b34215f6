#include "demo/demoartifacts.h"
#include "demo/demoscript.h"

#include <QFile>

// The current changes of the demo: about a dozen from the last day and a half,
// built from the real fixtures, in every state a reviewer meets (pending,
// escalated, approved, rejected, withdrawn, an outdated approval, an operator's
// uncounted approval, an unregistered agent). The runner has not acted on any
// of them, so every action can be tried.
namespace hp::demo {

namespace {

constexpr qint64 kMin = 60;
constexpr qint64 kHour = 3600;

const QString kProdAccount = QStringLiteral("aws:acct-4411-prod-billing/eu-central-1");

Proposal make(const QString &title, const QString &agentName, const QString &env,
              const QString &target, const QString &intent, Impact impact,
              std::vector<Artifact> artifacts)
{
    Proposal p;
    p.title = title;
    p.kind = ChangeKind::Infra;
    p.agentName = agentName;
    p.agentVersion =
        agentName == QLatin1String("tf-agent") ? QStringLiteral("2.3.1") : QStringLiteral("1.8.0");
    p.agentRunId = QStringLiteral("run-%1").arg(qHash(title) % 90000 + 10000);
    p.environment = env;
    p.target = target;
    p.intent = intent;
    p.declaredImpact = impact;
    p.artifacts = std::move(artifacts);
    return p;
}

Artifact plan(const char *file)
{
    const QString f = QString::fromLatin1(file);
    return resourceArtifact(ArtifactKind::TerraformPlan, QStringLiteral("terraform/") + f, f);
}

Artifact commands(const char *file)
{
    const QString f = QString::fromLatin1(file);
    return resourceArtifact(ArtifactKind::Command, QStringLiteral("commands/") + f, f);
}

// The pgbouncer file-pair, revision 2 keeping server_idle_timeout as it was.
Artifact pgbouncerRevised()
{
    Artifact a = filePairArtifact(QStringLiteral("etc/pgbouncer/pgbouncer.ini"),
                                  QStringLiteral("files/pgbouncer.ini.before"),
                                  QStringLiteral("files/pgbouncer.ini.after"));
    if (a.parts.size() == 2)
        a.parts[1].replace("server_idle_timeout = 300", "server_idle_timeout = 600");
    return a;
}

void terraformChanges(Scenario &s, const DemoCast &c, const QDateTime &now)
{
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-5 * kHour))
        .submit(
            make(QStringLiteral("Recreate cost-explorer environment (generation g2)"),
                 QStringLiteral("tf-agent"), QStringLiteral("production"), kProdAccount,
                 QStringLiteral(
                     "Task COST-1518: move the environment to generation g2 so the new database "
                     "parameter group applies.\nRationale: bumping env_generation is the "
                     "documented way to roll the parameter group. Expect a brief cache warm-up."),
                 Impact::Medium, {plan("recreate-environment.plan.json")}))
        .decide(40 * kMin, c.reviewers.at(0), DecisionAction::Comment,
                QStringLiteral("Terraform's summary says 2 to destroy: billing_db and report_cache "
                               "are replaced, not updated."))
        .decide(6 * kMin, c.reviewers.at(0), DecisionAction::Escalate,
                QStringLiteral("Replaces the billing database (data-bearing) and the report cache; "
                               "needs a lead and a restore plan."))
        // Critical: the policy asks for two approvals, one from a lead; the
        // lead's is in, the second is still needed.
        .decide(25 * kMin, c.leads.at(1), DecisionAction::Approve,
                QStringLiteral("Restore plan RB-77 checked with the DBA; snapshot taken. One more "
                               "reviewer, please."));
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-50 * kMin))
        .submit(
            make(QStringLiteral("Scale cost-api to 4 replicas after traffic review"),
                 QStringLiteral("tf-agent"), QStringLiteral("production"), kProdAccount,
                 QStringLiteral("Task COST-1530: weekday peak is 38% of capacity since the cache "
                                "landed; scale the API from 6 to 4 replicas to save cost."),
                 Impact::Low, {plan("scale-api.plan.json")}));
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-20 * kHour))
        .submit(make(QStringLiteral("Widen cost-explorer-svc role to admin-full-access"),
                     QStringLiteral("tf-agent"), QStringLiteral("production"), kProdAccount,
                     QStringLiteral("Task COST-1522: ingest-worker gets AccessDenied reading the "
                                    "new export bucket. Widen the service role so ingest resumes."),
                     Impact::Low, {plan("widen-role.plan.json")}))
        .decide(55 * kMin, c.reviewers.at(1), DecisionAction::Comment,
                QStringLiteral("The AccessDenied is s3:GetObject on one bucket only."))
        .decide(2 * kHour, c.leads.at(0), DecisionAction::Reject,
                QStringLiteral("admin-full-access for one missing s3:GetObject is not acceptable; "
                               "scope the policy to the export bucket."));
    // Approved recently enough that the approval (approval_ttl 24h) still stands.
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-16 * kHour))
        .submit(
            make(QStringLiteral("Rotate billing DB admin password (OPS-2291)"),
                 QStringLiteral("tf-agent"), QStringLiteral("production"), kProdAccount,
                 QStringLiteral("Quarterly credential rotation. Two in-place updates; the ingest "
                                "workers are restarted afterwards to pick up the new secret."),
                 Impact::Medium,
                 {plan("rotate-password.plan.json"), commands("restart-ingest-workers.sh")}))
        .decide(35 * kMin, c.reviewers.at(2), DecisionAction::Approve,
                QStringLiteral("Rotation only, values masked; restart step checked."));
}

void terraformChanges2(Scenario &s, const DemoCast &c, const QDateTime &now)
{
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-30 * kHour))
        .submit(make(QStringLiteral("Destroy cost-explorer staging environment"),
                     QStringLiteral("tf-agent"), QStringLiteral("staging"),
                     QStringLiteral("aws:acct-2290-staging/eu-central-1"),
                     QStringLiteral("Task COST-1499: staging is rebuilt from scratch every "
                                    "quarter; tear it down first."),
                     Impact::Medium, {plan("destroy-environment.plan.json")}))
        .decide(
            25 * kMin, c.leads.at(1), DecisionAction::Comment,
            QStringLiteral(
                "This plan's state is prod-billing (cn-north-1 VPC 10.40.0.0/16), not staging."))
        .withdraw(12 * kMin,
                  QStringLiteral("Wrong workspace selected; re-planning against staging."));
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-9 * kHour))
        .submit(make(
            QStringLiteral("Replace report database and drop legacy_cache"),
            QStringLiteral("tf-agent"), QStringLiteral("production"), kProdAccount,
            QStringLiteral(
                "Task COST-1511: upgrade the report database and remove the unused legacy cache."),
            Impact::High, {plan("replace-and-delete.plan.json")}))
        .decide(70 * kMin, c.reviewers.at(4), DecisionAction::Reject,
                QStringLiteral("legacy_cache is still read by reports-v1; delete it after the v1 "
                               "sunset (COST-1480)."));
    ChangeScript(s.events, s.changes++, c.tfAgent, now.addSecs(-12 * kHour))
        .submit(make(QStringLiteral("Upgrade staging database engine to 15.6"),
                     QStringLiteral("tf-agent"), QStringLiteral("staging"),
                     QStringLiteral("aws:acct-2290-staging/eu-central-1"),
                     QStringLiteral("Task COST-1507: rehearse the 15.6 upgrade on staging; "
                                    "triggers_replace recreates the database."),
                     Impact::Medium, {plan("replace.plan.json")}))
        .decide(
            30 * kMin, c.reviewers.at(1), DecisionAction::Escalate,
            QStringLiteral("The database is replaced; a lead should confirm the snapshot first."))
        .decide(kHour, c.leads.at(0), DecisionAction::Approve,
                QStringLiteral("Snapshot snap-0a41 verified; staging only."));
}

void otherChanges(Scenario &s, const DemoCast &c, const QDateTime &now)
{
    ChangeScript(s.events, s.changes++, c.k8sAgent, now.addSecs(-3 * kHour))
        .submit(make(QStringLiteral("Roll checkout-api to 2.15.0-rc1 and scale to 2 replicas"),
                     QStringLiteral("k8s-agent"), QStringLiteral("production"),
                     QStringLiteral("k8s:prod-eu-1/prod"),
                     QStringLiteral("Canary the 2.15 release candidate with two replicas; also "
                                    "removes the unused checkout-flags ConfigMap."),
                     Impact::Low,
                     {resourceArtifact(ArtifactKind::UnifiedDiff,
                                       QStringLiteral("kubectl/checkout-api.diff"),
                                       QStringLiteral("checkout-api.diff"))}))
        .decide(20 * kMin, c.k8sOperator, DecisionAction::Approve,
                QStringLiteral("Looks fine from on-call."))
        .decide(25 * kMin, c.reviewers.at(3), DecisionAction::Comment,
                QStringLiteral("6 → 2 replicas during the weekday peak? And checkout-flags still "
                               "carries PAYMENTS_V2."));
    ChangeScript(s.events, s.changes++, c.codeAgent, now.addSecs(-22 * kHour))
        .submit(make(QStringLiteral("ingest: back off exponentially with jitter on export retries"),
                     QStringLiteral("code-agent"), QStringLiteral("production"),
                     QStringLiteral("repo:cost-explorer@main"),
                     QStringLiteral("The fixed one-second retry tripped the billing API's rate "
                                    "limiter during its maintenance window. Capped exponential "
                                    "backoff with full jitter; no retries on 4xx other than 429."),
                     Impact::Low,
                     {resourceArtifact(ArtifactKind::UnifiedDiff,
                                       QStringLiteral("code/ingest-retry-backoff.patch"),
                                       QStringLiteral("ingest-retry-backoff.patch"))}))
        .decide(40 * kMin, c.codeOperator, DecisionAction::Comment,
                QStringLiteral("Ran the tests locally; all green."))
        .decide(3 * kHour, c.reviewers.at(0), DecisionAction::Approve,
                QStringLiteral("The test covers the cap; 4xx handling is right."));
}

// Rejected at revision 1, revised, the reject withdrawn: pending again, and
// an approval of revision 1 would no longer count.
void pgbouncerChange(Scenario &s, const DemoCast &c, const QDateTime &now)
{
    const Artifact pgbouncer = filePairArtifact(QStringLiteral("etc/pgbouncer/pgbouncer.ini"),
                                                QStringLiteral("files/pgbouncer.ini.before"),
                                                QStringLiteral("files/pgbouncer.ini.after"));
    ChangeScript(s.events, s.changes++, c.codeAgent, now.addSecs(-7 * kHour))
        .submit(make(QStringLiteral("Raise pgbouncer pool sizes for billing"),
                     QStringLiteral("code-agent"), QStringLiteral("production"),
                     QStringLiteral("host:pgbouncer-1.prod.internal"),
                     QStringLiteral("Month-end report runs queue on the pool: default_pool_size 20 "
                                    "→ 40, reserve 5 → 10."),
                     Impact::Medium, {pgbouncer}))
        .decide(kHour, c.reviewers.at(1), DecisionAction::Reject,
                QStringLiteral("server_idle_timeout 600 → 300 was not in the ticket; keep it."))
        .revise(2 * kHour,
                [&] {
                    Proposal p;
                    p.intent = QStringLiteral(
                        "Month-end report runs queue on the pool: default_pool_size 20 → 40, "
                        "reserve 5 → 10. Revision 2 keeps server_idle_timeout at 600.");
                    p.artifacts = {pgbouncerRevised()};
                    return p;
                }())
        .decide(40 * kMin, c.reviewers.at(1), DecisionAction::Withdraw,
                QStringLiteral("Fixed in revision 2."));
}

void opsChanges(Scenario &s, const DemoCast &c, const QDateTime &now)
{
    ChangeScript(s.events, s.changes++, c.k8sAgent, now.addSecs(-28 * kHour))
        .submit(make(QStringLiteral("Autoscale ingest-worker (HPA 3–12, PDB minAvailable 2)"),
                     QStringLiteral("k8s-agent"), QStringLiteral("production"),
                     QStringLiteral("k8s:prod-eu-1/cost-explorer"),
                     QStringLiteral("Ingest backlogs at month end; autoscale on CPU and keep two "
                                    "workers through node drains."),
                     Impact::Low,
                     {resourceArtifact(ArtifactKind::K8sManifest,
                                       QStringLiteral("k8s/ingest-worker-autoscaling.yaml"),
                                       QStringLiteral("ingest-worker-autoscaling.yaml"))}))
        .decide(50 * kMin, c.reviewers.at(3), DecisionAction::Approve,
                QStringLiteral("Bounds are sane."));
    ChangeScript(s.events, s.changes++, c.opsBot, now.addSecs(-2 * kHour))
        .submit(
            make(QStringLiteral("Purge report snapshots older than 90 days"),
                 QStringLiteral("ops-bot"), QStringLiteral("production"),
                 QStringLiteral("aws:acct-4411-prod-billing/s3:cost-explorer-reports-prod"),
                 QStringLiteral("Storage alert: the reports bucket passed 40 TB. Delete snapshots "
                                "older than 90 days and add a 90-day lifecycle rule."),
                 Impact::Medium, {commands("purge-report-snapshots.sh")}));
    ChangeScript(s.events, s.changes++, c.opsBot, now.addSecs(-80 * kMin))
        .submit(make(QStringLiteral("Vacuum and reindex billing.line_items"),
                     QStringLiteral("ops-bot"), QStringLiteral("production"),
                     QStringLiteral("db:billing-prod"),
                     QStringLiteral("Reclaim space after the October export backfill."),
                     Impact::Low, {commands("vacuum-billing-db.sh")}))
        .decide(30 * kMin, c.reviewers.at(1), DecisionAction::Comment,
                QStringLiteral("Please schedule inside the 02:00 maintenance window."));
}

} // namespace

void addCurrent(Scenario &s, const DemoCast &cast, const QDateTime &now)
{
    const int before = s.changes;
    terraformChanges(s, cast, now);
    terraformChanges2(s, cast, now);
    otherChanges(s, cast, now);
    pgbouncerChange(s, cast, now);
    opsChanges(s, cast, now);
    s.current += s.changes - before;
}

} // namespace hp::demo
