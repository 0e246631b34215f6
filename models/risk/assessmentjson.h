#pragma once

#include "domain/result.h"
#include "risk/riskmodel.h"

#include <QByteArray>
#include <QJsonObject>

// An Assessment as JSON (stored with the assessment, printed by `submit` and
// `show --json`), and back. Keys are snake_case; terms and weights are JSON
// numbers written in their shortest round-trip form, so fromJson gives back
// the very same doubles. Layout:
//   score, score_class, class, changed_term, impact_term,
//   effective_environment, topology_hash,
//   changed: [{address, type, action, node, environment, a, e, t, value}],
//   changed_nodes: [id],
//   impacted: [{node, nearest_depth, nearest_path, scoring_source,
//               scoring_distance, scoring_path, a, decay, environment, e, t,
//               value}],
//   flags: [{code, evidence: [text], floor: class or null}]
namespace hp {

QJsonObject assessmentToJson(const Assessment &assessment);
// Refuses (ExitCode::StoreProblem, reason "bad_assessment") a document that
// lacks a key or holds a value of the wrong type, naming the key.
Result<Assessment> assessmentFromJson(const QJsonObject &json);

// The stored bytes: compact JSON of assessmentToJson (keys sorted).
QByteArray assessmentBytes(const Assessment &assessment);
Result<Assessment> assessmentFromBytes(const QByteArray &bytes);

} // namespace hp
