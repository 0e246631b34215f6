#pragma once

#include "plan/cascade.h"
#include "plan/plandata.h"

#include <QString>
#include <QStringList>

#include <vector>

// A plan summary that never hides a replacement (DESIGN §1 lesson 2):
// replace, delete, update, create, forget and read are counted apart; the
// line reads "2 replaced (destroy, then create), 2 updated", never "2 to add,
// 2 to destroy"; destructive changes come first, each with why (the
// replace_paths attributes and the action reason in words).
namespace hp {

struct PlanCounts
{
    int create = 0;
    int update = 0;
    int replace = 0;
    int replaceDestroyFirst = 0;  // ["delete","create"]
    int replaceCreateFirst = 0;   // ["create","delete"]
    int replaceForget = 0;        // ["create","forget"]
    int destroy = 0;              // ["delete"]
    int read = 0;                 // data sources read during apply
    int forget = 0;
    int noOp = 0;
    int moved = 0;
    int imported = 0;
    int deferred = 0;

    int changed() const { return create + update + replace + destroy + forget; }
    int destructive() const { return replace + destroy; }
};

struct SummaryEntry
{
    int resource = -1; // index into Plan::resourceChanges
    QString address;
    PlanAction action = PlanAction::NoOp;
    ReplaceOrder order = ReplaceOrder::None;
    QStringList forcedBy;     // replace_paths, formatted
    ActionReason reason = ActionReason::Unspecified;
    QString reasonCode;       // as written
    QString reasonText;       // in words; empty when Terraform gave none
    QString why;              // one line for people
    QString previousAddress;  // when moved
    bool importing = false;
    bool statefulType = false; // a resource type known to hold data (DESIGN §4 DATA_LOSS)
};

struct PlanSummary
{
    PlanCounts counts;
    QString line;                      // "2 replaced (destroy, then create), 2 updated"
    std::vector<SummaryEntry> entries; // changed resources (and reads): delete, replace, update, create, forget, read
    std::vector<CascadeLink> cascades;
    QStringList warnings;              // the plan's own (errored, incomplete, ...)
};

PlanSummary summarizePlan(const Plan &plan);

// The summary line alone, from counts.
QString summaryLine(const PlanCounts &counts);

// True for resource types known to hold data: databases, buckets, volumes,
// tables, caches, queues, PersistentVolumeClaims, StatefulSets.
bool isStatefulType(QStringView type);

} // namespace hp
