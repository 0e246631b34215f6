#pragma once

#include "domain/result.h"
#include "plan/plandata.h"

#include <QByteArray>
#include <QString>

// Reads `terraform show -json` output (format_version 0.x and 1.x; 2.x and
// later are refused, since a new major version may change what fields mean)
// with the intake's strictness: RFC 8259 only, valid UTF-8, no duplicate keys,
// nesting up to maxDepth (Terraform nests attribute values deeply; 100,000
// nested arrays are refused cleanly). Unknown keys are ignored, unknown
// actions are refused (Holdpoint never guesses what a plan would do).
// Every error is ExitCode::Usage and names its JSON path; nothing is returned
// half-read. A plan Terraform marked errored, incomplete or not applyable
// parses, with a warning for people in Plan::warnings.
namespace hp {

struct PlanParseOptions
{
    int maxDepth = 512;
    qint64 maxBytes = 0xFFFFFFFFLL; // simdjson's ceiling; intake caps artifacts before this
    QString source;                 // file name for messages
};

class PlanParser
{
public:
    explicit PlanParser(PlanParseOptions options = {}) : m_options(std::move(options)) {}

    Result<Plan> parse(const QByteArray &json) const;
    // Reads the file into a padded buffer, so simdjson parses it in place.
    Result<Plan> parseFile(const QString &path) const;

private:
    PlanParseOptions m_options;
};

} // namespace hp
