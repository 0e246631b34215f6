#include "diff/patchparser.h"
#include "plan/cascade.h"
#include "plan/planparser.h"
#include "risk/riskmodel.h"
#include "topology/catalogreader.h"
#include "topology/changemapping.h"

#include <QFile>
#include <QTest>

using namespace hp;


namespace {

QString dataPath(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/topology/") + name;
}

QByteArray readData(const QString &name)
{
    QFile f(dataPath(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

Topology catalog(const QString &name)
{
    Result<Topology> t = CatalogReader::readFile(dataPath(name));
    if (!t)
        qFatal("%s: %s", qPrintable(name), qPrintable(t.error().message));
    return std::move(*t);
}

// DESIGN §4's worked example setup: cost-explorer.yaml, production declared,
// a registered agent, the plan's cascades.
RiskInput planInput(const QString &planName, bool withCatalog)
{
    Result<Plan> plan = PlanParser().parseFile(dataPath(planName));
    if (!plan)
        qFatal("%s: %s", qPrintable(planName), qPrintable(plan.error().message));
    RiskInput in;
    if (withCatalog)
        in.topology = catalog(QStringLiteral("cost-explorer.yaml"));
    in.catalogInForce = withCatalog;
    in.changed = ChangeMapping::addPlan(in.topology, *plan);
    in.cascades = findCascades(*plan);
    in.declaredEnvironment = QStringLiteral("production");
    return in;
}

QString res(const char *name)
{
    return QStringLiteral("resource:default/") + QLatin1String(name);
}
QString comp(const char *name)
{
    return QStringLiteral("component:default/") + QLatin1String(name);
}

} // namespace

class TstRiskModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workedExampleScores_data();
    void workedExampleScores();
    void recreateBlastRadiusListsDepthsAndBothPaths();
    void recreateChangedContributionsAreListed();
    void destroyEnvironmentFlagsSecurity();
    void kubectlDiffMapsToCatalogAndReachesStorefront();
    void planWithoutCatalogStillHasBlastRadius();
    void envMismatchThroughTargetsMap();
    void envMismatchThroughNodeAnnotation();
    void destructiveCommandIsFlaggedWithLine_data();
    void destructiveCommandIsFlaggedWithLine();
    void massChangeCountsOtherDestructiveChanges();
    void intentMismatchWhenClassAboveDeclared();
    void unmappedResourceIsListedNotDropped();
    void statefulTypeGivesDataLossInStaging();
    void securityTypeFromTable();
    void unregisteredAgentAndDangerousTextAreFlagged();
    void constantsComeFromConfig();
};

void TstRiskModel::workedExampleScores_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<double>("changed");
    QTest::addColumn<double>("impact");
    QTest::addColumn<int>("score");
    QTest::addColumn<Impact>("riskClass");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("recreate-environment")
        << QStringLiteral("recreate-environment.plan.json") << 1.875 << 0.783 << 74 << Impact::Critical
        << QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("CASCADE")};
    QTest::newRow("scale-api") << QStringLiteral("scale-api.plan.json") << 0.35 << 0.5075 << 35 << Impact::Medium
                               << QStringList{};
    QTest::newRow("widen-role") << QStringLiteral("widen-role.plan.json") << 0.875 << 0.5075 << 50 << Impact::High
                                << QStringList{QStringLiteral("SECURITY"), QStringLiteral("CASCADE")};
    QTest::newRow("destroy-environment")
        << QStringLiteral("destroy-environment.plan.json") << 8.5 << 0.7 << 99 << Impact::Critical
        << QStringList{QStringLiteral("DATA_LOSS"), QStringLiteral("SECURITY")};
}

void TstRiskModel::workedExampleScores()
{
    QFETCH(QString, plan);
    QFETCH(double, changed);
    QFETCH(double, impact);
    QFETCH(int, score);
    QFETCH(Impact, riskClass);
    QFETCH(QStringList, flags);
    const Assessment a = RiskModel().assess(planInput(plan, true));
    QVERIFY2(std::abs(a.changedTerm - changed) < 1e-9, qPrintable(QString::number(a.changedTerm, 'g', 17)));
    QVERIFY2(std::abs(a.impactTerm - impact) < 1e-9, qPrintable(QString::number(a.impactTerm, 'g', 17)));
    QCOMPARE(a.score, score);
    QCOMPARE(toString(a.riskClass), toString(riskClass));
    QCOMPARE(a.flagCodes(), flags);
    QCOMPARE(a.effectiveEnvironment, QStringLiteral("production"));
}

