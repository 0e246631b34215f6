#include "plan/attributediff.h"
#include "plan/plansummary.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

namespace {

// A minimal valid plan around one resource change whose parts are given.
QByteArray planWith(const QByteArray &address, const QByteArray &after, const QByteArray &extra = {})
{
    return "{\"format_version\":\"1.2\",\"resource_changes\":[{\"address\":" + address
         + ",\"mode\":\"managed\",\"type\":\"t\",\"name\":\"n\",\"change\":{\"actions\":[\"create\"],\"before\":null,"
           "\"after\":" + after + ",\"after_unknown\":{}}}]" + extra + "}";
}

Error parseError(const QByteArray &json)
{
    auto plan = PlanParser().parse(json);
    if (plan.ok())
        return Error{ExitCode::Ok, u"parsed"_s, u"unexpectedly parsed"_s, QString()};
    return plan.error();
}

} // namespace

class TestPlanHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void truncatedJsonIsRefusedWithPosition();
    void hundredThousandNestedArraysAreRefused();
    void deepButReasonableNestingIsAccepted();
    void hugeStringValueIsAcceptedAndShownShortened();
    void hugeAddressIsRefused();
    void duplicateKeysAreRefusedWithPath_data();
    void duplicateKeysAreRefusedWithPath();
    void wrongTypesNameThePath_data();
    void wrongTypesNameThePath();
    void erroredPlanParsesWithWarning();
    void formatTwoIsRefused();
    void invalidUtf8IsRefused();
};

void TestPlanHostile::truncatedJsonIsRefusedWithPosition()
{
    const QByteArray full = readData(u"recreate-environment.plan.json"_s);
    const Error e = parseError(full.left(full.size() / 2));
    QCOMPARE(e.code, ExitCode::Usage);
    QCOMPARE(e.reason, u"invalid_json"_s);
    QVERIFY2(e.message.contains(u"line"), qPrintable(e.message));
}

void TestPlanHostile::hundredThousandNestedArraysAreRefused()
{
    const int n = 100000;
    const QByteArray nested = QByteArray(n, '[') + QByteArray(n, ']');
    for (const QByteArray &json : {nested, planWith("\"t.n\"", "{\"x\":" + nested + "}")}) {
        const Error e = parseError(json);
        QCOMPARE(e.code, ExitCode::Usage);
        QCOMPARE(e.reason, u"too_deep"_s);
    }
}

void TestPlanHostile::deepButReasonableNestingIsAccepted()
{
    const int n = 400;
    const QByteArray deep = QByteArray(n, '[') + "\"leaf\"" + QByteArray(n, ']');
    auto plan = PlanParser().parse(planWith("\"t.n\"", "{\"x\":" + deep + "}"));
    QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().message));
    const AttributeDiff diff = diffAttributes(*plan, plan->resourceChanges.front());
    QCOMPARE(diff.rows.size(), size_t(1));
    QVERIFY(diff.rows.front().path.endsWith(u"[0][0]"));
    QCOMPARE(diff.rows.front().after, u"\"leaf\""_s);
}

void TestPlanHostile::hugeStringValueIsAcceptedAndShownShortened()
{
    const QByteArray big(60 << 20, 'a');
    auto plan = PlanParser().parse(planWith("\"t.n\"", "{\"blob\":\"" + big + "\"}"));
    QVERIFY2(plan.ok(), plan.ok() ? "" : qPrintable(plan.error().message));
    QCOMPARE(summarizePlan(*plan).line, u"1 created"_s);
    const AttributeDiff diff = diffAttributes(*plan, plan->resourceChanges.front());
    QCOMPARE(diff.rows.size(), size_t(1));
    QVERIFY(diff.rows.front().after.size() < 70 * 1024);
    QVERIFY(diff.rows.front().after.contains(u"shortened"));
}

void TestPlanHostile::hugeAddressIsRefused()
{
    const QByteArray big(60 << 20, 'a');
    const Error e = parseError(planWith("\"" + big + "\"", "{}"));
    QCOMPARE(e.code, ExitCode::Usage);
    QCOMPARE(e.reason, u"too_large"_s);
    QCOMPARE(e.path, u"$.resource_changes[0].address"_s);
    QVERIFY(e.message.size() < 500);
}

void TestPlanHostile::duplicateKeysAreRefusedWithPath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::newRow("top level") << QByteArray("{\"format_version\":\"1.2\",\"format_version\":\"1.2\"}")
                               << u"$.format_version"_s;
    QTest::newRow("in a value") << planWith("\"t.n\"", "{\"tags\":{\"Name\":\"a\",\"Name\":\"b\"}}")
                                << u"$.resource_changes[0].change.after.tags.Name"_s;
}

void TestPlanHostile::duplicateKeysAreRefusedWithPath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    const Error e = parseError(json);
    QCOMPARE(e.reason, u"duplicate_key"_s);
    QCOMPARE(e.path, path);
    QVERIFY(e.message.startsWith(path));
}

