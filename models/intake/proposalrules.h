#pragma once

#include "domain/result.h"
#include "domain/types.h"
#include "intake/proposalparser.h"

#include <QString>

// The field, name and size rules of a proposal, shared by ProposalParser's
// JSON walk (which fails early, before reading any artifact file) and by
// ProposalParser::validate() for proposals the CLI assembles from parts.
// Paths in errors are JSON paths ("$.artifacts[2].name") in both cases.
// Every error is ExitCode::Usage.
namespace hp::intake {

inline constexpr int kMaxTitleChars = 512;
inline constexpr int kMaxNameChars = 4096;
inline constexpr int kMaxTargetChars = 256;
inline constexpr int kMaxIdempotencyChars = 128;
inline constexpr int kMaxEnvironmentChars = 64;
inline constexpr int kMaxLoginChars = 64;

// Single-line text (agent name/version/run id): no control characters.
Status checkLine(const QString &value, const QString &path, const IntakeLimits &limits);
Status checkTitle(const QString &value, const QString &path, const IntakeLimits &limits);
// Multi-line text (intent): tab, LF and CR allowed, other controls not.
Status checkIntent(const QString &value, const QString &path, const IntakeLimits &limits);
// [A-Za-z0-9._@$-]{1,64}, not starting with '-'.
Status checkLogin(const QString &value, const QString &path);
// [a-z0-9][a-z0-9_-]{0,63}
Status checkEnvironment(const QString &value, const QString &path);
// 1..256 characters, no control characters.
Status checkTarget(const QString &value, const QString &path);
// 1..128 characters of printable ASCII (space to '~').
Status checkIdempotencyKey(const QString &value, const QString &path);
// Non-empty, at most 4096 characters, no C0 control (NUL included).
Status checkArtifactName(const QString &value, const QString &path, const IntakeLimits &limits);

// too_large when `size` decoded bytes would take the artifact past its cap or
// the revision past its total; `what` names the artifact for people.
Status checkArtifactBytes(qint64 artifactSoFar, qint64 revisionSoFar, qint64 size, const QString &path,
                          const IntakeLimits &limits);

// Everything above over a whole proposal, plus: 1..maxArtifacts artifacts,
// parts matching the kind, (kind, name) unique.
Status checkProposal(const Proposal &proposal, const IntakeLimits &limits);

// The most input bytes a proposal can need: the envelope plus the revision
// cap in base64. Readers stop there instead of reading unbounded input.
qint64 maxInputBytes(const IntakeLimits &limits);

QString artifactPath(qsizetype index); // "$.artifacts[3]"

} // namespace hp::intake