void TstRiskModel::recreateBlastRadiusListsDepthsAndBothPaths()
{
    const Assessment a = RiskModel().assess(planInput(QStringLiteral("recreate-environment.plan.json"), true));
    QStringList replaced, updated;
    for (const ChangedContribution &c : a.changed)
        (c.action == PlanAction::Replace ? replaced : updated).append(c.nodeId);
    QCOMPARE(replaced, (QStringList{res("billing-db"), res("report-cache")}));
    QCOMPARE(updated, (QStringList{comp("cost-api"), comp("ingest-worker")}));
    QCOMPARE(a.impacted.size(), size_t(3));

    const ImpactedNode *console = a.impactedNode(comp("cost-console"));
    QVERIFY(console);
    QCOMPARE(console->nearestDepth, 1);
    QCOMPARE(console->nearestPath, (QStringList{comp("cost-console"), comp("cost-api")}));
    QCOMPARE(console->scoringSource, res("billing-db"));
    QCOMPARE(console->scoringDistance, 2);
    QCOMPARE(console->scoringPath, (QStringList{comp("cost-console"), comp("cost-api"), res("billing-db")}));
    QVERIFY(std::abs(console->value - 0.81) < 1e-9);

    const ImpactedNode *exports = a.impactedNode(comp("finance-exports"));
    QVERIFY(exports);
    QCOMPARE(exports->nearestDepth, 1);
    QCOMPARE(exports->scoringSource, res("billing-db"));
    QCOMPARE(exports->scoringDistance, 2);
    QVERIFY(std::abs(exports->value - 0.27) < 1e-9);

    const ImpactedNode *alerts = a.impactedNode(comp("budget-alerts"));
    QVERIFY(alerts);
    QCOMPARE(alerts->nearestDepth, 2);
    QCOMPARE(alerts->nearestPath,
             (QStringList{comp("budget-alerts"), comp("finance-exports"), comp("cost-api")}));
    QCOMPARE(alerts->scoringDistance, 3);
    QCOMPARE(alerts->scoringPath, (QStringList{comp("budget-alerts"), comp("finance-exports"), comp("cost-api"),
                                               res("billing-db")}));
    QVERIFY(std::abs(alerts->value - 0.486) < 1e-9);
    // Sorted by nearest depth, then id.
    QCOMPARE(a.impacted.front().nodeId, comp("cost-console"));
    QCOMPARE(a.impacted.back().nodeId, comp("budget-alerts"));
}

void TstRiskModel::recreateChangedContributionsAreListed()
{
    const Assessment a = RiskModel().assess(planInput(QStringLiteral("recreate-environment.plan.json"), true));
    QCOMPARE(a.changed.size(), size_t(4));
    double sum = 0;
    for (const ChangedContribution &c : a.changed) {
        QVERIFY(std::abs(c.a * c.e * c.t - c.value) < 1e-12);
        sum += c.value;
        if (c.nodeId == res("report-cache")) {
            QCOMPARE(c.a, 0.9);
            QCOMPARE(c.t, 0.5);
            QVERIFY(std::abs(c.value - 0.45) < 1e-9);
        }
    }
    QVERIFY(std::abs(sum - a.changedTerm) < 1e-12);
    const RiskFlag *loss = a.flag(QStringLiteral("DATA_LOSS"));
    QVERIFY(loss);
    QVERIFY(loss->floor == Impact::Critical);
    QVERIFY(loss->evidence.join(u'\n').contains(QStringLiteral("terraform_data.billing_db")));
    QVERIFY(!a.flag(QStringLiteral("CASCADE"))->evidence.isEmpty());
    QCOMPARE(a.topologyHash.size(), 64);
}

