#pragma once

#include "domain/types.h"

#include <QString>

// Artifacts for the demo: the embedded real inputs (":/holdpoint/demo/...",
// see resources/demo/PROVENANCE.md) and small generated ones (kubectl diffs,
// git patches, command lists) so that weeks of history do not all carry the
// same bytes.
namespace hp::demo {

// An embedded file as one artifact; an empty Artifact (no parts) if missing.
Artifact resourceArtifact(ArtifactKind kind, const QString &resource, const QString &name);
Artifact filePairArtifact(const QString &path, const QString &beforeResource,
                          const QString &afterResource);
Artifact textArtifact(ArtifactKind kind, const QString &name, const QString &text);

struct K8sRollout
{
    QString ns;
    QString deployment;
    int fromReplicas = 3;
    int toReplicas = 3;
    QString fromImage;
    QString toImage;
    int generation = 1;
};
// `kubectl diff` output (diff -u -N with LIVE-/MERGED- names) for one Deployment.
QString kubectlDiff(const K8sRollout &r, int seed);

// A git patch ("diff --git" …) changing one constant in a settings module.
QString settingsPatch(const QString &path, const QString &constant, const QString &from,
                      const QString &to);

} // namespace hp::demo
