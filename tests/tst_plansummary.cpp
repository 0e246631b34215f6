#include "plan/plansummary.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

class TestPlanSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void summaryLineNamesReplacements_data();
    void summaryLineNamesReplacements();
    void recreateEnvironmentShowsBothReplacementsAndWhy();
    void destroyEnvironmentCountsNineDeleted();
    void scaleApiIsOneInPlaceUpdate();
    void deleteOfRemovedConfigurationSaysSo();
    void destructiveChangesComeFirst();
    void everyActionIsCountedApart();
    void mixedReplaceOrdersAreSpelledOut();
    void updateForcedByCascadeSaysByWhat();
    void statefulTypesAreRecognised_data();
    void statefulTypesAreRecognised();
};

void TestPlanSummary::summaryLineNamesReplacements_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("line");
    QTest::newRow("recreate") << u"recreate-environment.plan.json"_s << u"2 replaced (destroy, then create), 2 updated"_s;
    QTest::newRow("destroy") << u"destroy-environment.plan.json"_s << u"9 deleted"_s;
    QTest::newRow("scale") << u"scale-api.plan.json"_s << u"1 updated"_s;
    QTest::newRow("widen") << u"widen-role.plan.json"_s << u"3 updated"_s;
    QTest::newRow("replace") << u"replace.plan.json"_s << u"1 replaced (destroy, then create), 1 updated"_s;
    QTest::newRow("replace-and-delete") << u"replace-and-delete.plan.json"_s
                                        << u"1 replaced (destroy, then create), 1 deleted, 1 updated"_s;
    QTest::newRow("rotate") << u"rotate-password.plan.json"_s << u"2 updated"_s;
}

void TestPlanSummary::summaryLineNamesReplacements()
{
    QFETCH(QString, file);
    QFETCH(QString, line);
    const PlanSummary s = summarizePlan(load(file));
    QCOMPARE(s.line, line);
    QVERIFY(!s.line.contains(u"to add"));
    QVERIFY(!s.line.contains(u"to destroy"));
}

void TestPlanSummary::recreateEnvironmentShowsBothReplacementsAndWhy()
{
    const PlanSummary s = summarizePlan(load(u"recreate-environment.plan.json"_s));
    QCOMPARE(s.counts.replace, 2);
    QCOMPARE(s.counts.replaceDestroyFirst, 2);
    QCOMPARE(s.counts.update, 2);
    QCOMPARE(s.counts.create, 0);
    QCOMPARE(s.counts.destroy, 0);
    QCOMPARE(s.counts.destructive(), 2);
    QCOMPARE(s.entries.size(), size_t(4));
    for (int i = 0; i < 2; ++i) {
        const SummaryEntry &e = s.entries[size_t(i)];
        QCOMPARE(toString(e.action), u"replace"_s);
        QCOMPARE(e.forcedBy, QStringList{u"triggers_replace"_s});
        QCOMPARE(e.reasonCode, u"replace_because_cannot_update"_s);
        QCOMPARE(e.reasonText, u"a changed attribute forces replacement"_s);
        QCOMPARE(e.why, u"destroy, then create; forced by triggers_replace; a changed attribute forces replacement"_s);
    }
    QCOMPARE(s.entries[0].address, u"terraform_data.billing_db"_s);
    QCOMPARE(s.entries[1].address, u"terraform_data.report_cache"_s);
    QCOMPARE(s.entries[2].address, u"terraform_data.api_service"_s);
    QCOMPARE(s.entries[3].address, u"terraform_data.ingest_worker"_s);
}

void TestPlanSummary::destroyEnvironmentCountsNineDeleted()
{
    const PlanSummary s = summarizePlan(load(u"destroy-environment.plan.json"_s));
    QCOMPARE(s.counts.destroy, 9);
    QCOMPARE(s.counts.replace, 0);
    QCOMPARE(s.counts.destructive(), 9);
    QCOMPARE(s.entries.size(), size_t(9));
    for (const SummaryEntry &e : s.entries) {
        QCOMPARE(toString(e.action), u"delete"_s);
        QVERIFY(e.why.contains(u"gives no reason"));
    }
}

void TestPlanSummary::scaleApiIsOneInPlaceUpdate()
{
    const PlanSummary s = summarizePlan(load(u"scale-api.plan.json"_s));
    QCOMPARE(s.counts.changed(), 1);
    QCOMPARE(s.counts.update, 1);
    QCOMPARE(s.counts.noOp, 8);
    QCOMPARE(s.entries.size(), size_t(1));
    QCOMPARE(s.entries[0].address, u"terraform_data.api_service"_s);
    QCOMPARE(toString(s.entries[0].action), u"update"_s);
    QVERIFY(s.cascades.empty());
}