void TstRiskModel::destroyEnvironmentFlagsSecurity()
{
    const Assessment a = RiskModel().assess(planInput(QStringLiteral("destroy-environment.plan.json"), true));
    const RiskFlag *sec = a.flag(QStringLiteral("SECURITY"));
    QVERIFY(sec);
    QVERIFY(sec->evidence.join(u'\n').contains(QStringLiteral("terraform_data.service_role")));
    QVERIFY(sec->floor == Impact::High);
    QCOMPARE(a.changed.size(), size_t(9));
    QVERIFY(!a.flag(QStringLiteral("MASS_CHANGE"))); // 9 < 10
    QCOMPARE(a.impacted.size(), size_t(2));
    QVERIFY(std::abs(a.impactedNode(comp("finance-exports"))->value - 0.5) < 1e-9);
    QVERIFY(std::abs(a.impactedNode(comp("budget-alerts"))->value - 0.9) < 1e-9);
}

void TstRiskModel::kubectlDiffMapsToCatalogAndReachesStorefront()
{
    Result<diff::PatchSet> patch = diff::PatchParser::parse(readData(QStringLiteral("checkout-api.diff")));
    QVERIFY2(patch.ok(), patch.ok() ? "" : qPrintable(patch.error().message));
    RiskInput in;
    in.topology = catalog(QStringLiteral("checkout.yaml"));
    in.catalogInForce = true;
    in.changed = ChangeMapping::addKubePatch(in.topology, *patch);
    in.declaredEnvironment = QStringLiteral("production");
    QCOMPARE(in.changed.size(), size_t(2));
    QCOMPARE(in.changed[0].nodeId, comp("checkout-api"));
    QCOMPARE(toString(in.changed[0].action), toString(PlanAction::Update));
    QCOMPARE(in.changed[1].nodeId, res("checkout-flags"));
    QCOMPARE(toString(in.changed[1].action), toString(PlanAction::Delete));
    QVERIFY(in.changed[0].mapped && in.changed[1].mapped);
    const Assessment a = RiskModel().assess(in);
    const ImpactedNode *store = a.impactedNode(comp("storefront"));
    QVERIFY(store);
    QCOMPARE(store->nearestDepth, 1);
    // A patch weighs as an update (DESIGN §4): checkout-api at distance 1 beats checkout-flags at 2.
    QCOMPARE(store->scoringSource, comp("checkout-api"));
    QCOMPARE(store->scoringPath, (QStringList{comp("storefront"), comp("checkout-api")}));
    QVERIFY(std::abs(store->value - 0.35 * 1.0 * 1.5) < 1e-9);
    QCOMPARE(a.changed[1].a, 0.35);
    QVERIFY(std::abs(a.changedTerm - (0.35 + 0.35 * 0.5)) < 1e-9);
    QVERIFY(!a.flag(QStringLiteral("UNMAPPED")));
}

void TstRiskModel::planWithoutCatalogStillHasBlastRadius()
{
    const Assessment a = RiskModel().assess(planInput(QStringLiteral("scale-api.plan.json"), false));
    QCOMPARE(a.changed.size(), size_t(1));
    QCOMPARE(a.changed[0].nodeId, QStringLiteral("terraform:terraform_data.api_service"));
    const ImpactedNode *console = a.impactedNode(QStringLiteral("terraform:terraform_data.console_frontend"));
    QVERIFY(console);
    QCOMPARE(console->nearestDepth, 1);
    QCOMPARE(a.impacted.size(), size_t(1));
    QVERIFY(!a.flag(QStringLiteral("UNMAPPED"))); // no catalog in force
}

void TstRiskModel::envMismatchThroughTargetsMap()
{
    RiskInput in = planInput(QStringLiteral("scale-api.plan.json"), false);
    in.declaredEnvironment = QStringLiteral("staging");
    in.targets = {QStringLiteral("account:prod-42")};
    const Assessment a = RiskModel().assess(in);
    QCOMPARE(a.effectiveEnvironment, QStringLiteral("production"));
    const RiskFlag *f = a.flag(QStringLiteral("ENV_MISMATCH"));
    QVERIFY(f);
    QVERIFY(f->evidence.first().contains(QStringLiteral("account:prod-*")));
    QCOMPARE(toString(a.riskClass), toString(Impact::High));
    in.targets = {QStringLiteral("account:dev-1")};
    QVERIFY(!RiskModel().assess(in).flag(QStringLiteral("ENV_MISMATCH")));
}

