#include "plan/planparser.h"
#include "plan/planreferences.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

class TestPlanParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realPlansParse_data();
    void realPlansParse();
    void actionArraysAreReadWithTheirOrder_data();
    void actionArraysAreReadWithTheirOrder();
    void actionReasonsAreReadAndUnknownCodesKept();
    void changedResourcesAreManagedAndNeitherNoOpNorRead();
    void movesImportsAndModuleInstancesAreRead();
    void driftAndDeferredChangesAreKeptApart();
    void outputChangesAndVariablesAreRead();
    void configurationIsReadIntoChildModules();
    void priorStateDependsOnIsRead();
    void incompletePlanCarriesWarnings();
    void oldFormatIsAccepted();
    void minorVersionsOfFormatOneAreAccepted();
    void referencesAreParsed_data();
    void referencesAreParsed();
    void configAddressDropsInstanceKeys();
    void dependenciesComeFromConfigurationElsePriorState();
};

void TestPlanParser::realPlansParse_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("resources");
    QTest::addColumn<int>("changed");
    QTest::newRow("recreate") << u"recreate-environment.plan.json"_s << 9 << 4;
    QTest::newRow("destroy") << u"destroy-environment.plan.json"_s << 9 << 9;
    QTest::newRow("scale") << u"scale-api.plan.json"_s << 9 << 1;
    QTest::newRow("widen") << u"widen-role.plan.json"_s << 9 << 3;
    QTest::newRow("replace") << u"replace.plan.json"_s << 3 << 2;
    QTest::newRow("replace-and-delete") << u"replace-and-delete.plan.json"_s << 4 << 3;
    QTest::newRow("rotate") << u"rotate-password.plan.json"_s << 2 << 2;
}

void TestPlanParser::realPlansParse()
{
    QFETCH(QString, file);
    QFETCH(int, resources);
    QFETCH(int, changed);
    const Plan plan = load(file);
    QCOMPARE(plan.formatVersion, u"1.2"_s);
    QCOMPARE(plan.terraformVersion, u"1.11.4"_s);
    QCOMPARE(int(plan.resourceChanges.size()), resources);
    QCOMPARE(int(plan.changedResources().size()), changed);
    QVERIFY(plan.applyable);
    QVERIFY(plan.complete);
    QVERIFY(!plan.errored);
    QVERIFY(plan.warnings.isEmpty());
    QVERIFY(!plan.configuration.resources.empty());
}

void TestPlanParser::actionArraysAreReadWithTheirOrder_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("order");
    QTest::newRow("create") << u"aws_instance.web"_s << u"create"_s << u"create"_s << QString();
    QTest::newRow("update") << u"aws_security_group.sg"_s << u"update"_s << u"update"_s << QString();
    QTest::newRow("delete,create") << u"aws_db_instance.main"_s << u"delete,create"_s << u"replace"_s
                                   << u"destroy, then create"_s;
    QTest::newRow("create,delete") << u"aws_lb.front"_s << u"create,delete"_s << u"replace"_s
                                   << u"create, then destroy"_s;
    QTest::newRow("create,forget") << u"aws_s3_bucket.logs"_s << u"create,forget"_s << u"replace"_s
                                   << u"create, then forget the old object"_s;
    QTest::newRow("delete") << u"aws_sqs_queue.old"_s << u"delete"_s << u"delete"_s << QString();
    QTest::newRow("read") << u"data.aws_ami.base"_s << u"read"_s << u"read"_s << QString();
    QTest::newRow("no-op") << u"aws_iam_role.keep"_s << u"no-op"_s << u"no-op"_s << QString();
    QTest::newRow("forget") << u"aws_route53_record.legacy"_s << u"forget"_s << u"forget"_s << QString();
}

void TestPlanParser::actionArraysAreReadWithTheirOrder()
{
    QFETCH(QString, address);
    QFETCH(QString, written);
    QFETCH(QString, action);
    QFETCH(QString, order);
    const Plan plan = load(u"all-actions.plan.json"_s);
    const PlanResourceChange &rc = change(plan, address);
    QCOMPARE(rc.actions.join(u','), written);
    QCOMPARE(toString(rc.action), action);
    QCOMPARE(toString(rc.replaceOrder), order);
}

