#include "risk/assessmentjson.h"
#include "risk/assessor.h"
#include "topology/catalogreader.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

#include <cmath>

using namespace hp;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/topology/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

CatalogInForce catalog(const QString &name)
{
    Result<Topology> t = CatalogReader::read(readData(name), name);
    if (!t)
        qFatal("%s: %s", qPrintable(name), qPrintable(t.error().message));
    const QByteArray hash = t->hash();
    return CatalogInForce{std::move(*t), hash};
}

Artifact artifact(ArtifactKind kind, const QString &name, const QByteArray &content)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    a.parts = {content};
    return a;
}

// DESIGN §4's worked example: declared production, a registered agent.
AssessmentMeta productionMeta()
{
    AssessmentMeta meta;
    meta.title = QStringLiteral("Apply the cost-explorer plan");
    meta.intent = QStringLiteral("keep the environment in line with main");
    meta.environment = QStringLiteral("production");
    return meta;
}

Assessment assessPlan(const QString &plan, const CatalogInForce *in)
{
    return Assessor().assess({artifact(ArtifactKind::TerraformPlan, plan, readData(plan))}, productionMeta(), in);
}

QString comp(const char *name)
{
    return QStringLiteral("component:default/") + QLatin1String(name);
}
QString res(const char *name)
{
    return QStringLiteral("resource:default/") + QLatin1String(name);
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-9;
}

} // namespace

class TstAssessor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workedExampleFromRawPlans_data();
    void workedExampleFromRawPlans();
    void recreateListsReplacedUpdatedAndImpacted();
    void kubectlDiffArtifactMapsToCheckoutAndReachesStorefront();
    void manifestArtifactChangesItsObjectsAndAddsEdges();
    void commandFileIsDestructiveAndUnassessed();
    void bidiInIntentIsDangerousText();
    void bidiInArtifactNameAndPatchPathIsDangerousText();
    void escapedBidiInPlanJsonIsDangerousText();
    void unparseablePlanIsUnassessedNotAnError();
    void planfileAloneIsUnassessed();
    void targetMapRaisesEnvironment();
    void jsonRoundTripIsLossless_data();
    void jsonRoundTripIsLossless();
    void malformedJsonIsRefusedNamingTheKey();
    void defaultPolicyHashIsTheDocumentsSha256();
};

void TstAssessor::workedExampleFromRawPlans_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<double>("changed");
    QTest::addColumn<double>("impact");
    QTest::addColumn<int>("score");
    QTest::addColumn<QString>("riskClass");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("recreate-environment") << QStringLiteral("recreate-environment.plan.json") << 1.875 << 0.783
                                          << 74 << QStringLiteral("critical")
                                          << QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")};
    QTest::newRow("scale-api") << QStringLiteral("scale-api.plan.json") << 0.35 << 0.5075 << 35
                               << QStringLiteral("medium") << QStringList{};
    QTest::newRow("widen-role") << QStringLiteral("widen-role.plan.json") << 0.875 << 0.5075 << 50
                                << QStringLiteral("high")
                                << QStringList{QStringLiteral("SECURITY"), QStringLiteral("CASCADE")};
    QTest::newRow("destroy-environment") << QStringLiteral("destroy-environment.plan.json") << 8.5 << 0.7 << 99
                                         << QStringLiteral("critical")
                                         << QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("SECURITY")};
}

void TstAssessor::workedExampleFromRawPlans()
{
    QFETCH(QString, plan);
    QFETCH(double, changed);
    QFETCH(double, impact);
    QFETCH(int, score);
    QFETCH(QString, riskClass);
    QFETCH(QStringList, flags);
    const CatalogInForce cost = catalog(QStringLiteral("cost-explorer.yaml"));
    const Assessment a = assessPlan(plan, &cost);
    QVERIFY2(near(a.changedTerm, changed), qPrintable(QString::number(a.changedTerm, 'g', 17)));
    QVERIFY2(near(a.impactTerm, impact), qPrintable(QString::number(a.impactTerm, 'g', 17)));
    QCOMPARE(a.score, score);
    QCOMPARE(toString(a.riskClass), riskClass);
    QCOMPARE(a.flagCodes(), flags);
    QCOMPARE(a.effectiveEnvironment, QStringLiteral("production"));
    QCOMPARE(a.topologyHash, cost.hash);
}