void TestPlanSummary::deleteOfRemovedConfigurationSaysSo()
{
    const PlanSummary s = summarizePlan(load(u"replace-and-delete.plan.json"_s));
    QCOMPARE(s.entries[0].address, u"terraform_data.legacy_cache"_s);
    QCOMPARE(toString(s.entries[0].action), u"delete"_s);
    QCOMPARE(s.entries[0].reasonCode, u"delete_because_no_resource_config"_s);
    QCOMPARE(s.entries[0].reasonText, u"its configuration was removed"_s);
    QCOMPARE(s.entries[0].why, u"its configuration was removed"_s);
}

void TestPlanSummary::destructiveChangesComeFirst()
{
    const PlanSummary s = summarizePlan(load(u"all-actions.plan.json"_s));
    QStringList actions;
    for (const SummaryEntry &e : s.entries)
        actions << toString(e.action);
    QCOMPARE(actions, QStringList({u"delete"_s, u"replace"_s, u"replace"_s, u"replace"_s, u"update"_s, u"update"_s,
                                   u"create"_s, u"forget"_s, u"read"_s}));
}

void TestPlanSummary::everyActionIsCountedApart()
{
    const PlanSummary s = summarizePlan(load(u"all-actions.plan.json"_s));
    QCOMPARE(s.counts.create, 1);
    QCOMPARE(s.counts.update, 2);
    QCOMPARE(s.counts.replace, 3);
    QCOMPARE(s.counts.destroy, 1);
    QCOMPARE(s.counts.forget, 1);
    QCOMPARE(s.counts.read, 1);
    QCOMPARE(s.counts.moved, 1);
    QCOMPARE(s.counts.imported, 1);
    QCOMPARE(s.counts.deferred, 1);
    QCOMPARE(s.line, u"3 replaced (1 destroy, then create; 1 create, then destroy; 1 create, then forget the old "
                     u"object), 1 deleted, 2 updated, 1 created, 1 forgotten (removed from state, not destroyed), "
                     u"1 read, 1 moved, 1 imported, 1 deferred"_s);
    QCOMPARE(s.warnings, load(u"all-actions.plan.json"_s).warnings);
}

void TestPlanSummary::mixedReplaceOrdersAreSpelledOut()
{
    PlanCounts c;
    c.replace = 3;
    c.replaceDestroyFirst = 2;
    c.replaceCreateFirst = 1;
    QCOMPARE(summaryLine(c), u"3 replaced (2 destroy, then create; 1 create, then destroy)"_s);
    QCOMPARE(summaryLine(PlanCounts{}), u"no changes"_s);
}

void TestPlanSummary::updateForcedByCascadeSaysByWhat()
{
    const PlanSummary s = summarizePlan(load(u"replace.plan.json"_s));
    QCOMPARE(s.entries.size(), size_t(2));
    QCOMPARE(s.entries[1].address, u"terraform_data.api_service"_s);
    QCOMPARE(s.entries[1].why, u"forced by terraform_data.database.id (replace)"_s);
    QCOMPARE(s.cascades.size(), size_t(1));
}

void TestPlanSummary::statefulTypesAreRecognised_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("stateful");
    QTest::newRow("rds") << u"aws_db_instance"_s << true;
    QTest::newRow("s3") << u"aws_s3_bucket"_s << true;
    QTest::newRow("ebs") << u"aws_ebs_volume"_s << true;
    QTest::newRow("dynamo") << u"aws_dynamodb_table"_s << true;
    QTest::newRow("gcs") << u"google_storage_bucket"_s << true;
    QTest::newRow("cloudsql") << u"google_sql_database_instance"_s << true;
    QTest::newRow("pvc") << u"kubernetes_persistent_volume_claim"_s << true;
    QTest::newRow("sts") << u"kubernetes_stateful_set_v1"_s << true;
    QTest::newRow("instance") << u"aws_instance"_s << false;
    QTest::newRow("role") << u"aws_iam_role"_s << false;
    QTest::newRow("terraform_data") << u"terraform_data"_s << false;
}

void TestPlanSummary::statefulTypesAreRecognised()
{
    QFETCH(QString, type);
    QFETCH(bool, stateful);
    QCOMPARE(isStatefulType(type), stateful);
}

QTEST_GUILESS_MAIN(TestPlanSummary)
#include "tst_plansummary.moc"
