// holdpointctl and Terraform plans (issue 4 item 5), run as a real process on
// temporary stores: submit prints the summary line that never hides a
// replacement, show (text and --json) lists every changed resource with its
// action and reason, sensitive values never appear, and a plan that does not
// parse is stored as received with a warning.
#include "ctlfixture.h"
#include "domain/identity.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

using hp::test::CtlRun;

namespace {

QString planData(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/plan/") + name;
}

} // namespace

class TestCliPlan : public QObject, public hp::test::CtlFixture
{
    Q_OBJECT

    // Submits one terraform-plan file; the run (text or --json).
    CtlRun submitPlan(const QString &path, bool json) const
    {
        QStringList args{QStringLiteral("submit"), QStringLiteral("--terraform-plan"), path,
                         QStringLiteral("--title"), QStringLiteral("plan change")};
        if (json)
            args << QStringLiteral("--json");
        return onStore(args);
    }
    QString submitPlanId(const QString &path) const
    {
        const CtlRun r = submitPlan(path, true);
        if (r.exitCode != 0)
            qWarning("submit failed: %s", qPrintable(r.describe()));
        return r.json().value(QStringLiteral("id")).toString();
    }
    CtlRun show(const QString &id, bool json) const
    {
        QStringList args{QStringLiteral("show"), id};
        if (json)
            args << QStringLiteral("--json");
        return onStore(args);
    }
    // The one plan report of a `show --json` run.
    static QJsonObject onlyPlan(const CtlRun &r)
    {
        const QJsonArray plans = r.json().value(QStringLiteral("plans")).toArray();
        return plans.size() == 1 ? plans.at(0).toObject() : QJsonObject();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(HP_CTL_PATH)), HP_CTL_PATH);
        QVERIFY(!hp::currentLogin().isEmpty());
    }

    void init()
    {
        QVERIFY(newFolder());
        const CtlRun r = initStore();
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }

    void submitPrintsReplacementsNeverAddAndDestroy()
    {
        const CtlRun r =
            submitPlan(planData(QStringLiteral("recreate-environment.plan.json")), false);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("recreate-environment.plan.json: 2 replaced (destroy, then "
                                "create), 2 updated"),
                 r.out.constData());
        QVERIFY(!r.out.contains("to add"));
        QVERIFY(!r.out.contains("to destroy"));
    }

    void submitJsonCarriesThePlanSummary()
    {
        const CtlRun r =
            submitPlan(planData(QStringLiteral("recreate-environment.plan.json")), true);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonArray plans = r.json().value(QStringLiteral("plans")).toArray();
        QCOMPARE(plans.size(), 1);
        const QJsonObject plan = plans.at(0).toObject();
        QVERIFY(plan.value(QStringLiteral("parsed")).toBool());
        const QJsonObject counts = plan.value(QStringLiteral("counts")).toObject();
        QCOMPARE(counts.value(QStringLiteral("replace")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("replace_destroy_first")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("update")).toInt(), 2);
        QCOMPARE(counts.value(QStringLiteral("create")).toInt(), 0);
        QCOMPARE(counts.value(QStringLiteral("delete")).toInt(), 0);
    }

    void showJsonListsEveryChangedResourceWithItsReason()
    {
        const QString id = submitPlanId(planData(QStringLiteral("recreate-environment.plan.json")));
        QVERIFY(!id.isEmpty());
        const CtlRun r = show(id, true);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject plan = onlyPlan(r);
        QVERIFY2(plan.value(QStringLiteral("parsed")).toBool(), r.out.constData());
        QCOMPARE(plan.value(QStringLiteral("summary")).toString(),
                 QStringLiteral("2 replaced (destroy, then create), 2 updated"));
        const QJsonArray resources = plan.value(QStringLiteral("resources")).toArray();
        QStringList actions;
        QJsonObject billing;
        for (const QJsonValue &v : resources) {
            const QJsonObject o = v.toObject();
            actions << o.value(QStringLiteral("action")).toString();
            if (o.value(QStringLiteral("address")).toString() ==
                QLatin1String("terraform_data.billing_db"))
                billing = o;
        }
        QCOMPARE(actions, (QStringList{QStringLiteral("replace"), QStringLiteral("replace"),
                                       QStringLiteral("update"), QStringLiteral("update")}));
        QCOMPARE(billing.value(QStringLiteral("replace_order")).toString(),
                 QStringLiteral("destroy, then create"));
        QCOMPARE(billing.value(QStringLiteral("reason_code")).toString(),
                 QStringLiteral("replace_because_cannot_update"));
        QVERIFY(!billing.value(QStringLiteral("reason")).toString().isEmpty());
        QCOMPARE(billing.value(QStringLiteral("replace_paths")).toArray(),
                 QJsonArray{QStringLiteral("triggers_replace")});
    }

    void showTextListsDestructiveChangesFirst()
    {
        const QString id = submitPlanId(planData(QStringLiteral("recreate-environment.plan.json")));
        QVERIFY(!id.isEmpty());
        const CtlRun r = show(id, false);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains(QStringLiteral("2 replaced (destroy, then create), 2 updated")),
                 r.out.constData());
        const qsizetype billing = out.indexOf(QStringLiteral("REPLACE terraform_data.billing_db"));
        const qsizetype cache = out.indexOf(QStringLiteral("REPLACE terraform_data.report_cache"));
        const qsizetype api = out.indexOf(QStringLiteral("UPDATE terraform_data.api_service"));
        QVERIFY2(billing >= 0 && cache >= 0 && api >= 0, r.out.constData());
        QVERIFY(billing < api && cache < api);
        QVERIFY(out.contains(QStringLiteral("triggers_replace")));
        QVERIFY(!out.contains(QStringLiteral("to destroy")));
    }

    void sensitiveValuesNeverAppear_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("json");
        QTest::newRow("submit") << QStringLiteral("submit") << false;
        QTest::newRow("submit --json") << QStringLiteral("submit") << true;
        QTest::newRow("show") << QStringLiteral("show") << false;
        QTest::newRow("show --json") << QStringLiteral("show") << true;
    }
    void sensitiveValuesNeverAppear()
    {
        QFETCH(QString, command);
        QFETCH(bool, json);
        const QString path = planData(QStringLiteral("rotate-password.plan.json"));
        QFile plan(path);
        QVERIFY(plan.open(QIODevice::ReadOnly));
        QVERIFY(plan.readAll().contains("rotated-Secret-2")); // the test means something
        CtlRun r = submitPlan(path, json);
        if (command == QLatin1String("show")) {
            const QString id = changeIdByTitle(QStringLiteral("plan change"));
            QVERIFY(!id.isEmpty());
            r = show(id, json);
        }
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("2 updated"), r.out.constData());
        for (const QByteArray &secret :
             {QByteArray("initial-Secret-1"), QByteArray("rotated-Secret-2")}) {
            QVERIFY2(!r.out.contains(secret), r.out.constData());
            QVERIFY2(!r.err.contains(secret), r.err.constData());
        }
    }

    void unreadablePlanIsStoredWithAWarning()
    {
        const QString path = tmp(QStringLiteral("broken.plan.json"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write("{\"format_version\":\"1.2\",\"resource_changes\":[") > 0);
        f.close();
        const CtlRun submitted = submitPlan(path, false);
        QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.describe()));
        QVERIFY2(
            submitted.out.contains("warning: broken.plan.json: not readable as a Terraform plan"),
            submitted.out.constData());

        const QString id = changeIdByTitle(QStringLiteral("plan change"));
        QVERIFY(!id.isEmpty());
        const CtlRun r = show(id, true);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject plan = onlyPlan(r);
        QCOMPARE(plan.value(QStringLiteral("parsed")).toBool(true), false);
        QVERIFY(!plan.value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .isEmpty());
        const CtlRun text = show(id, false);
        QVERIFY2(text.out.contains("not readable as a Terraform plan"), text.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliPlan)
#include "tst_cli_plan.moc"
