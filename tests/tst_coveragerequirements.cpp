#include "plan/cascade.h"
#include "plan/planparser.h"
#include "review/coveragerequirements.h"
#include "risk/riskmodel.h"
#include "storage/store.h"
#include "topology/catalogreader.h"
#include "topology/changemapping.h"

#include <QFile>
#include <QTest>

using namespace hp;

namespace {

QByteArray readData(const QString &relative)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/") + relative);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(relative));
    return f.readAll();
}

Artifact artifact(ArtifactKind kind, const QString &name, std::vector<QByteArray> parts)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    a.parts = std::move(parts);
    return a;
}

} // namespace

class TstCoverageRequirements : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyHunkOfEveryFileInPatchOrder();
    void filePairHunksComeFromTheComputedDiff();
    void destructivePlanResourcesOnly();
    void impactedNodesOfTheAssessment();
    void unparseableArtifactsAddNothing();
};

void TstCoverageRequirements::everyHunkOfEveryFileInPatchOrder()
{
    const std::vector<Artifact> artifacts{
        artifact(ArtifactKind::Command, QStringLiteral("run.sh"), {QByteArray("echo hi\n")}),
        artifact(ArtifactKind::UnifiedDiff, QStringLiteral("p.diff"), {readData(QStringLiteral("diff/diff-u-N.patch"))}),
    };
    // added.txt (1 hunk), numbers.txt (1 hunk), removed.txt (1 hunk); the command adds nothing.
    QCOMPARE(requiredCoverage(artifacts, nullptr),
             QStringList({coverage::hunkKey(1, 0, 0), coverage::hunkKey(1, 1, 0), coverage::hunkKey(1, 2, 0)}));
}

void TstCoverageRequirements::filePairHunksComeFromTheComputedDiff()
{
    QByteArray before;
    for (int i = 1; i <= 40; ++i)
        before += "line " + QByteArray::number(i) + '\n';
    QByteArray after = before;
    after.replace("line 2\n", "line two\n").replace("line 35\n", "line thirty-five\n");
    const std::vector<Artifact> artifacts{artifact(ArtifactKind::FilePair, QStringLiteral("a.txt"), {before, after}),
                                          artifact(ArtifactKind::FilePair, QStringLiteral("new.txt"), {{}, after})};
    // Two edits 33 lines apart are two hunks; a new file is one.
    QCOMPARE(requiredCoverage(artifacts, nullptr),
             QStringList({coverage::hunkKey(0, 0, 0), coverage::hunkKey(0, 0, 1), coverage::hunkKey(1, 0, 0)}));
}

void TstCoverageRequirements::destructivePlanResourcesOnly()
{
    const std::vector<Artifact> artifacts{artifact(ArtifactKind::TerraformPlan, QStringLiteral("plan.json"),
                                                   {readData(QStringLiteral("topology/recreate-environment.plan.json"))})};
    const QStringList keys = requiredCoverage(artifacts, nullptr);
    // Two replacements; the two forced updates are not destructive.
    QCOMPARE(keys.size(), 2);
    for (const QString &k : keys)
        QVERIFY2(k.startsWith(QStringLiteral("resource:0:")), qPrintable(k));
    QVERIFY(keys.join(u' ').contains(QStringLiteral("billing")));
}

void TstCoverageRequirements::impactedNodesOfTheAssessment()
{
    Result<Topology> topology = CatalogReader::readFile(QStringLiteral(HP_TEST_DATA "/topology/cost-explorer.yaml"));
    QVERIFY(topology.ok());
    Result<Plan> plan = PlanParser().parse(readData(QStringLiteral("topology/recreate-environment.plan.json")));
    QVERIFY(plan.ok());
    RiskInput in;
    in.topology = *topology;
    in.catalogInForce = true;
    in.changed = ChangeMapping::addPlan(in.topology, *plan);
    in.cascades = findCascades(*plan);
    in.declaredEnvironment = QStringLiteral("production");
    const Assessment a = RiskModel().assess(in);
    QVERIFY(!a.impacted.empty());
    const QStringList keys = requiredCoverage({}, &a);
    QCOMPARE(keys.size(), static_cast<qsizetype>(a.impacted.size()));
    QVERIFY(keys.contains(coverage::nodeKey(QStringLiteral("component:default/cost-console"))));
}

void TstCoverageRequirements::unparseableArtifactsAddNothing()
{
    const std::vector<Artifact> artifacts{
        artifact(ArtifactKind::TerraformPlan, QStringLiteral("plan.json"), {QByteArray("{not json")}),
        artifact(ArtifactKind::UnifiedDiff, QStringLiteral("p.diff"), {QByteArray("@@ -1 +1 @@\n")}),
    };
    QVERIFY(requiredCoverage(artifacts, nullptr).isEmpty());
}

QTEST_GUILESS_MAIN(TstCoverageRequirements)
#include "tst_coveragerequirements.moc"