void TstRiskModel::envMismatchThroughNodeAnnotation()
{
    Result<diff::PatchSet> patch = diff::PatchParser::parse(readData(QStringLiteral("checkout-api.diff")));
    QVERIFY(patch.ok());
    RiskInput in;
    in.topology = catalog(QStringLiteral("checkout.yaml"));
    in.changed = ChangeMapping::addKubePatch(in.topology, *patch);
    in.declaredEnvironment = QStringLiteral("staging");
    const Assessment a = RiskModel().assess(in);
    QVERIFY(a.flag(QStringLiteral("ENV_MISMATCH")));
    QCOMPARE(a.effectiveEnvironment, QStringLiteral("production"));
}

void TstRiskModel::destructiveCommandIsFlaggedWithLine_data()
{
    QTest::addColumn<QByteArray>("script");
    QTest::addColumn<bool>("destructive");
    QTest::newRow("rm -rf") << QByteArray("ls\nrm -rf /var/lib/data\n") << true;
    QTest::newRow("rm -r -f") << QByteArray("echo hi\nrm -r build\n") << true;
    QTest::newRow("terraform destroy") << QByteArray("terraform destroy -auto-approve\n") << true;
    QTest::newRow("kubectl delete") << QByteArray("kubectl delete ns prod\n") << true;
    QTest::newRow("drop table") << QByteArray("psql -c 'DROP TABLE invoices'\n") << true;
    QTest::newRow("truncate") << QByteArray("psql -c 'truncate table audit'\n") << true;
    QTest::newRow("force push") << QByteArray("git push --force origin main\n") << true;
    QTest::newRow("terminate") << QByteArray("aws ec2 terminate-instances --instance-ids i-1\n") << true;
    QTest::newRow("harmless") << QByteArray("ls -la\ngit push origin main\nrm notes.txt\n") << false;
}

void TstRiskModel::destructiveCommandIsFlaggedWithLine()
{
    QFETCH(QByteArray, script);
    QFETCH(bool, destructive);
    RiskInput in;
    in.declaredEnvironment = QStringLiteral("production");
    in.commands.push_back(CommandArtifact{QStringLiteral("run.sh"), script});
    const Assessment a = RiskModel().assess(in);
    QVERIFY(a.flag(QStringLiteral("UNASSESSED")));
    const RiskFlag *f = a.flag(QStringLiteral("DESTRUCTIVE_COMMAND"));
    QCOMPARE(f != nullptr, destructive);
    QCOMPARE(toString(a.riskClass), toString(destructive ? Impact::Critical : Impact::High));
    if (f)
        QVERIFY(f->evidence.first().startsWith(QStringLiteral("run.sh:")));
}

void TstRiskModel::massChangeCountsOtherDestructiveChanges()
{
    RiskInput in = planInput(QStringLiteral("destroy-environment.plan.json"), true);
    QVERIFY(!RiskModel().assess(in).flag(QStringLiteral("MASS_CHANGE")));
    in.otherDestructiveCount = 1;
    const Assessment a = RiskModel().assess(in);
    const RiskFlag *f = a.flag(QStringLiteral("MASS_CHANGE"));
    QVERIFY(f);
    QVERIFY(f->evidence.first().startsWith(QStringLiteral("10 resources")));
    QVERIFY(f->floor == Impact::Critical);
}

void TstRiskModel::intentMismatchWhenClassAboveDeclared()
{
    RiskInput in = planInput(QStringLiteral("widen-role.plan.json"), true);
    in.declaredImpact = Impact::Low;
    const Assessment a = RiskModel().assess(in);
    QCOMPARE(a.flagCodes().last(), QStringLiteral("INTENT_MISMATCH"));
    in.declaredImpact = Impact::High;
    QVERIFY(!RiskModel().assess(in).flag(QStringLiteral("INTENT_MISMATCH")));
}