void TestPlanHostile::wrongTypesNameThePath_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("path");
    const QByteArray rc = "\"address\":\"t.n\",\"mode\":\"managed\",\"type\":\"t\",\"name\":\"n\"";
    auto plan = [](const QByteArray &body) { return "{\"format_version\":\"1.2\"," + body + "}"; };
    QTest::newRow("root") << QByteArray("[]") << u"wrong_type"_s << u"$"_s;
    QTest::newRow("resource_changes") << plan("\"resource_changes\":{}") << u"wrong_type"_s << u"$.resource_changes"_s;
    QTest::newRow("actions") << plan("\"resource_changes\":[{" + rc + ",\"change\":{\"actions\":\"create\"}}]")
                             << u"wrong_type"_s << u"$.resource_changes[0].change.actions"_s;
    QTest::newRow("unknown action") << plan("\"resource_changes\":[{" + rc + ",\"change\":{\"actions\":[\"delete\",\"read\"]}}]")
                                    << u"invalid_value"_s << u"$.resource_changes[0].change.actions"_s;
    QTest::newRow("address") << planWith("7", "{}") << u"wrong_type"_s << u"$.resource_changes[0].address"_s;
    QTest::newRow("mode") << plan("\"resource_changes\":[{\"address\":\"t.n\",\"mode\":\"weird\",\"type\":\"t\","
                                  "\"name\":\"n\",\"change\":{\"actions\":[\"create\"]}}]")
                          << u"invalid_value"_s << u"$.resource_changes[0].mode"_s;
    QTest::newRow("missing change") << plan("\"resource_changes\":[{" + rc + "}]") << u"missing_key"_s
                                    << u"$.resource_changes[0]"_s;
    QTest::newRow("replace_paths") << plan("\"resource_changes\":[{" + rc
                                           + ",\"change\":{\"actions\":[\"update\"],\"replace_paths\":[[true]]}}]")
                                   << u"wrong_type"_s << u"$.resource_changes[0].change.replace_paths[0][0]"_s;
    QTest::newRow("mask") << plan("\"resource_changes\":[{" + rc
                                  + ",\"change\":{\"actions\":[\"update\"],\"after_sensitive\":{\"a\":\"yes\"}}}]")
                          << u"wrong_type"_s << u"$.resource_changes[0].change.after_sensitive.a"_s;
    QTest::newRow("errored") << plan("\"errored\":\"true\"") << u"wrong_type"_s << u"$.errored"_s;
    QTest::newRow("variables") << plan("\"variables\":[]") << u"wrong_type"_s << u"$.variables"_s;
    QTest::newRow("references") << plan("\"configuration\":{\"root_module\":{\"resources\":[{\"address\":\"t.n\","
                                        "\"expressions\":{\"input\":{\"references\":\"t.m.id\"}}}]}}")
                                << u"wrong_type"_s
                                << u"$.configuration.root_module.resources[0].expressions.input.references"_s;
    QTest::newRow("sensitive") << plan("\"configuration\":{\"root_module\":{\"variables\":{\"p\":{\"sensitive\":1}}}}")
                               << u"wrong_type"_s << u"$.configuration.root_module.variables.p.sensitive"_s;
    QTest::newRow("depends_on") << plan("\"prior_state\":{\"values\":{\"root_module\":{\"resources\":[{\"address\":"
                                        "\"t.n\",\"depends_on\":[1]}]}}}")
                                << u"wrong_type"_s << u"$.prior_state.values.root_module.resources[0].depends_on[0]"_s;
    QTest::newRow("missing format") << QByteArray("{}") << u"missing_key"_s << u"$"_s;
}

void TestPlanHostile::wrongTypesNameThePath()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    QFETCH(QString, path);
    const Error e = parseError(json);
    QCOMPARE(e.code, ExitCode::Usage);
    QCOMPARE(e.reason, reason);
    QCOMPARE(e.path, path);
    QVERIFY2(e.message.startsWith(path + u':'), qPrintable(e.message));
}

void TestPlanHostile::erroredPlanParsesWithWarning()
{
    QByteArray json = readData(u"recreate-environment.plan.json"_s);
    QVERIFY(json.contains("\"errored\":false"));
    json.replace("\"errored\":false", "\"errored\":true");
    auto plan = PlanParser().parse(json);
    QVERIFY(plan.ok());
    QVERIFY(plan->errored);
    QCOMPARE(plan->warnings.size(), 1);
    QVERIFY(plan->warnings.front().contains(u"errored = true"));
    const PlanSummary summary = summarizePlan(*plan);
    QCOMPARE(summary.warnings, plan->warnings);
    QCOMPARE(summary.line, u"2 replaced (destroy, then create), 2 updated"_s);
}

void TestPlanHostile::formatTwoIsRefused()
{
    QByteArray json = readData(u"scale-api.plan.json"_s);
    json.replace("\"format_version\":\"1.2\"", "\"format_version\":\"2.0\"");
    const Error e = parseError(json);
    QCOMPARE(e.code, ExitCode::Usage);
    QCOMPARE(e.reason, u"unsupported_version"_s);
    QCOMPARE(e.path, u"$.format_version"_s);
    QVERIFY(e.message.contains(u"2.0"));
    QCOMPARE(parseError("{\"format_version\":\"one\"}").reason, u"invalid_value"_s);
}

void TestPlanHostile::invalidUtf8IsRefused()
{
    const Error e = parseError(planWith("\"t.\xff\"", "{}"));
    QCOMPARE(e.reason, u"invalid_utf8"_s);
}

QTEST_GUILESS_MAIN(TestPlanHostile)
#include "tst_planhostile.moc"
