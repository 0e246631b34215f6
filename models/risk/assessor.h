#pragma once

#include "domain/types.h"
#include "risk/riskconfig.h"
#include "risk/riskmodel.h"
#include "topology/topology.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

// Turns one revision's artifacts, as received, into the RiskInput of DESIGN
// §4 and assesses it (DESIGN §3 Assessment):
//  - terraform-plan: PlanParser, ChangeMapping::addPlan (configuration edges,
//    changed resources), findCascades;
//  - unified-diff: PatchParser; the files of a `kubectl diff` become changed
//    Kubernetes objects (ChangeMapping::addKubePatch), other files change no
//    resource of the graph;
//  - k8s-manifest: ManifestReader (ownerReferences, Service selectors); every
//    object it holds is applied, so it is a changed object weighed as a patch
//    (update), unless a kubectl diff already names it;
//  - command: the model's command flags (always UNASSESSED);
//  - terraform-planfile: opaque; UNASSESSED unless a terraform-plan artifact
//    of the same revision describes it;
//  - file-pair: changes no resource of the graph.
// An artifact that does not parse is no error here (intake accepted it): it
// becomes UNASSESSED evidence naming the artifact and why. Every artifact's
// bytes (planfiles excepted: opaque binary), file name, patch path, changed
// address, the title and the intent are scanned for the characters of §9;
// each finding becomes DANGEROUS_TEXT evidence.
namespace hp {

// What the change says about itself, and what the store counted.
struct AssessmentMeta
{
    QString title;
    QString intent;
    QString environment; // declared
    QString target;      // empty: none
    std::optional<Impact> declaredImpact;
    bool registeredAgent = true;
    // Resources deleted or replaced by the same agent's other pending or
    // approved changes on the same non-empty target within the window.
    int otherDestructiveCount = 0;
};

// The catalog in force: its merged topology and its hash (hex).
struct CatalogInForce
{
    Topology topology;
    QByteArray hash;
};

class Assessor
{
public:
    explicit Assessor(RiskConfig config = {}) : m_config(std::move(config)) {}

    // The model's input; `catalog` null when none was imported.
    RiskInput input(const std::vector<Artifact> &artifacts, const AssessmentMeta &meta,
                    const CatalogInForce *catalog) const;
    // The assessment. Its topologyHash is the hash of the catalog in force
    // (empty when none): the version it was computed against, which decides
    // whether a new import needs a new assessment.
    Assessment assess(const std::vector<Artifact> &artifacts, const AssessmentMeta &meta,
                      const CatalogInForce *catalog) const;

    const RiskConfig &config() const { return m_config; }

private:
    RiskConfig m_config;
};

// The default policy document (":/holdpoint/policy/default.yaml", DESIGN §5)
// and its SHA-256 (hex): the policy hash recorded with every assessment
// until the policy engine records the hash of the policy in force.
QByteArray defaultPolicyDocument();
QByteArray defaultPolicyHash();

} // namespace hp
