#include "cli/planview.h"

#include "cli/output.h"
#include "plan/planparser.h"

#include <QJsonArray>

namespace hp::cli {

namespace {

QJsonObject countsJson(const PlanCounts &c)
{
    return QJsonObject{{QStringLiteral("create"), c.create},
                       {QStringLiteral("update"), c.update},
                       {QStringLiteral("replace"), c.replace},
                       {QStringLiteral("replace_destroy_first"), c.replaceDestroyFirst},
                       {QStringLiteral("replace_create_first"), c.replaceCreateFirst},
                       {QStringLiteral("replace_forget"), c.replaceForget},
                       {QStringLiteral("delete"), c.destroy},
                       {QStringLiteral("read"), c.read},
                       {QStringLiteral("forget"), c.forget},
                       {QStringLiteral("no_op"), c.noOp},
                       {QStringLiteral("moved"), c.moved},
                       {QStringLiteral("imported"), c.imported},
                       {QStringLiteral("deferred"), c.deferred},
                       {QStringLiteral("changed"), c.changed()},
                       {QStringLiteral("destructive"), c.destructive()}};
}

QJsonValue textOrNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonObject entryJson(const SummaryEntry &e)
{
    return QJsonObject{{QStringLiteral("address"), e.address},
                       {QStringLiteral("action"), toString(e.action)},
                       {QStringLiteral("replace_order"), textOrNull(toString(e.order))},
                       {QStringLiteral("reason_code"), textOrNull(e.reasonCode)},
                       {QStringLiteral("reason"), textOrNull(e.reasonText)},
                       {QStringLiteral("replace_paths"), QJsonArray::fromStringList(e.forcedBy)},
                       {QStringLiteral("why"), e.why},
                       {QStringLiteral("previous_address"), textOrNull(e.previousAddress)},
                       {QStringLiteral("importing"), e.importing},
                       {QStringLiteral("stateful"), e.statefulType}};
}

QJsonObject cascadeJson(const CascadeLink &c)
{
    return QJsonObject{{QStringLiteral("upstream"), c.upstreamAddress},
                       {QStringLiteral("upstream_action"), toString(c.upstreamAction)},
                       {QStringLiteral("upstream_attribute"), c.upstreamAttribute},
                       {QStringLiteral("dependent"), c.dependentAddress},
                       {QStringLiteral("dependent_action"), toString(c.dependentAction)},
                       {QStringLiteral("dependent_attribute"), c.dependentAttribute},
                       {QStringLiteral("description"), c.describe()}};
}

QString errorText(const Error &e)
{
    return e.path.isEmpty() ? e.message : QStringLiteral("%1 (at %2)").arg(e.message, e.path);
}

// "REPLACE terraform_data.billing_db: destroy, then create; forced by ... [code]".
// The summary's `why` already names the replace order, a move and an import.
QString entryLine(const SummaryEntry &e)
{
    QString line =
        QStringLiteral("    %1 %2").arg(toString(e.action).toUpper(), oneLine(e.address));
    if (!e.why.isEmpty())
        line += QStringLiteral(": ") + oneLine(e.why);
    if (!e.reasonCode.isEmpty())
        line += QStringLiteral(" [%1]").arg(oneLine(e.reasonCode));
    return line + QLatin1Char('\n');
}

} // namespace

PlanReport readPlan(const QString &name, const QByteArray &json)
{
    PlanReport r;
    r.name = name;
    PlanParseOptions options;
    options.source = name;
    Result<Plan> plan = PlanParser(std::move(options)).parse(json);
    if (!plan.ok())
        r.error = plan.error();
    else
        r.summary = summarizePlan(*plan);
    return r;
}

std::vector<PlanReport> storedPlans(Store &store, const ChangeDetail &d)
{
    std::vector<PlanReport> reports;
    if (d.revisions.empty())
        return reports;
    const RevisionInfo &latest = d.revisions.back();
    for (const ArtifactInfo &a : latest.artifacts) {
        if (a.kind != ArtifactKind::TerraformPlan)
            continue;
        Result<Artifact> stored = store.artifact(d.summary.id, latest.number, a.index);
        PlanReport r;
        if (stored.ok()) {
            r = readPlan(a.name, stored->content());
        } else {
            r.name = a.name;
            r.error = stored.error();
        }
        r.revision = latest.number;
        r.index = a.index;
        reports.push_back(std::move(r));
    }
    return reports;
}

QJsonObject planReportJson(const PlanReport &r)
{
    QJsonObject o{{QStringLiteral("artifact"), r.name}, {QStringLiteral("index"), r.index}};
    if (r.revision > 0)
        o.insert(QStringLiteral("revision"), r.revision);
    if (r.error) {
        o.insert(QStringLiteral("parsed"), false);
        o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), r.error->reason},
                                                      {QStringLiteral("message"), r.error->message},
                                                      {QStringLiteral("path"), r.error->path}});
        return o;
    }
    const PlanSummary &s = r.summary;
    QJsonArray resources, cascades;
    for (const SummaryEntry &e : s.entries)
        resources.append(entryJson(e));
    for (const CascadeLink &c : s.cascades)
        cascades.append(cascadeJson(c));
    o.insert(QStringLiteral("parsed"), true);
    o.insert(QStringLiteral("summary"), s.line);
    o.insert(QStringLiteral("counts"), countsJson(s.counts));
    o.insert(QStringLiteral("resources"), resources);
    o.insert(QStringLiteral("cascades"), cascades);
    o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(s.warnings));
    return o;
}

QString planSummaryText(const PlanReport &r)
{
    if (r.error)
        return QStringLiteral("warning: %1: not readable as a Terraform plan (stored as "
                              "received, no plan summary): %2")
            .arg(oneLine(r.name), oneLine(errorText(*r.error)));
    return QStringLiteral("%1: %2").arg(oneLine(r.name), r.summary.line);
}

QString planReportText(const PlanReport &r)
{
    QString out = QStringLiteral("  plan ") + planSummaryText(r) + QLatin1Char('\n');
    if (r.error)
        return out;
    for (const SummaryEntry &e : r.summary.entries)
        out += entryLine(e);
    for (const CascadeLink &c : r.summary.cascades)
        out += QStringLiteral("    CASCADE %1\n").arg(oneLine(c.describe()));
    for (const QString &w : r.summary.warnings)
        out += QStringLiteral("    warning: %1\n").arg(oneLine(w));
    return out;
}

} // namespace hp::cli
