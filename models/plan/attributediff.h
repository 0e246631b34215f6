#pragma once

#include "plan/plandata.h"

#include <QString>

#include <vector>

// The attribute diff of one resource change (DESIGN §9 Review): nested
// objects and lists flattened to paths (input.engine_version, tags["Name"],
// rules[0].port), before → after, "(known after apply)" where after_unknown
// says so, "forces replacement" on the attributes replace_paths names.
// Sensitive values (by mask, or equal to any secret of the plan) read
// "(sensitive)", and no value, key or path leaves unredacted.
namespace hp {

enum class AttributeChange { Unchanged, Updated, Added, Removed };

QString toString(AttributeChange change); // unchanged, updated, added, removed

struct AttributeRow
{
    QString path;
    QString before;          // display text; empty when !hasBefore
    QString after;           // display text; "(known after apply)" when afterUnknown
    bool hasBefore = false;
    bool hasAfter = false;   // also true when the value is unknown
    bool afterUnknown = false;
    bool sensitive = false;  // either side masked
    bool forcesReplacement = false;
    AttributeChange change = AttributeChange::Unchanged;

    bool isChanged() const { return change != AttributeChange::Unchanged; }
};

struct AttributeDiff
{
    QString address;
    PlanAction action = PlanAction::NoOp;
    std::vector<AttributeRow> rows; // in path order (keys sorted, list indexes ascending)
    int changedRows = 0;
    bool truncated = false;         // stopped at AttributeDiffOptions::maxRows
};

struct AttributeDiffOptions
{
    int maxRows = 100000;
    qsizetype maxValueChars = 64 * 1024; // longer values are shortened, after redaction
};

inline QString knownAfterApply()
{
    return QStringLiteral("(known after apply)");
}

AttributeDiff diffAttributes(const Plan &plan, const PlanResourceChange &change,
                             const AttributeDiffOptions &options = {});

} // namespace hp
