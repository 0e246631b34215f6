#include "plan/attributediff.h"
#include "plan/planreferences.h"
#include "plan/plansummary.h"
#include "plan/sensitivity.h"
#include "plantestsupport.h"

#include <QTest>

using namespace hp;
using namespace hp::plantest;
using namespace Qt::Literals::StringLiterals;

namespace {

void dumpChange(const Plan &plan, const PlanResourceChange &rc, QStringList &out)
{
    out << rc.address << rc.previousAddress << rc.moduleAddress << rc.type << rc.name << rc.index
        << rc.providerName << rc.deposed << rc.actions << rc.reasonCode << rc.importId << rc.deferredReason;
    for (const AttributePath &p : rc.replacePaths)
        out << formatAttributePath(p);
    const AttributeDiff diff = diffAttributes(plan, rc);
    for (const AttributeRow &r : diff.rows)
        out << r.path << r.before << r.after;
}

void dumpConfiguration(const PlanConfiguration &config, QStringList &out)
{
    for (const ConfigResource &r : config.resources) {
        out << r.address << r.modulePath << r.type << r.name << r.metaReferences << r.dependsOn;
        for (const ConfigExpression &e : r.expressions)
            out << formatAttributePath(e.attribute) << e.references;
    }
    for (const ConfigVariable &v : config.variables)
        out << v.modulePath << v.name << v.defaultValue;
    for (const ConfigOutput &o : config.outputs)
        out << o.modulePath << o.name << o.references;
    for (const ConfigModuleCall &c : config.moduleCalls) {
        out << c.modulePath << c.name << c.source << c.metaReferences << c.dependsOn;
        for (const ConfigExpression &e : c.expressions)
            out << formatAttributePath(e.attribute) << e.references;
    }
}

// Every string the plan API hands out for this plan, in one text.
QString dumpEverything(const Plan &plan)
{
    QStringList out;
    out << plan.formatVersion << plan.terraformVersion << plan.timestamp << plan.warnings;
    for (const auto *list : {&plan.resourceChanges, &plan.resourceDrift, &plan.deferredChanges}) {
        for (const PlanResourceChange &rc : *list)
            dumpChange(plan, rc, out);
    }
    for (const PlanOutputChange &o : plan.outputChanges)
        out << o.name << o.actions << o.before << o.after;
    for (const PlanVariable &v : plan.variables)
        out << v.name << v.value;
    dumpConfiguration(plan.configuration, out);
    for (auto it = plan.priorDependsOn.cbegin(); it != plan.priorDependsOn.cend(); ++it)
        out << it.key() << it.value();
    const PlanSummary summary = summarizePlan(plan);
    out << summary.line << summary.warnings;
    for (const SummaryEntry &e : summary.entries)
        out << e.address << e.forcedBy << e.reasonCode << e.reasonText << e.why << e.previousAddress;
    for (const CascadeLink &c : summary.cascades)
        out << c.describe() << c.reference;
    const auto deps = resourceDependencies(plan);
    for (auto it = deps.cbegin(); it != deps.cend(); ++it)
        out << it.key() << it.value();
    return out.join(u'\n');
}

QString rowText(const Plan &plan, const QString &address, const QString &path)
{
    for (const AttributeRow &r : diffAttributes(plan, change(plan, address)).rows) {
        if (r.path == path)
            return r.before + u" -> "_s + r.after + (r.isChanged() ? u" [changed]"_s : u" [same]"_s);
    }
    return u"(no row)"_s;
}

} // namespace

class TestPlanSensitivity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void redactorMasksWholeValuesAndOccurrences();
    void shortSecretsAreMaskedOnlyAsWholeValues();
    void escapedSpellingsAreMasked();
    void emptyAndMergedRedactors();
    void noSecretLeavesThePlanApi_data();
    void noSecretLeavesThePlanApi();
    void rawPlanTextIsRedactable_data();
    void rawPlanTextIsRedactable();
    void rotatedPasswordShowsAsChangedSensitiveValue();
    void unmaskedCopiesAreMaskedToo();
    void sensitiveVariablesAndOutputsAreMasked();
    void secretsInNamesAreMasked();
};

