#include "plan/attributediff.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

namespace {

// "path: before -> after [change]" per row, with " !" for forces replacement.
QStringList describe(const AttributeDiff &diff)
{
    QStringList out;
    for (const AttributeRow &r : diff.rows) {
        out << u"%1: %2 -> %3 [%4]%5"_s.arg(r.path, r.hasBefore ? r.before : u"-"_s, r.hasAfter ? r.after : u"-"_s,
                                             toString(r.change), r.forcesReplacement ? u" !"_s : QString());
    }
    return out;
}

AttributeDiff diffOf(const Plan &plan, const QString &address, const AttributeDiffOptions &options = {})
{
    return diffAttributes(plan, change(plan, address), options);
}

} // namespace

class TestAttributeDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pathsAreFormattedLikeTerraform_data();
    void pathsAreFormattedLikeTerraform();
    void replacementShowsUnknownsAndWhatForcesIt();
    void cascadedUpdateShowsTheUnknownInput();
    void listsAndMapsAreFlattenedToPaths();
    void createdResourceHasOnlyAddedRows();
    void deletedResourceHasOnlyRemovedRows();
    void unchangedAttributesAreKeptButMarked();
    void longValuesAreShortened();
    void rowLimitTruncates();
};

void TestAttributeDiff::pathsAreFormattedLikeTerraform_data()
{
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QString>("text");
    QTest::newRow("attribute") << QStringList{u"input"_s, u"engine_version"_s} << u"input.engine_version"_s;
    QTest::newRow("map key") << QStringList{u"tags"_s, u"Name"_s} << u"tags[\"Name\"]"_s;
    QTest::newRow("list") << QStringList{u"rules"_s, u"#0"_s, u"port"_s} << u"rules[0].port"_s;
    QTest::newRow("odd key") << QStringList{u"labels"_s, u"app.kubernetes.io/name"_s}
                             << u"labels[\"app.kubernetes.io/name\"]"_s;
    QTest::newRow("quote") << QStringList{u"m"_s, u"a\"b"_s} << u"m[\"a\\\"b\"]"_s;
    QTest::newRow("top-level map key") << QStringList{u"Name"_s} << u"[\"Name\"]"_s;
}

void TestAttributeDiff::pathsAreFormattedLikeTerraform()
{
    QFETCH(QStringList, keys);
    QFETCH(QString, text);
    AttributePath path;
    for (const QString &k : keys)
        path.push_back(k.startsWith(u'#') ? PathStep{QString(), k.mid(1).toLongLong()} : PathStep{k, -1});
    QCOMPARE(formatAttributePath(path), text);
}

void TestAttributeDiff::replacementShowsUnknownsAndWhatForcesIt()
{
    const Plan plan = load(u"replace.plan.json"_s);
    const AttributeDiff diff = diffOf(plan, u"terraform_data.database"_s);
    QVERIFY(diff.action == PlanAction::Replace);
    QCOMPARE(describe(diff),
             QStringList({u"id: \"8b9a3caa-3808-7359-b4ef-6921ee7c92ef\" -> (known after apply) [updated]"_s,
                          u"input.engine_version: \"15.4\" -> \"16.1\" [updated]"_s,
                          u"input.vpc: \"10.0.0.0/16\" -> \"10.0.0.0/16\" [unchanged]"_s,
                          u"output.engine_version: \"15.4\" -> (known after apply) [updated]"_s,
                          u"output.vpc: \"10.0.0.0/16\" -> (known after apply) [updated]"_s,
                          u"triggers_replace[0]: \"15.4\" -> \"16.1\" [updated] !"_s}));
    QCOMPARE(diff.changedRows, 5);
    QVERIFY(diff.rows.front().afterUnknown);
    QCOMPARE(diff.rows.front().after, knownAfterApply());
}

void TestAttributeDiff::cascadedUpdateShowsTheUnknownInput()
{
    const Plan plan = load(u"replace.plan.json"_s);
    QCOMPARE(describe(diffOf(plan, u"terraform_data.api_service"_s)),
             QStringList({u"id: \"6cf7f316-f1fb-6368-bf37-903c83b779ee\" -> \"6cf7f316-f1fb-6368-bf37-903c83b779ee\" [unchanged]"_s,
                          u"input.db_endpoint: \"8b9a3caa-3808-7359-b4ef-6921ee7c92ef\" -> (known after apply) [updated]"_s,
                          u"output.db_endpoint: \"8b9a3caa-3808-7359-b4ef-6921ee7c92ef\" -> (known after apply) [updated]"_s,
                          u"triggers_replace: null -> null [unchanged]"_s}));
}

