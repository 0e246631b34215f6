#pragma once

#include "domain/result.h"
#include "plan/plansummary.h"
#include "storage/store.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

// How a terraform-plan artifact looks in holdpointctl output (issue 4 item 5):
// the summary line that never hides a replacement, then every changed
// resource, destructive first, with its action, replace order and why.
// Every string shown comes from the plan core (models/plan/), which has passed
// it through the plan's Redactor: sensitive values never reach this layer.
// A plan that does not parse is reported, never fatal: the artifact is stored
// as received, so submit and show say why it could not be read.
namespace hp::cli {

struct PlanReport
{
    QString name;               // the artifact's name
    int revision = 0;           // 0 when not yet stored (submit)
    int index = -1;             // the artifact's position in its revision
    std::optional<Error> error; // set when the plan did not parse
    PlanSummary summary;        // meaningful only without error
};

// Parses and summarises one terraform-plan artifact.
PlanReport readPlan(const QString &name, const QByteArray &json);

// The terraform-plan artifacts of the change's latest revision, read back from
// the store. An artifact the store cannot return is reported like a parse
// error, so `show` still prints everything else.
std::vector<PlanReport> storedPlans(Store &store, const ChangeDetail &d);

QJsonObject planReportJson(const PlanReport &r);
// "plan.json: 2 replaced (destroy, then create), 2 updated", or a warning
// line naming the parse error. One line, no newline.
QString planSummaryText(const PlanReport &r);
// The summary line, then one line per changed resource (destructive first),
// cascades and the plan's own warnings; each line ends in a newline.
QString planReportText(const PlanReport &r);

} // namespace hp::cli