void TestPlanSensitivity::redactorMasksWholeValuesAndOccurrences()
{
    const Redactor r = Redactor::fromSecrets({u"hunter22"_s, u"hunter22-long"_s});
    QCOMPARE(r.secretCount(), 2);
    QCOMPARE(r.redact(u"hunter22"), Redactor::mask());
    QCOMPARE(r.redact(u"password=hunter22; again hunter22-long."),
             u"password=(sensitive); again (sensitive)."_s);
    QVERIFY(r.isSecret(u"hunter22"));
    QVERIFY(!r.isSecret(u"hunter2"));
    QVERIFY(r.containsSecret(u"xhunter22x"));
    QVERIFY(!r.containsSecret(u"nothing here"));
    QCOMPARE(r.redactUtf8("log: hunter22\n"), QByteArray("log: (sensitive)\n"));
    QCOMPARE(r.redact(QStringList{u"a hunter22"_s, u"b"_s}), QStringList({u"a (sensitive)"_s, u"b"_s}));
}

void TestPlanSensitivity::shortSecretsAreMaskedOnlyAsWholeValues()
{
    const Redactor r = Redactor::fromSecrets({u"ab"_s});
    QCOMPARE(r.redact(u"ab"), Redactor::mask());
    QCOMPARE(r.redact(u"abc-ab"), u"abc-ab"_s);
}

void TestPlanSensitivity::escapedSpellingsAreMasked()
{
    const Redactor r = Redactor::fromSecrets({u"p<a>\"ss&word"_s});
    QCOMPARE(r.redact(u"{\"v\":\"p\\u003ca\\u003e\\\"ss\\u0026word\"}"), u"{\"v\":\"(sensitive)\"}"_s);
    QCOMPARE(r.redact(u"{\"v\":\"p<a>\\\"ss&word\"}"), u"{\"v\":\"(sensitive)\"}"_s);
    QCOMPARE(r.redact(u"raw p<a>\"ss&word"), u"raw (sensitive)"_s);
}

void TestPlanSensitivity::emptyAndMergedRedactors()
{
    const Redactor none;
    QVERIFY(none.isEmpty());
    QCOMPARE(none.redact(u"anything"), u"anything"_s);
    QVERIFY(Redactor::fromSecrets({QString()}).isEmpty());
    const Redactor both = Redactor::fromSecrets({u"first-secret"_s}).merged(Redactor::fromSecrets({u"second-secret"_s}));
    QCOMPARE(both.secretCount(), 2);
    QCOMPARE(both.redact(u"first-secret second-secret"), u"(sensitive) (sensitive)"_s);
}

void TestPlanSensitivity::noSecretLeavesThePlanApi_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("secrets");
    QTest::newRow("rotate-password") << u"rotate-password.plan.json"_s
                                     << QStringList{u"initial-Secret-1"_s, u"rotated-Secret-2"_s};
    QTest::newRow("sensitive-everywhere")
        << u"sensitive-everywhere.plan.json"_s
        << QStringList{u"tree-Secret-5"_s,    u"a-Secret-In-List"_s,      u"rotated-Tree-Secret-6"_s,
                       u"918273"_s,           u"918274"_s,                u"value-Secret-8"_s,
                       u"default-Secret-7"_s, u"output-Secret-4"_s,       u"config-output-Secret-6"_s,
                       u"module-Secret-3"_s,  u"planned-Secret-10"_s,     u"state-Secret-11"_s,
                       u"state-Secret-12"_s};
}

void TestPlanSensitivity::noSecretLeavesThePlanApi()
{
    QFETCH(QString, file);
    QFETCH(QStringList, secrets);
    const Plan plan = load(file);
    const QString everything = dumpEverything(plan);
    QVERIFY(everything.contains(Redactor::mask()));
    for (const QString &secret : secrets)
        QVERIFY2(!everything.contains(secret), qPrintable(u"%1 leaks"_s.arg(secret)));
}

void TestPlanSensitivity::rawPlanTextIsRedactable_data()
{
    noSecretLeavesThePlanApi_data();
}

void TestPlanSensitivity::rawPlanTextIsRedactable()
{
    QFETCH(QString, file);
    QFETCH(QStringList, secrets);
    const QByteArray raw = readData(file);
    const Plan plan = load(file);
    const QByteArray redacted = plan.redactor.redactUtf8(raw);
    QVERIFY(redacted.contains("(sensitive)"));
    for (const QString &secret : secrets)
        QVERIFY2(!redacted.contains(secret.toUtf8()), qPrintable(u"%1 survives redaction"_s.arg(secret)));
}

