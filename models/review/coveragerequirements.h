#pragma once

#include "domain/types.h"

#include <QStringList>

#include <vector>

// What a full review must have seen (DESIGN §5): every diff hunk, every
// destructive (replaced or deleted) plan resource and every impacted node.
// The store computes it independently of the views, with the same keys the
// views report (storage/store.h coverage::*), so a reviewer's coverage is
// complete only when it names every item here.
namespace hp {

struct Assessment;

// Keys in artifact order: hunks of unified-diff and file-pair artifacts (file
// index in patch order; a file pair is file 0), destructive resources of
// terraform-plan artifacts, then impacted nodes of `assessment` (may be null).
// An artifact that cannot be parsed adds nothing: the risk model flags it
// UNASSESSED instead.
QStringList requiredCoverage(const std::vector<Artifact> &artifacts, const Assessment *assessment);

} // namespace hp