void TestAttributeDiff::listsAndMapsAreFlattenedToPaths()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QCOMPARE(describe(diffOf(plan, u"aws_security_group.sg"_s)),
             QStringList({u"id: \"sg-1\" -> \"sg-1\" [unchanged]"_s, u"name: \"sg\" -> \"sg\" [unchanged]"_s,
                          u"rules[0].cidr: \"0.0.0.0/0\" -> \"0.0.0.0/0\" [unchanged]"_s,
                          u"rules[0].port: 80 -> 443 [updated]"_s,
                          u"rules[1].cidr: \"10.0.0.0/8\" -> \"10.0.0.0/8\" [unchanged]"_s,
                          u"rules[1].port: 22 -> 22 [unchanged]"_s}));
    const QStringList subnet = describe(diffOf(plan, u"module.net[0].aws_subnet.a[\"blue\"]"_s));
    QVERIFY2(subnet.contains(u"tags[\"Name\"]: \"blue\" -> \"blue-2\" [updated]"_s), qPrintable(subnet.join(u'\n')));
}

void TestAttributeDiff::createdResourceHasOnlyAddedRows()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    QCOMPARE(describe(diffOf(plan, u"aws_instance.web"_s)),
             QStringList({u"ami: - -> \"ami-1\" [added]"_s, u"id: - -> (known after apply) [added]"_s,
                          u"instance_type: - -> \"t3.micro\" [added]"_s,
                          u"tags[\"Name\"]: - -> \"web\" [added]"_s, u"tags.team: - -> \"cost\" [added]"_s}));
}

void TestAttributeDiff::deletedResourceHasOnlyRemovedRows()
{
    const Plan plan = load(u"replace-and-delete.plan.json"_s);
    const AttributeDiff diff = diffOf(plan, u"terraform_data.legacy_cache"_s);
    QVERIFY(!diff.rows.empty());
    for (const AttributeRow &r : diff.rows) {
        QVERIFY(r.change == AttributeChange::Removed);
        QVERIFY(r.hasBefore);
        QVERIFY(!r.hasAfter);
    }
    QCOMPARE(diff.changedRows, int(diff.rows.size()));
}

void TestAttributeDiff::unchangedAttributesAreKeptButMarked()
{
    const Plan plan = load(u"scale-api.plan.json"_s);
    const AttributeDiff diff = diffOf(plan, u"terraform_data.api_service"_s);
    int unchanged = 0;
    QString replicas;
    for (const AttributeRow &r : diff.rows) {
        unchanged += r.isChanged() ? 0 : 1;
        if (r.path == u"input.replicas")
            replicas = r.before + u" -> "_s + r.after;
    }
    QVERIFY(unchanged > 0);
    QVERIFY(diff.changedRows > 0);
    QCOMPARE(unchanged + diff.changedRows, int(diff.rows.size()));
    QCOMPARE(replicas, u"6 -> \"4\""_s);
}

void TestAttributeDiff::longValuesAreShortened()
{
    QByteArray json = readData(u"scale-api.plan.json"_s);
    const QByteArray big(200000, 'x');
    json.replace("\"image\":\"cost-api:7.9.0\"", "\"image\":\"" + big + "\"");
    auto plan = PlanParser().parse(json);
    QVERIFY(plan.ok());
    AttributeDiffOptions options;
    options.maxValueChars = 1000;
    const AttributeDiff diff = diffAttributes(*plan, change(*plan, u"terraform_data.api_service"_s), options);
    bool seen = false;
    for (const AttributeRow &r : diff.rows) {
        if (r.path != u"input.image")
            continue;
        seen = true;
        QVERIFY(r.before.size() < 1100);
        QVERIFY(r.before.contains(u"shortened"));
    }
    QVERIFY(seen);
}

void TestAttributeDiff::rowLimitTruncates()
{
    const Plan plan = load(u"all-actions.plan.json"_s);
    AttributeDiffOptions options;
    options.maxRows = 2;
    const AttributeDiff diff = diffOf(plan, u"aws_security_group.sg"_s, options);
    QCOMPARE(diff.rows.size(), size_t(2));
    QVERIFY(diff.truncated);
}

QTEST_GUILESS_MAIN(TestAttributeDiff)
#include "tst_attributediff.moc"