void TestPlanParser::actionReasonsAreReadAndUnknownCodesKept()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    const PlanResourceChange &db = change(plan, u"aws_db_instance.main"_s);
    QCOMPARE(toString(db.reason), u"replace_because_cannot_update"_s);
    QCOMPARE(describeActionReason(db.reason), u"a changed attribute forces replacement"_s);
    QCOMPARE(db.replacePaths.size(), size_t(1));
    QCOMPARE(formatAttributePath(db.replacePaths.front()), u"engine_version"_s);
    QCOMPARE(toString(change(plan, u"aws_lb.front"_s).reason), u"replace_by_request"_s);
    QCOMPARE(toString(change(plan, u"aws_sqs_queue.old"_s).reason), u"delete_because_no_resource_config"_s);
    QCOMPARE(toString(change(plan, u"data.aws_ami.base"_s).reason), u"read_because_config_unknown"_s);
    const PlanResourceChange &subnet = change(plan, u"module.net[0].aws_subnet.a[\"blue\"]"_s);
    QVERIFY(subnet.reason == ActionReason::Unspecified);
    QCOMPARE(subnet.reasonCode, u"replace_because_of_cosmic_rays"_s);
    QCOMPARE(change(plan, u"aws_instance.web"_s).reasonCode, QString());
}

void TestPlanParser::changedResourcesAreManagedAndNeitherNoOpNorRead()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QStringList changed;
    for (int i : plan.changedResources())
        changed << plan.resourceChanges[size_t(i)].address;
    QCOMPARE(changed, QStringList({u"aws_instance.web"_s, u"aws_security_group.sg"_s, u"aws_db_instance.main"_s,
                                   u"aws_lb.front"_s, u"aws_s3_bucket.logs"_s, u"aws_sqs_queue.old"_s,
                                   u"aws_route53_record.legacy"_s, u"module.net[0].aws_subnet.a[\"blue\"]"_s}));
    QCOMPARE(change(plan, u"data.aws_ami.base"_s).mode, ResourceMode::Data);
}

void TestPlanParser::movesImportsAndModuleInstancesAreRead()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    const PlanResourceChange &moved = change(plan, u"aws_iam_role.keep"_s);
    QVERIFY(moved.isMoved());
    QCOMPARE(moved.previousAddress, u"aws_iam_role.old_name"_s);
    const PlanResourceChange &imported = change(plan, u"aws_instance.imported"_s);
    QVERIFY(imported.importing);
    QCOMPARE(imported.importId, u"i-0abc"_s);
    QVERIFY(imported.hasGeneratedConfig);
    QVERIFY(!change(plan, u"aws_instance.web"_s).importing);
    const PlanResourceChange &subnet = change(plan, u"module.net[0].aws_subnet.a[\"blue\"]"_s);
    QCOMPARE(subnet.moduleAddress, u"module.net[0]"_s);
    QCOMPARE(subnet.index, u"\"blue\""_s);
    QCOMPARE(subnet.type, u"aws_subnet"_s);
    QCOMPARE(subnet.name, u"a"_s);
    QCOMPARE(subnet.providerName, u"registry.terraform.io/hashicorp/aws"_s);
}

void TestPlanParser::driftAndDeferredChangesAreKeptApart()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QCOMPARE(plan.resourceDrift.size(), size_t(1));
    QCOMPARE(plan.resourceDrift.front().address, u"aws_iam_role.keep"_s);
    QVERIFY(plan.resourceDrift.front().set == ChangeSet::Drift);
    QCOMPARE(plan.deferredChanges.size(), size_t(1));
    const PlanResourceChange &later = plan.deferredChanges.front();
    QCOMPARE(later.address, u"aws_instance.later[0]"_s);
    QCOMPARE(later.deferredReason, u"instance_count_unknown"_s);
    QCOMPARE(later.index, u"0"_s);
    QVERIFY(later.set == ChangeSet::Deferred);
    QCOMPARE(plan.findResourceChange(u"aws_instance.later[0]"_s), -1);
}