void TstAssessor::recreateListsReplacedUpdatedAndImpacted()
{
    const CatalogInForce cost = catalog(QStringLiteral("cost-explorer.yaml"));
    const Assessment a = assessPlan(QStringLiteral("recreate-environment.plan.json"), &cost);
    QStringList replaced, updated;
    for (const ChangedContribution &c : a.changed)
        (c.action == PlanAction::Replace ? replaced : updated).append(c.nodeId);
    QCOMPARE(replaced, (QStringList{res("billing-db"), res("report-cache")}));
    QCOMPARE(updated, (QStringList{comp("cost-api"), comp("ingest-worker")}));
    const ImpactedNode *console = a.impactedNode(comp("cost-console"));
    QVERIFY(console);
    QCOMPARE(console->nearestDepth, 1);
    QCOMPARE(console->scoringSource, res("billing-db"));
    QCOMPARE(console->scoringPath, (QStringList{comp("cost-console"), comp("cost-api"), res("billing-db")}));
    const ImpactedNode *alerts = a.impactedNode(comp("budget-alerts"));
    QVERIFY(alerts);
    QCOMPARE(alerts->nearestDepth, 2);
    QCOMPARE(alerts->scoringDistance, 3);
    QVERIFY(a.impactedNode(comp("finance-exports")));
}

void TstAssessor::kubectlDiffArtifactMapsToCheckoutAndReachesStorefront()
{
    const CatalogInForce checkout = catalog(QStringLiteral("checkout.yaml"));
    const Assessment a = Assessor().assess(
        {artifact(ArtifactKind::UnifiedDiff, QStringLiteral("checkout-api.diff"), readData(QStringLiteral("checkout-api.diff")))},
        productionMeta(), &checkout);
    QCOMPARE(a.changed.size(), size_t(2));
    QCOMPARE(a.changed[0].nodeId, comp("checkout-api"));
    QCOMPARE(a.changed[1].nodeId, res("checkout-flags"));
    const ImpactedNode *store = a.impactedNode(comp("storefront"));
    QVERIFY(store);
    QCOMPARE(store->scoringSource, comp("checkout-api"));
    QVERIFY(near(store->value, 0.35 * 1.5));
    QVERIFY(!a.flag(QStringLiteral("UNMAPPED")));
    QVERIFY(!a.flag(QStringLiteral("UNASSESSED")));
}

void TstAssessor::manifestArtifactChangesItsObjectsAndAddsEdges()
{
    const CatalogInForce checkout = catalog(QStringLiteral("checkout.yaml"));
    const RiskInput in = Assessor().input({artifact(ArtifactKind::K8sManifest, QStringLiteral("checkout.yaml"),
                                                    readData(QStringLiteral("checkout-manifests.yaml")))},
                                          productionMeta(), &checkout);
    QVERIFY(in.unassessed.isEmpty());
    QVERIFY(in.topology.edges().size() > checkout.topology.edges().size());
    QStringList nodes;
    for (const ChangedResource &c : in.changed) {
        QVERIFY(c.kubernetes && c.fromPatch);
        QCOMPARE(toString(c.action), toString(PlanAction::Update));
        nodes.append(c.nodeId);
    }
    QVERIFY2(nodes.contains(comp("checkout-api")), qPrintable(nodes.join(u' ')));
    // The Deployment's ReplicaSet is its own node, depending on the Deployment.
    QVERIFY(nodes.contains(QStringLiteral("k8s:ReplicaSet/prod/checkout-api-7d9f")));
}

void TstAssessor::commandFileIsDestructiveAndUnassessed()
{
    const Assessment a = Assessor().assess({artifact(ArtifactKind::Command, QStringLiteral("purge.sh"),
                                                     readData(QStringLiteral("purge-report-snapshots.sh")))},
                                           productionMeta(), nullptr);
    const RiskFlag *destructive = a.flag(QStringLiteral("DESTRUCTIVE_COMMAND"));
    QVERIFY(destructive);
    QVERIFY(destructive->evidence.first().startsWith(QStringLiteral("purge.sh:7:")));
    QVERIFY(a.flag(QStringLiteral("UNASSESSED")));
    QCOMPARE(toString(a.riskClass), QStringLiteral("critical"));
    QCOMPARE(a.score, 0); // flags raise the class, never the score
}

void TstAssessor::bidiInIntentIsDangerousText()
{
    AssessmentMeta meta = productionMeta();
    meta.intent = QStringLiteral("scale the api ") + QChar(0x202E) + QStringLiteral("enod");
    const CatalogInForce cost = catalog(QStringLiteral("cost-explorer.yaml"));
    const Assessment a = Assessor().assess(
        {artifact(ArtifactKind::TerraformPlan, QStringLiteral("scale-api.plan.json"), readData(QStringLiteral("scale-api.plan.json")))},
        meta, &cost);
    const RiskFlag *f = a.flag(QStringLiteral("DANGEROUS_TEXT"));
    QVERIFY(f);
    QCOMPARE(f->evidence.size(), 1);
    QVERIFY2(f->evidence.first().startsWith(QStringLiteral("intent: ")), qPrintable(f->evidence.first()));
    QVERIFY(f->evidence.first().contains(QStringLiteral("<U+202E>")));
    QVERIFY(f->evidence.first().contains(QStringLiteral("at byte 14")));
    QCOMPARE(a.score, 35);
    QCOMPARE(toString(a.riskClass), QStringLiteral("high"));
}