void TestPlanSensitivity::rotatedPasswordShowsAsChangedSensitiveValue()
{
    const Plan plan = load(u"rotate-password.plan.json"_s);
    QCOMPARE(rowText(plan, u"terraform_data.billing_db"_s, u"input.admin_password"_s),
             u"(sensitive) -> (sensitive) [changed]"_s);
    QCOMPARE(rowText(plan, u"terraform_data.api_service"_s, u"input.db_password"_s),
             u"(sensitive) -> (sensitive) [changed]"_s);
    QCOMPARE(rowText(plan, u"terraform_data.billing_db"_s, u"input.admin_user"_s),
             u"\"billing_admin\" -> \"billing_admin\" [same]"_s);
    // Terraform left this copy unmasked; the redactor masks it all the same.
    QCOMPARE(rowText(plan, u"terraform_data.billing_db"_s, u"output.admin_password"_s),
             u"(sensitive) -> (known after apply) [changed]"_s);
    for (const AttributeRow &r : diffAttributes(plan, change(plan, u"terraform_data.billing_db"_s)).rows) {
        if (r.path.endsWith(u"admin_password"))
            QVERIFY(r.sensitive);
    }
}

void TestPlanSensitivity::unmaskedCopiesAreMaskedToo()
{
    const Plan plan = load(u"sensitive-everywhere.plan.json"_s);
    const QString app = u"terraform_data.app"_s;
    QCOMPARE(rowText(plan, app, u"credentials"_s), u"(sensitive) -> (sensitive) [changed]"_s);
    QCOMPARE(rowText(plan, app, u"pin"_s), u"(sensitive) -> (sensitive) [changed]"_s);
    QCOMPARE(rowText(plan, app, u"code"_s), u"(sensitive) -> (sensitive) [same]"_s);
    QCOMPARE(rowText(plan, app, u"tags.copy"_s), u"(sensitive) -> (sensitive) [same]"_s);
    QCOMPARE(rowText(plan, app, u"tags.port"_s), u"(sensitive) -> (sensitive) [same]"_s);
    QCOMPARE(rowText(plan, app, u"tags.label"_s), u"\"abc-ab\" -> \"abc-ab\" [same]"_s);
    QCOMPARE(rowText(plan, app, u"connection"_s),
             u"\"postgres://admin:(sensitive)@db.internal:5432/app\" -> "
             u"\"postgres://admin:(sensitive)@db.internal:5432/app\" [same]"_s);
}

void TestPlanSensitivity::sensitiveVariablesAndOutputsAreMasked()
{
    const Plan plan = load(u"sensitive-everywhere.plan.json"_s);
    QCOMPARE(plan.variables[0].name, u"db_password"_s);
    QVERIFY(plan.variables[0].sensitive);
    QCOMPARE(plan.variables[0].value, Redactor::mask());
    QCOMPARE(plan.variables[1].value, u"\"eu-west-1\""_s);
    QCOMPARE(plan.configuration.variables[0].defaultValue, Redactor::mask());
    QCOMPARE(plan.outputChanges.size(), size_t(3));
    QCOMPARE(plan.outputChanges[0].name, u"admin_token"_s);
    QVERIFY(plan.outputChanges[0].sensitive);
    QCOMPARE(plan.outputChanges[0].before, Redactor::mask());
    QCOMPARE(plan.outputChanges[1].name, u"declared_secret"_s);
    QVERIFY(plan.outputChanges[1].sensitive);
    QCOMPARE(plan.outputChanges[1].after, Redactor::mask());
    QVERIFY(!plan.outputChanges[2].sensitive);
    QCOMPARE(plan.outputChanges[2].after, u"\"eu-west-1\""_s);
}

void TestPlanSensitivity::secretsInNamesAreMasked()
{
    // A for_each key equal to a sensitive variable's value.
    const Plan plan = load(u"sensitive-everywhere.plan.json"_s);
    QCOMPARE(plan.resourceChanges.size(), size_t(2));
    QCOMPARE(plan.resourceChanges[1].address, u"terraform_data.by_key[\"(sensitive)\"]"_s);
    QCOMPARE(plan.resourceChanges[1].index, u"\"(sensitive)\""_s);
}

QTEST_GUILESS_MAIN(TestPlanSensitivity)
#include "tst_plansensitivity.moc"