void TestPlanParser::outputChangesAndVariablesAreRead()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QCOMPARE(plan.outputChanges.size(), size_t(1));
    const PlanOutputChange &out = plan.outputChanges.front();
    QCOMPARE(out.name, u"endpoint"_s);
    QCOMPARE(toString(out.action), u"create"_s);
    QVERIFY(!out.hasBefore);
    QCOMPARE(out.after, u"\"db-1.example\""_s);
    QVERIFY(!out.sensitive);
    QCOMPARE(plan.variables.size(), size_t(2));
    QCOMPARE(plan.variables[0].name, u"region"_s);
    QCOMPARE(plan.variables[0].value, u"\"eu-west-1\""_s);
    QCOMPARE(plan.variables[1].value, u"[\"blue\"]"_s);
}

void TestPlanParser::configurationIsReadIntoChildModules()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    const PlanConfiguration &config = plan.configuration;
    QCOMPARE(config.resources.size(), size_t(6));
    const ConfigResource *web = config.findResource(u"aws_instance.web"_s);
    QVERIFY(web);
    QCOMPARE(web->dependsOn, QStringList({u"aws_security_group.sg"_s, u"module.net"_s}));
    QStringList expressions;
    for (const ConfigExpression &e : web->expressions)
        expressions << formatAttributePath(e.attribute) + u'=' + e.references.join(u' ');
    QCOMPARE(expressions, QStringList({u"ami=data.aws_ami.base.id data.aws_ami.base"_s,
                                       u"network_interface[0].subnet_id=module.net.subnet_id"_s}));
    QCOMPARE(config.findResource(u"aws_db_instance.main"_s)->metaReferences, QStringList{u"var.zones"_s});
    const ConfigResource *subnet = config.findResource(u"module.net.aws_subnet.a"_s);
    QVERIFY(subnet);
    QCOMPARE(subnet->modulePath, u"module.net"_s);
    QCOMPARE(subnet->expressions.front().references, QStringList({u"aws_vpc.this.id"_s, u"aws_vpc.this"_s}));
    QCOMPARE(config.findResource(u"data.aws_ami.base"_s)->mode, ResourceMode::Data);
    const ConfigModuleCall *net = config.findModuleCall(u"module.net"_s);
    QVERIFY(net);
    QCOMPARE(net->source, u"./net"_s);
    QVERIFY(config.findOutput(u"module.net"_s, u"subnet_id"_s));
    QCOMPARE(config.findOutput(QString(), u"endpoint"_s)->references.size(), 2);
    QCOMPARE(config.variables.size(), size_t(3));
    QCOMPARE(config.variables[0].defaultValue, u"\"eu-west-1\""_s);
}

void TestPlanParser::priorStateDependsOnIsRead()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QCOMPARE(plan.priorDependsOn.value(u"aws_sqs_queue.old"_s), QStringList{u"aws_security_group.sg"_s});
    QCOMPARE(plan.priorDependsOn.value(u"module.net[0].aws_subnet.a[\"blue\"]"_s),
             QStringList{u"module.net.aws_vpc.this"_s});
    const Plan replace = load(u"replace.plan.json"_s);
    QCOMPARE(replace.priorDependsOn.value(u"terraform_data.api_service"_s),
             QStringList({u"terraform_data.database"_s, u"terraform_data.vpc"_s}));
}

void TestPlanParser::incompletePlanCarriesWarnings()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QVERIFY(!plan.complete);
    QVERIFY(plan.applyable);
    QCOMPARE(plan.warnings.size(), 2);
    QVERIFY(plan.warnings[0].contains(u"complete = false"));
    QVERIFY(plan.warnings[1].contains(u"1 change is deferred"));
}

void TestPlanParser::oldFormatIsAccepted()
{
    const Plan plan = load(u"format-0.1.plan.json"_s);
    QCOMPARE(plan.formatVersion, u"0.1"_s);
    QVERIFY(plan.applyable && plan.complete && !plan.errored);
    QCOMPARE(plan.resourceChanges.size(), size_t(1));
    QVERIFY(plan.resourceChanges.front().replaceOrder == ReplaceOrder::DestroyThenCreate);
    QVERIFY(plan.configuration.resources.empty());
}

void TestPlanParser::minorVersionsOfFormatOneAreAccepted()
{
    QByteArray json = readData(u"scale-api.plan.json"_s);
    json.replace("\"format_version\":\"1.2\"", "\"format_version\":\"1.99\"");
    auto plan = PlanParser().parse(json);
    QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().message));
    QCOMPARE(plan->formatVersion, u"1.99"_s);
}