void TstAssessor::bidiInArtifactNameAndPatchPathIsDangerousText()
{
    const QByteArray rlo("\xE2\x80\xAE");
    const QByteArray patch = "--- a/ok" + rlo + ".txt\n+++ b/ok" + rlo + ".txt\n@@ -1 +1 @@\n-a\n+b\n";
    const Assessment a = Assessor().assess(
        {artifact(ArtifactKind::UnifiedDiff, QStringLiteral("fix") + QChar(0x202E) + QStringLiteral(".patch"), patch)},
        productionMeta(), nullptr);
    const RiskFlag *f = a.flag(QStringLiteral("DANGEROUS_TEXT"));
    QVERIFY(f);
    const QString all = f->evidence.join(u'\n');
    QVERIFY2(all.contains(QStringLiteral("name of unified-diff artifact fix<U+202E>.patch")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("(2 dangerous characters in all)")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("file name a/ok<U+202E>.txt")), qPrintable(all));
}

void TstAssessor::escapedBidiInPlanJsonIsDangerousText()
{
    QByteArray plan = readData(QStringLiteral("scale-api.plan.json"));
    // An escaped RLO, and an escaped backslash before "u202e" (plain text).
    plan.replace(R"("role_policy":{"value":"read-only"})", R"("role_policy":{"value":"read\u202e-only"})");
    plan.replace(R"("env_generation":{"value":"g1"})", R"("env_generation":{"value":"g1\\u202e"})");
    const Assessment a = Assessor().assess({artifact(ArtifactKind::TerraformPlan, QStringLiteral("p.json"), plan)},
                                           productionMeta(), nullptr);
    QVERIFY(!a.flag(QStringLiteral("UNASSESSED"))); // still a valid plan
    const RiskFlag *f = a.flag(QStringLiteral("DANGEROUS_TEXT"));
    QVERIFY(f);
    QCOMPARE(f->evidence.size(), 1);
    QVERIFY2(f->evidence.first().contains(QStringLiteral("<U+202E> as a JSON escape")), qPrintable(f->evidence.first()));
    QVERIFY(!f->evidence.first().contains(QStringLiteral("in all")));
}

void TstAssessor::unparseablePlanIsUnassessedNotAnError()
{
    const Assessment a = Assessor().assess(
        {artifact(ArtifactKind::TerraformPlan, QStringLiteral("broken.plan.json"), QByteArrayLiteral("{\"format_version\": "))},
        productionMeta(), nullptr);
    const RiskFlag *f = a.flag(QStringLiteral("UNASSESSED"));
    QVERIFY(f);
    QCOMPARE(f->evidence.size(), 1);
    QVERIFY2(f->evidence.first().startsWith(QStringLiteral("terraform-plan artifact broken.plan.json cannot be assessed: ")),
             qPrintable(f->evidence.first()));
    QVERIFY(f->floor == Impact::High);
    QVERIFY(a.changed.empty());
}

void TstAssessor::planfileAloneIsUnassessed()
{
    const Artifact planfile = artifact(ArtifactKind::TerraformPlanfile, QStringLiteral("tfplan"), QByteArray("PK\x03\x04\xff", 5));
    const Assessment alone = Assessor().assess({planfile}, productionMeta(), nullptr);
    QVERIFY(alone.flag(QStringLiteral("UNASSESSED")));
    QVERIFY(!alone.flag(QStringLiteral("DANGEROUS_TEXT"))); // opaque bytes are not scanned
    const Assessment described = Assessor().assess(
        {planfile, artifact(ArtifactKind::TerraformPlan, QStringLiteral("scale-api.plan.json"),
                            readData(QStringLiteral("scale-api.plan.json")))},
        productionMeta(), nullptr);
    QVERIFY(!described.flag(QStringLiteral("UNASSESSED")));
    QCOMPARE(described.changed.size(), size_t(1));
}

void TstAssessor::targetMapRaisesEnvironment()
{
    AssessmentMeta meta = productionMeta();
    meta.environment = QStringLiteral("staging");
    meta.target = QStringLiteral("account:prod-7");
    const Assessment b = Assessor().assess(
        {artifact(ArtifactKind::TerraformPlan, QStringLiteral("scale-api.plan.json"), readData(QStringLiteral("scale-api.plan.json")))},
        meta, nullptr);
    QVERIFY(b.flag(QStringLiteral("ENV_MISMATCH")));
    QCOMPARE(b.effectiveEnvironment, QStringLiteral("production"));
}

