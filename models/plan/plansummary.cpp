#include "plan/plansummary.h"

#include <QHash>

#include <algorithm>

namespace hp {

namespace {

int rank(PlanAction action)
{
    switch (action) {
    case PlanAction::Delete: return 0;
    case PlanAction::Replace: return 1;
    case PlanAction::Update: return 2;
    case PlanAction::Create: return 3;
    case PlanAction::Forget: return 4;
    case PlanAction::Read: return 5;
    case PlanAction::NoOp: return 6;
    }
    return 6;
}

void count(const PlanResourceChange &rc, PlanCounts &c)
{
    if (rc.isMoved())
        ++c.moved;
    if (rc.importing)
        ++c.imported;
    if (rc.action == PlanAction::Read) {
        ++c.read;
        return;
    }
    if (!rc.isChanged()) {
        ++c.noOp;
        return;
    }
    switch (rc.action) {
    case PlanAction::Create: ++c.create; break;
    case PlanAction::Update: ++c.update; break;
    case PlanAction::Delete: ++c.destroy; break;
    case PlanAction::Forget: ++c.forget; break;
    case PlanAction::Replace:
        ++c.replace;
        if (rc.replaceOrder == ReplaceOrder::DestroyThenCreate)
            ++c.replaceDestroyFirst;
        else if (rc.replaceOrder == ReplaceOrder::CreateThenDestroy)
            ++c.replaceCreateFirst;
        else
            ++c.replaceForget;
        break;
    default: break;
    }
}

QString replacedPart(const PlanCounts &c)
{
    const std::pair<int, ReplaceOrder> orders[] = {{c.replaceDestroyFirst, ReplaceOrder::DestroyThenCreate},
                                                    {c.replaceCreateFirst, ReplaceOrder::CreateThenDestroy},
                                                    {c.replaceForget, ReplaceOrder::CreateThenForget}};
    QStringList kinds;
    for (const auto &[n, order] : orders) {
        if (n == c.replace)
            return QStringLiteral("%1 replaced (%2)").arg(n).arg(toString(order));
        if (n > 0)
            kinds << QStringLiteral("%1 %2").arg(n).arg(toString(order));
    }
    return QStringLiteral("%1 replaced (%2)").arg(c.replace).arg(kinds.join(QStringLiteral("; ")));
}

QString whyOf(const PlanResourceChange &rc, const SummaryEntry &e, const QStringList &forcedByCascade)
{
    QStringList parts;
    if (rc.action == PlanAction::Replace)
        parts << toString(rc.replaceOrder);
    if (!e.forcedBy.isEmpty())
        parts << QStringLiteral("forced by %1").arg(e.forcedBy.join(QStringLiteral(", ")));
    if (!e.reasonText.isEmpty())
        parts << e.reasonText;
    else if (!rc.reasonCode.isEmpty())
        parts << QStringLiteral("reason \"%1\" (unknown to Holdpoint)").arg(rc.reasonCode);
    if (rc.action == PlanAction::Delete && rc.reasonCode.isEmpty())
        parts << QStringLiteral("the plan gives no reason (a destroy plan deletes everything)");
    if (rc.action == PlanAction::Forget)
        parts << QStringLiteral("removed from Terraform's state; the object itself is not destroyed");
    if (!forcedByCascade.isEmpty())
        parts << QStringLiteral("forced by %1").arg(forcedByCascade.join(QStringLiteral(", ")));
    if (rc.isMoved())
        parts << QStringLiteral("moved from %1").arg(rc.previousAddress);
    if (rc.importing)
        parts << (rc.importIdUnknown ? QStringLiteral("imported (id known after apply)")
                                     : QStringLiteral("imported (id %1)").arg(rc.importId));
    return parts.join(QStringLiteral("; "));
}

SummaryEntry entryFor(const Plan &plan, int index, const QStringList &forcedByCascade)
{
    const PlanResourceChange &rc = plan.resourceChanges[static_cast<size_t>(index)];
    SummaryEntry e;
    e.resource = index;
    e.address = rc.address;
    e.action = rc.action;
    e.order = rc.replaceOrder;
    for (const AttributePath &p : rc.replacePaths)
        e.forcedBy << plan.redactor.redact(formatAttributePath(p));
    e.reason = rc.reason;
    e.reasonCode = rc.reasonCode;
    e.reasonText = describeActionReason(rc.reason);
    e.previousAddress = rc.previousAddress;
    e.importing = rc.importing;
    e.statefulType = isStatefulType(rc.type);
    e.why = whyOf(rc, e, forcedByCascade);
    return e;
}

} // namespace

QString summaryLine(const PlanCounts &c)
{
    QStringList parts;
    if (c.replace > 0)
        parts << replacedPart(c);
    const std::pair<int, const char *> others[] = {
        {c.destroy, "%1 deleted"},   {c.update, "%1 updated"},   {c.create, "%1 created"},
        {c.forget, "%1 forgotten (removed from state, not destroyed)"},
        {c.read, "%1 read"},         {c.moved, "%1 moved"},      {c.imported, "%1 imported"},
        {c.deferred, "%1 deferred"}};
    for (const auto &[n, format] : others) {
        if (n > 0)
            parts << QString::fromUtf8(format).arg(n);
    }
    return parts.isEmpty() ? QStringLiteral("no changes") : parts.join(QStringLiteral(", "));
}

PlanSummary summarizePlan(const Plan &plan)
{
    PlanSummary s;
    for (const PlanResourceChange &rc : plan.resourceChanges)
        count(rc, s.counts);
    s.counts.deferred = static_cast<int>(plan.deferredChanges.size());
    s.line = summaryLine(s.counts);
    s.cascades = findCascades(plan);
    s.warnings = plan.warnings;

    QHash<QString, QStringList> forcedBy;
    for (const CascadeLink &link : s.cascades) {
        const QString upstream = link.upstreamAttribute.isEmpty()
                                   ? link.upstreamAddress
                                   : link.upstreamAddress + u'.' + link.upstreamAttribute;
        QStringList &list = forcedBy[link.dependentAddress];
        const QString item = QStringLiteral("%1 (%2)").arg(upstream, toString(link.upstreamAction));
        if (!list.contains(item))
            list << item;
    }
    for (int i = 0; i < static_cast<int>(plan.resourceChanges.size()); ++i) {
        const PlanResourceChange &rc = plan.resourceChanges[static_cast<size_t>(i)];
        if (rc.isChanged() || rc.action == PlanAction::Read)
            s.entries.push_back(entryFor(plan, i, forcedBy.value(rc.address)));
    }
    std::stable_sort(s.entries.begin(), s.entries.end(),
                     [](const SummaryEntry &a, const SummaryEntry &b) { return rank(a.action) < rank(b.action); });
    return s;
}

bool isStatefulType(QStringView type)
{
    static const char *const kPatterns[] = {
        "db_instance", "db_cluster", "rds_cluster", "database", "sql_", "_sql", "dynamodb_table", "bigtable",
        "bigquery_table", "bigquery_dataset", "s3_bucket", "storage_bucket", "storage_account", "ebs_volume",
        "_disk", "efs_file_system", "elasticache", "redis", "memcache", "docdb", "neptune", "redshift",
        "opensearch_domain", "elasticsearch_domain", "kinesis_stream", "sqs_queue", "spanner", "firestore",
        "cosmosdb", "persistent_volume", "stateful_set", "backup_vault", "kms_key", "secretsmanager_secret"};
    const QString lower = type.toString().toLower();
    if (lower.endsWith(QLatin1String("_bucket")) || lower.endsWith(QLatin1String("_volume"))
        || lower.endsWith(QLatin1String("_table")))
        return true;
    return std::any_of(std::begin(kPatterns), std::end(kPatterns),
                       [&](const char *p) { return lower.contains(QLatin1String(p)); });
}

} // namespace hp