void TestPlanParser::referencesAreParsed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("resource");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("attribute");
    const int res = int(ParsedReference::Kind::Resource);
    const int mod = int(ParsedReference::Kind::ModuleOutput);
    const int other = int(ParsedReference::Kind::Other);
    QTest::newRow("attribute") << u"terraform_data.database.id"_s << res << u"terraform_data.database"_s << QString() << u"id"_s;
    QTest::newRow("whole") << u"terraform_data.database"_s << res << u"terraform_data.database"_s << QString() << QString();
    QTest::newRow("nested") << u"terraform_data.vpc.output.cidr"_s << res << u"terraform_data.vpc"_s << QString() << u"output.cidr"_s;
    QTest::newRow("count") << u"aws_instance.web[0].id"_s << res << u"aws_instance.web"_s << u"[0]"_s << u"id"_s;
    QTest::newRow("each") << u"aws_subnet.a[\"blue\"].id"_s << res << u"aws_subnet.a"_s << u"[\"blue\"]"_s << u"id"_s;
    QTest::newRow("list") << u"aws_lb.x.rules[2].port"_s << res << u"aws_lb.x"_s << QString() << u"rules[2].port"_s;
    QTest::newRow("data") << u"data.aws_ami.base.id"_s << res << u"data.aws_ami.base"_s << QString() << u"id"_s;
    QTest::newRow("module") << u"module.net.subnet_id"_s << mod << QString() << QString() << QString();
    QTest::newRow("var") << u"var.region"_s << other << QString() << QString() << QString();
    QTest::newRow("local") << u"local.tags"_s << other << QString() << QString() << QString();
}

void TestPlanParser::referencesAreParsed()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, resource);
    QFETCH(QString, key);
    QFETCH(QString, attribute);
    const auto ref = parseReference(text);
    QVERIFY(ref);
    QCOMPARE(int(ref->kind), kind);
    QCOMPARE(ref->resource, resource);
    QCOMPARE(ref->instanceKey, key);
    QCOMPARE(formatAttributePath(ref->attribute), attribute);
    QVERIFY(!parseReference(u"not a reference"));
    QVERIFY(!parseReference(u""));
}

void TestPlanParser::configAddressDropsInstanceKeys()
{
    QCOMPARE(configAddressOf(u"module.a[0].module.b[\"x.y]\"].aws_s3_bucket.logs[3]"),
             u"module.a.module.b.aws_s3_bucket.logs"_s);
    QCOMPARE(configAddressOf(u"terraform_data.vpc"), u"terraform_data.vpc"_s);
}

void TestPlanParser::dependenciesComeFromConfigurationElsePriorState()
{
    const Plan recreate = load(u"recreate-environment.plan.json"_s);
    const auto deps = resourceDependencies(recreate);
    QCOMPARE(deps.value(u"terraform_data.api_service"_s),
             QStringList({u"terraform_data.billing_db"_s, u"terraform_data.report_cache"_s,
                          u"terraform_data.service_role"_s}));
    QCOMPARE(deps.value(u"terraform_data.ingest_worker"_s),
             QStringList({u"terraform_data.billing_db"_s, u"terraform_data.service_role"_s}));
    QCOMPARE(deps.value(u"terraform_data.vpc"_s), QStringList());

    const Plan all = load(u"all-actions.plan.json"_s);
    const auto allDeps = resourceDependencies(all);
    // No configuration block: prior_state depends_on.
    QCOMPARE(allDeps.value(u"aws_sqs_queue.old"_s), QStringList{u"aws_security_group.sg"_s});
    // Data sources are not dependencies; a module output and depends_on on a
    // module lead into the module's resources.
    QCOMPARE(allDeps.value(u"aws_instance.web"_s),
             QStringList({u"module.net.aws_subnet.a"_s, u"aws_security_group.sg"_s, u"module.net.aws_vpc.this"_s}));
    QCOMPARE(allDeps.value(u"module.net[0].aws_subnet.a[\"blue\"]"_s), QStringList{u"module.net.aws_vpc.this"_s});
}

QTEST_GUILESS_MAIN(TestPlanParser)
#include "tst_planparser.moc"