void TstAssessor::jsonRoundTripIsLossless_data()
{
    QTest::addColumn<QString>("plan");
    for (const char *p : {"recreate-environment", "scale-api", "widen-role", "destroy-environment"})
        QTest::newRow(p) << QLatin1String(p) + QStringLiteral(".plan.json");
}

void TstAssessor::jsonRoundTripIsLossless()
{
    QFETCH(QString, plan);
    const CatalogInForce cost = catalog(QStringLiteral("cost-explorer.yaml"));
    const Assessment a = assessPlan(plan, &cost);
    Result<Assessment> back = assessmentFromBytes(assessmentBytes(a));
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
    const Assessment &b = *back;
    QCOMPARE(b.changedTerm, a.changedTerm); // exact: shortest round-trip form
    QCOMPARE(b.impactTerm, a.impactTerm);
    QCOMPARE(b.score, a.score);
    QCOMPARE(toString(b.scoreClass), toString(a.scoreClass));
    QCOMPARE(toString(b.riskClass), toString(a.riskClass));
    QCOMPARE(b.effectiveEnvironment, a.effectiveEnvironment);
    QCOMPARE(b.changedNodes, a.changedNodes);
    QCOMPARE(b.topologyHash, a.topologyHash);
    QCOMPARE(b.changed.size(), a.changed.size());
    for (size_t i = 0; i < a.changed.size(); ++i) {
        const ChangedContribution &x = a.changed[i], &y = b.changed[i];
        QCOMPARE(y.address, x.address);
        QCOMPARE(y.type, x.type);
        QCOMPARE(toString(y.action), toString(x.action));
        QCOMPARE(y.nodeId, x.nodeId);
        QCOMPARE(y.environment, x.environment);
        QVERIFY(near(y.a, x.a) && near(y.e, x.e) && near(y.t, x.t) && near(y.value, x.value));
    }
    QCOMPARE(b.impacted.size(), a.impacted.size());
    for (size_t i = 0; i < a.impacted.size(); ++i) {
        const ImpactedNode &x = a.impacted[i], &y = b.impacted[i];
        QCOMPARE(y.nodeId, x.nodeId);
        QCOMPARE(y.nearestDepth, x.nearestDepth);
        QCOMPARE(y.nearestPath, x.nearestPath);
        QCOMPARE(y.scoringSource, x.scoringSource);
        QCOMPARE(y.scoringDistance, x.scoringDistance);
        QCOMPARE(y.scoringPath, x.scoringPath);
        QCOMPARE(y.environment, x.environment);
        QVERIFY(near(y.a, x.a) && near(y.decay, x.decay) && near(y.e, x.e) && near(y.t, x.t));
        QCOMPARE(y.value, x.value);
    }
    QCOMPARE(b.flagCodes(), a.flagCodes());
    for (size_t i = 0; i < a.flags.size(); ++i) {
        QCOMPARE(b.flags[i].evidence, a.flags[i].evidence);
        QCOMPARE(b.flags[i].floor.has_value(), a.flags[i].floor.has_value());
        if (a.flags[i].floor)
            QCOMPARE(toString(*b.flags[i].floor), toString(*a.flags[i].floor));
    }
    QCOMPARE(assessmentBytes(b), assessmentBytes(a));
}

void TstAssessor::malformedJsonIsRefusedNamingTheKey()
{
    const CatalogInForce cost = catalog(QStringLiteral("cost-explorer.yaml"));
    QJsonObject json = assessmentToJson(assessPlan(QStringLiteral("scale-api.plan.json"), &cost));
    QJsonArray impacted = json.value(QStringLiteral("impacted")).toArray();
    QJsonObject first = impacted.at(0).toObject();
    first.insert(QStringLiteral("nearest_depth"), QStringLiteral("one"));
    impacted.replace(0, first);
    json.insert(QStringLiteral("impacted"), impacted);
    Result<Assessment> bad = assessmentFromJson(json);
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().reason, QStringLiteral("bad_assessment"));
    QCOMPARE(bad.error().path, QStringLiteral("impacted[0].nearest_depth"));
    json.remove(QStringLiteral("score"));
    QVERIFY(!assessmentFromJson(json).ok());
    QVERIFY(!assessmentFromBytes(QByteArrayLiteral("[1, 2")).ok());
}

void TstAssessor::defaultPolicyHashIsTheDocumentsSha256()
{
    const QByteArray doc = defaultPolicyDocument();
    QVERIFY(doc.startsWith("version: 1"));
    QVERIFY(doc.contains("DATA_LOSS: {production: critical, other: high}"));
    QCOMPARE(defaultPolicyHash().size(), 64);
    QFile file(QStringLiteral(HP_TEST_DATA "/../../resources/policy/default.yaml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), doc);
}

QTEST_GUILESS_MAIN(TstAssessor)
#include "tst_assessor.moc"
