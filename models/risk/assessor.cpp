#include "risk/assessor.h"

#include "diff/dangeroustext.h"
#include "diff/patchparser.h"
#include "domain/sha256.h"
#include "plan/cascade.h"
#include "plan/planparser.h"
#include "topology/changemapping.h"
#include "topology/manifestreader.h"

#include <QFile>
#include <QSet>

namespace hp {

namespace {

// Evidence for one scanned text: the first finding and how many there are,
// so a hostile artifact cannot flood the assessment.
void scanText(QByteArrayView bytes, const QString &where, QStringList &evidence)
{
    const std::vector<diff::DangerousChar> found = diff::DangerousText::scan(bytes);
    if (found.empty())
        return;
    const diff::DangerousChar &first = found.front();
    QString line = QStringLiteral("%1: %2 %3 at byte %4")
                       .arg(where, first.label, diff::DangerousText::escapeOf(first))
                       .arg(first.offset);
    if (found.size() > 1)
        line += QStringLiteral(" (%1 dangerous characters in all)").arg(found.size());
    evidence.append(line);
}

// Four hex digits at `at`, or -1.
int hex4(const QByteArray &text, qsizetype at)
{
    if (at + 4 > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = at; i < at + 4; ++i) {
        const int c = text[i];
        const int digit = c >= '0' && c <= '9' ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

// The code point of the \uXXXX escape at `at` (a surrogate pair read as
// one), or 0 when there is none there; `length` gets its bytes.
char32_t jsonEscape(const QByteArray &json, qsizetype at, int &length)
{
    qsizetype slashes = 0;
    for (qsizetype j = at; j > 0 && json[j - 1] == '\\'; --j)
        ++slashes;
    const int high = slashes % 2 == 0 ? hex4(json, at + 2) : -1;
    if (high < 0)
        return 0;
    length = 6;
    if (high >= 0xD800 && high <= 0xDBFF && json.mid(at + 6, 2) == "\\u") {
        const int low = hex4(json, at + 8);
        if (low >= 0xDC00 && low <= 0xDFFF) {
            length = 12;
            return 0x10000 + ((static_cast<char32_t>(high) - 0xD800) << 10) + (static_cast<char32_t>(low) - 0xDC00);
        }
    }
    return static_cast<char32_t>(high);
}

// JSON may carry any character as a \uXXXX escape, which the byte scan
// cannot see (Terraform writes most characters raw; an agent need not):
// the escapes are decoded and looked up too. TAB, LF and CR pass, as in the scan.
void scanJsonEscapes(const QByteArray &json, const QString &where, QStringList &evidence)
{
    const diff::DangerousTable &table = diff::DangerousTable::builtin();
    std::vector<diff::DangerousChar> found;
    for (qsizetype i = json.indexOf("\\u"); i >= 0; i = json.indexOf("\\u", i + 2)) {
        int length = 0;
        const char32_t cp = jsonEscape(json, i, length);
        if (cp == 0 || cp == 0x09 || cp == 0x0A || cp == 0x0D)
            continue;
        if (const diff::DangerousTable::Entry *e = table.find(cp))
            found.push_back(diff::DangerousChar{i, length, cp, e->category, e->label});
    }
    if (found.empty())
        return;
    QString line = QStringLiteral("%1: %2 %3 as a JSON escape at byte %4")
                       .arg(where, found.front().label, diff::DangerousText::escapeOf(found.front()))
                       .arg(found.front().offset);
    if (found.size() > 1)
        line += QStringLiteral(" (%1 escaped dangerous characters in all)").arg(found.size());
    evidence.append(line);
}

void scanString(const QString &text, const QString &where, QStringList &evidence)
{
    scanText(QByteArrayView(text.toUtf8()), where, evidence);
}

QString artifactLabel(const Artifact &a)
{
    return QStringLiteral("%1 artifact %2").arg(toString(a.kind), diff::DangerousText::escapedString(a.name));
}

void unassessed(RiskInput &in, const Artifact &a, const QString &why)
{
    in.unassessed.append(QStringLiteral("%1 cannot be assessed: %2").arg(artifactLabel(a), why));
}

void addPlanArtifact(RiskInput &in, const Artifact &a)
{
    PlanParseOptions options;
    options.source = a.name;
    Result<Plan> plan = PlanParser(options).parse(a.content());
    if (!plan) {
        unassessed(in, a, plan.error().message);
        return;
    }
    std::vector<ChangedResource> changed = ChangeMapping::addPlan(in.topology, *plan);
    for (ChangedResource &c : changed)
        in.changed.push_back(std::move(c));
    for (CascadeLink &link : findCascades(*plan))
        in.cascades.push_back(std::move(link));
}

void addPatchArtifact(RiskInput &in, const Artifact &a, QStringList &names)
{
    Result<diff::PatchSet> patch = diff::PatchParser::parse(a.content(), a.name);
    if (!patch) {
        unassessed(in, a, patch.error().message);
        return;
    }
    for (const diff::FilePatch &file : patch->files) {
        names.append(QString::fromUtf8(file.oldPath));
        names.append(QString::fromUtf8(file.newPath));
    }
    std::vector<ChangedResource> changed = ChangeMapping::addKubePatch(in.topology, *patch);
    for (ChangedResource &c : changed)
        in.changed.push_back(std::move(c));
}

// Objects a manifest applies: changed (as a patch: DESIGN §4 weighs it as an
// update), unless a kubectl diff of the same revision already names them.
void addManifestArtifact(RiskInput &in, const Artifact &a)
{
    Result<std::vector<KubeManifestObject>> objects = ManifestReader::read(a.content(), a.name);
    if (!objects) {
        unassessed(in, a, objects.error().message);
        return;
    }
    ManifestReader::addToTopology(in.topology, *objects);
    QSet<QString> known;
    for (const ChangedResource &c : in.changed)
        known.insert(c.address);
    for (const KubeManifestObject &o : *objects) {
        ChangedResource c;
        c.address = o.kind + u'/' + o.ns + u'/' + o.name;
        if (known.contains(c.address))
            continue;
        known.insert(c.address);
        c.type = o.kind;
        c.kubernetes = true;
        c.fromPatch = true;
        c.action = PlanAction::Update;
        c.why = QStringLiteral("applied by manifest %1").arg(a.name);
        const QString entity = in.topology.nodeForKubeObject(o.kind, o.ns, o.name);
        c.mapped = !entity.isEmpty();
        c.nodeId = c.mapped ? entity : kubeNodeId(o.kind, o.ns, o.name);
        if (!in.topology.node(c.nodeId)) {
            TopologyNode node;
            node.id = c.nodeId;
            node.kind = QStringLiteral("k8s");
            node.name = o.name;
            in.topology.addNode(std::move(node));
        }
        in.changed.push_back(std::move(c));
    }
}

void scanArtifact(const Artifact &a, QStringList &evidence)
{
    const QString label = artifactLabel(a);
    scanString(a.name, QStringLiteral("name of %1").arg(label), evidence);
    if (a.kind == ArtifactKind::TerraformPlanfile)
        return; // opaque binary: its bytes are not text
    for (size_t i = 0; i < a.parts.size(); ++i) {
        const QString where = a.parts.size() == 1
                                  ? label
                                  : QStringLiteral("%1 (%2)").arg(label, i == 0 ? QStringLiteral("before")
                                                                                : QStringLiteral("after"));
        scanText(QByteArrayView(a.parts[i]), where, evidence);
    }
    if (a.kind == ArtifactKind::TerraformPlan)
        scanJsonEscapes(a.content(), label, evidence);
}

bool hasPlanJson(const std::vector<Artifact> &artifacts)
{
    return std::any_of(artifacts.begin(), artifacts.end(),
                       [](const Artifact &a) { return a.kind == ArtifactKind::TerraformPlan; });
}

} // namespace

RiskInput Assessor::input(const std::vector<Artifact> &artifacts, const AssessmentMeta &meta,
                          const CatalogInForce *catalog) const
{
    RiskInput in;
    if (catalog)
        in.topology = catalog->topology;
    in.catalogInForce = catalog != nullptr;
    in.declaredEnvironment = meta.environment;
    if (!meta.target.isEmpty())
        in.targets = {meta.target};
    in.declaredImpact = meta.declaredImpact;
    in.registeredAgent = meta.registeredAgent;
    in.otherDestructiveCount = meta.otherDestructiveCount;
    QStringList names;
    for (const Artifact &a : artifacts) {
        switch (a.kind) {
        case ArtifactKind::TerraformPlan: addPlanArtifact(in, a); break;
        case ArtifactKind::UnifiedDiff: addPatchArtifact(in, a, names); break;
        case ArtifactKind::K8sManifest: addManifestArtifact(in, a); break;
        case ArtifactKind::Command: in.commands.push_back(CommandArtifact{a.name, a.content()}); break;
        case ArtifactKind::TerraformPlanfile:
            if (!hasPlanJson(artifacts))
                unassessed(in, a, QStringLiteral("a planfile is opaque and no terraform-plan artifact describes it"));
            break;
        case ArtifactKind::FilePair: break;
        }
        scanArtifact(a, in.dangerousText);
    }
    scanString(meta.title, QStringLiteral("title"), in.dangerousText);
    scanString(meta.intent, QStringLiteral("intent"), in.dangerousText);
    names.removeDuplicates();
    for (const QString &name : std::as_const(names))
        scanString(name, QStringLiteral("file name %1").arg(diff::DangerousText::escapedString(name)),
                   in.dangerousText);
    for (const ChangedResource &c : in.changed)
        scanString(c.address, QStringLiteral("address %1").arg(diff::DangerousText::escapedString(c.address)),
                   in.dangerousText);
    return in;
}

Assessment Assessor::assess(const std::vector<Artifact> &artifacts, const AssessmentMeta &meta,
                            const CatalogInForce *catalog) const
{
    Assessment out = RiskModel(m_config).assess(input(artifacts, meta, catalog));
    out.topologyHash = catalog ? catalog->hash : QByteArray();
    return out;
}

QByteArray defaultPolicyDocument()
{
    QFile file(QStringLiteral(":/holdpoint/policy/default.yaml"));
    if (!file.open(QIODevice::ReadOnly))
        return {}; // a build defect: the resource is embedded in every binary
    return file.readAll();
}

QByteArray defaultPolicyHash()
{
    static const QByteArray hash = Sha256::digest(defaultPolicyDocument()).toHex();
    return hash;
}

} // namespace hp
