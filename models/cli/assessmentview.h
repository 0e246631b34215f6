#pragma once

#include "storage/store.h"

#include <QJsonObject>
#include <QString>

// How an assessment (DESIGN §3 Assessment, §4) looks in holdpointctl output.
// The text lists every term so a reviewer can recompute the score by hand:
// each changed resource's a·e·t, each impacted node's a·decay·e·t with its
// scoring source and both paths, and every flag with its evidence. Terms are
// printed with 4 decimals (DESIGN §4); addresses and node ids come from
// agents and catalogs, so they pass through oneLine().
namespace hp::cli {

// "risk 74 critical (changed 1.8750 + impact 0.7830) flags: DATA_LOSS, CASCADE"
QString riskLine(const Assessment &a);
// "3 changed resource(s), 1 unmapped, 3 impacted node(s)"
QString reachLine(const Assessment &a);
// The summary submit prints: riskLine, reachLine, and INTENT_MISMATCH spelled out.
QString assessmentSummaryText(const Assessment &a);
// The full explanation show prints.
QString assessmentText(const StoredAssessment &stored);

// The stored JSON body (assessmentToJson as written by the store), with the
// revision, sequence, hashes and time it was computed added.
QJsonObject assessmentJson(const StoredAssessment &stored);

// 4 decimals: terms and contributions. weightText: up to 4, trailing zeros cut.
QString termText(double value);
QString weightText(double value);

} // namespace hp::cli