void TstRiskModel::unmappedResourceIsListedNotDropped()
{
    RiskInput in = planInput(QStringLiteral("scale-api.plan.json"), false);
    in.topology.merge(catalog(QStringLiteral("checkout.yaml"))); // a catalog that names none of it
    in.catalogInForce = true;
    const Assessment a = RiskModel().assess(in);
    const RiskFlag *f = a.flag(QStringLiteral("UNMAPPED"));
    QVERIFY(f);
    QVERIFY(f->evidence.first().contains(QStringLiteral("terraform_data.api_service")));
    QCOMPARE(a.changed.size(), size_t(1));
}

void TstRiskModel::statefulTypeGivesDataLossInStaging()
{
    RiskInput in;
    in.declaredEnvironment = QStringLiteral("staging");
    in.changed.push_back(ChangedResource{QStringLiteral("aws_db_instance.main"), QStringLiteral("aws_db_instance"),
                                         PlanAction::Delete, {}, QStringLiteral("terraform:aws_db_instance.main"),
                                         false, false});
    in.topology.addNode(TopologyNode{QStringLiteral("terraform:aws_db_instance.main"), QStringLiteral("terraform"),
                                     QStringLiteral("aws_db_instance.main"), {}, {}, {}, {}, 0, false, false, false,
                                     {}, {}, {}});
    const Assessment a = RiskModel().assess(in);
    const RiskFlag *f = a.flag(QStringLiteral("DATA_LOSS"));
    QVERIFY(f);
    QVERIFY(f->floor == Impact::High);
    QCOMPARE(toString(a.riskClass), toString(Impact::High));
}

void TstRiskModel::securityTypeFromTable()
{
    const RiskTables &t = RiskTables::builtin();
    QVERIFY(t.isSecuritySensitive(QStringLiteral("aws_iam_role_policy")));
    QVERIFY(t.isSecuritySensitive(QStringLiteral("google_project_iam_member")));
    QVERIFY(t.isSecuritySensitive(QStringLiteral("azurerm_network_security_rule")));
    QVERIFY(t.isSecuritySensitive(QStringLiteral("k8s:ClusterRoleBinding")));
    QVERIFY(!t.isSecuritySensitive(QStringLiteral("aws_instance")));
    QVERIFY(t.isStateful(QStringLiteral("k8s:PersistentVolumeClaim")));
    QVERIFY(t.isStateful(QStringLiteral("google_sql_database_instance")));
    QVERIFY(t.isStateful(QStringLiteral("azurerm_cosmosdb_sql_container")));
    QVERIFY(!t.isStateful(QStringLiteral("terraform_data")));
}

void TstRiskModel::unregisteredAgentAndDangerousTextAreFlagged()
{
    RiskInput in = planInput(QStringLiteral("scale-api.plan.json"), true);
    in.registeredAgent = false;
    in.dangerousText = {QStringLiteral("title: right-to-left override at offset 4")};
    const Assessment a = RiskModel().assess(in);
    QCOMPARE(a.flagCodes(), (QStringList{QStringLiteral("DANGEROUS_TEXT"), QStringLiteral("UNREGISTERED_AGENT")}));
    QCOMPARE(toString(a.riskClass), toString(Impact::High)); // DANGEROUS_TEXT floor
    QCOMPARE(a.score, 35);               // flags never change the score
}

void TstRiskModel::constantsComeFromConfig()
{
    RiskConfig config;
    config.actionUpdate = 0.7;
    config.divisor = 4;
    const Assessment a = RiskModel(config).assess(planInput(QStringLiteral("scale-api.plan.json"), true));
    QVERIFY(std::abs(a.changedTerm - 0.7) < 1e-9);
    QVERIFY(std::abs(a.impactTerm - 1.015) < 1e-9);
    QCOMPARE(a.score, static_cast<int>(std::lround(100 * (1 - std::exp(-1.715 / 4)))));
}

QTEST_GUILESS_MAIN(TstRiskModel)
#include "tst_riskmodel.moc"
