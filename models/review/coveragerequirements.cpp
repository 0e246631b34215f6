#include "review/coveragerequirements.h"

#include "diff/gitdiff.h"
#include "diff/patchparser.h"
#include "plan/planparser.h"
#include "risk/riskmodel.h"
#include "storage/store.h"

namespace hp {

namespace {

void addPatchHunks(int index, const Artifact &artifact, QStringList &out)
{
    Result<diff::PatchSet> patch = diff::PatchParser::parse(artifact.content());
    if (!patch)
        return;
    for (size_t f = 0; f < patch->files.size(); ++f)
        for (size_t h = 0; h < patch->files[f].hunks.size(); ++h)
            out << coverage::hunkKey(index, static_cast<int>(f), static_cast<int>(h));
}

void addFilePairHunks(int index, const Artifact &artifact, QStringList &out)
{
    if (artifact.parts.size() != 2)
        return;
    diff::DiffSide before;
    before.data = artifact.parts[0];
    before.label = artifact.name.toUtf8();
    before.absent = artifact.parts[0].isEmpty();
    diff::DiffSide after;
    after.data = artifact.parts[1];
    after.label = before.label;
    after.absent = artifact.parts[1].isEmpty();
    Result<diff::GitDiffResult> d = diff::GitDiff::diff(before, after);
    if (!d)
        return;
    for (size_t h = 0; h < d->file.hunks.size(); ++h)
        out << coverage::hunkKey(index, 0, static_cast<int>(h));
}

void addDestructiveResources(int index, const Artifact &artifact, QStringList &out)
{
    Result<Plan> plan = PlanParser().parse(artifact.content());
    if (!plan)
        return;
    for (const PlanResourceChange &rc : plan->resourceChanges)
        if (rc.mode == ResourceMode::Managed && rc.isDestructive())
            out << coverage::resourceKey(index, rc.address);
}

} // namespace

QStringList requiredCoverage(const std::vector<Artifact> &artifacts, const Assessment *assessment)
{
    QStringList out;
    for (size_t i = 0; i < artifacts.size(); ++i) {
        const int index = static_cast<int>(i);
        switch (artifacts[i].kind) {
        case ArtifactKind::UnifiedDiff:
            addPatchHunks(index, artifacts[i], out);
            break;
        case ArtifactKind::FilePair:
            addFilePairHunks(index, artifacts[i], out);
            break;
        case ArtifactKind::TerraformPlan:
            addDestructiveResources(index, artifacts[i], out);
            break;
        case ArtifactKind::TerraformPlanfile:
        case ArtifactKind::K8sManifest:
        case ArtifactKind::Command:
            break;
        }
    }
    if (assessment)
        for (const ImpactedNode &node : assessment->impacted)
            out << coverage::nodeKey(node.nodeId);
    return out;
}

} // namespace hp
