// `holdpointctl demo` and the review flow on a demo store, run as a real
// process as the current login (a lead in the demo): decisions, wait and
// check with their exit codes (DESIGN §8, §3.1).
#include "ctlfixture.h"
#include "demo/demoscript.h"
#include "domain/identity.h"

#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using hp::test::CtlRun;

class TestCliDemo : public QObject, public hp::test::CtlFixture
{
    Q_OBJECT

private:
    // A copy of the demo store built once in initTestCase.
    bool copyDemo() const
    {
        return QFile::copy(m_demoTemplate, db()) &&
               QFile::setPermissions(db(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    QTemporaryDir m_shared;
    QString m_demoTemplate;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(HP_CTL_PATH)), HP_CTL_PATH);
        QVERIFY(!hp::currentLogin().isEmpty());
        m_demoTemplate = m_shared.filePath(QStringLiteral("demo.db"));
        const CtlRun r = ctl({QStringLiteral("demo"), QStringLiteral("--db"), m_demoTemplate});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }

    void init() { QVERIFY(newFolder()); }

    void demoCreatesCurrentChangesAndWeeksOfHistory()
    {
        QVERIFY(copyDemo());
        const QJsonArray all = changes();
        QVERIFY2(all.size() >= 12 + 60, qPrintable(QString::number(all.size())));
        QSet<QString> statuses;
        bool escalatedPending = false;
        QDateTime first = QDateTime::currentDateTimeUtc(), last;
        for (const QJsonValue &v : all) {
            const QJsonObject c = v.toObject();
            statuses << c.value(QStringLiteral("status")).toString();
            escalatedPending |=
                c.value(QStringLiteral("escalated")).toBool() &&
                c.value(QStringLiteral("status")).toString() == QLatin1String("pending");
            const QDateTime t = QDateTime::fromString(
                c.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
            first = std::min(first, t);
            last = std::max(last, t);
        }
        for (const char *s : {"pending", "approved", "rejected", "withdrawn", "applied", "failed"})
            QVERIFY2(statuses.contains(QLatin1String(s)), s);
        QVERIFY(escalatedPending);
        QVERIFY2(first.daysTo(last) >= 42, qPrintable(first.toString(Qt::ISODate)));

        const CtlRun who = onStore({QStringLiteral("whoami"), QStringLiteral("--json")});
        QVERIFY2(who.exitCode == 0, qPrintable(who.describe()));
        QCOMPARE(who.json().value(QStringLiteral("roles")).toArray(),
                 QJsonArray{QStringLiteral("lead")});
        QCOMPARE(who.json().value(QStringLiteral("demo")).toBool(), true);
        QCOMPARE(who.json().value(QStringLiteral("registered_agent")).toBool(), false);

        const CtlRun agents =
            onStore({QStringLiteral("agents"), QStringLiteral("list"), QStringLiteral("--json")});
        const QJsonArray regs = agents.json().value(QStringLiteral("agents")).toArray();
        QVERIFY(regs.size() >= 3);
        for (const QJsonValue &a : regs) {
            QVERIFY(a.toObject().value(QStringLiteral("login")).toString() != hp::currentLogin());
            QVERIFY(a.toObject().value(QStringLiteral("operator")).toString() !=
                    hp::currentLogin());
        }
        const CtlRun verify =
            onStore({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--json")});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.describe()));
        QVERIFY(verify.json().value(QStringLiteral("entries")).toInteger() > 100);
    }

    void demoChangesCarryAssessmentsWithABlastRadius()
    {
        QVERIFY(copyDemo());
        const CtlRun topology =
            onStore({QStringLiteral("topology"), QStringLiteral("show"), QStringLiteral("--json")});
        QVERIFY2(topology.exitCode == 0, qPrintable(topology.describe()));
        QCOMPARE(topology.json().value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(topology.json().value(QStringLiteral("sources")).toArray().size(), 2);

        QSet<QString> pendingClasses;
        int intentMismatches = 0;
        for (const QJsonValue &v : changes()) {
            const QJsonObject c = v.toObject();
            const QString cls = c.value(QStringLiteral("risk_class")).toString();
            QVERIFY2(!cls.isEmpty(), qPrintable(c.value(QStringLiteral("title")).toString()));
            QVERIFY(c.value(QStringLiteral("risk_score")).toInt(-1) >= 0);
            if (c.value(QStringLiteral("status")).toString() == QLatin1String("pending"))
                pendingClasses << cls;
            intentMismatches += c.value(QStringLiteral("risk_flags"))
                                    .toArray()
                                    .contains(QStringLiteral("INTENT_MISMATCH"));
        }
        QCOMPARE(pendingClasses, (QSet<QString>{QStringLiteral("low"), QStringLiteral("medium"),
                                                QStringLiteral("high"), QStringLiteral("critical")}));
        QVERIFY(intentMismatches >= 2);

        // The recreate plan against the demo catalog: DESIGN §4's numbers.
        const QString id =
            changeIdByTitle(QStringLiteral("Recreate cost-explorer environment (generation g2)"));
        const CtlRun shown = onStore({QStringLiteral("show"), id, QStringLiteral("--json")});
        QVERIFY2(shown.exitCode == 0, qPrintable(shown.describe()));
        const QJsonObject a = shown.json().value(QStringLiteral("assessment")).toObject();
        QCOMPARE(a.value(QStringLiteral("score")).toInt(), 74);
        QCOMPARE(a.value(QStringLiteral("impacted")).toArray().size(), 3);
        QCOMPARE(a.value(QStringLiteral("topology_hash")).toString(),
                 topology.json().value(QStringLiteral("hash")).toString());

        // The kubectl diff maps to the checkout catalog and reaches storefront.
        const QString k8s = changeIdByTitle(
            QStringLiteral("Roll checkout-api to 2.15.0-rc1 and scale to 2 replicas"));
        const CtlRun rollout = onStore({QStringLiteral("show"), k8s, QStringLiteral("--json")});
        bool storefront = false;
        for (const QJsonValue &n : rollout.json()
                                       .value(QStringLiteral("assessment"))
                                       .toObject()
                                       .value(QStringLiteral("impacted"))
                                       .toArray())
            storefront |= n.toObject().value(QStringLiteral("node")).toString() ==
                          QLatin1String("component:default/storefront");
        QVERIFY2(storefront, rollout.out.constData());
    }

    void demoRefusesAnExistingNonDemoStore()
    {
        QVERIFY(initStore().exitCode == 0);
        const CtlRun r = onStore({QStringLiteral("demo")});
        QVERIFY2(r.exitCode == 9, qPrintable(r.describe()));
        const CtlRun who = onStore({QStringLiteral("whoami"), QStringLiteral("--json")});
        QCOMPARE(who.json().value(QStringLiteral("demo")).toBool(), false);
        QCOMPARE(changes().size(), 0);
    }

    void demoReplacesAnEarlierDemoStore()
    {
        QVERIFY(copyDemo());
        const QString id =
            changeIdByTitle(QStringLiteral("Scale cost-api to 4 replicas after traffic review"));
        QVERIFY(!id.isEmpty());
        const CtlRun r = onStore({QStringLiteral("demo"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("replaced")).toBool(), true);
        const QString again =
            changeIdByTitle(QStringLiteral("Scale cost-api to 4 replicas after traffic review"));
        QVERIFY(!again.isEmpty());
        QVERIFY(again != id);
    }

    void decideNeedsAReasonToRejectOrEscalate_data()
    {
        QTest::addColumn<QString>("action");
        QTest::newRow("reject") << QStringLiteral("reject");
        QTest::newRow("escalate") << QStringLiteral("escalate");
    }
    void decideNeedsAReasonToRejectOrEscalate()
    {
        QFETCH(QString, action);
        QVERIFY(copyDemo());
        const QString id =
            changeIdByTitle(QStringLiteral("Scale cost-api to 4 replicas after traffic review"));
        const CtlRun r = onStore({QStringLiteral("decide"), id, action});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        const CtlRun ok = onStore({QStringLiteral("decide"), id, action, QStringLiteral("--reason"),
                                   QStringLiteral("needs a rollback plan")});
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
    }

    void leadApprovesThenCheckComparesBytesAndMetadata()
    {
        QVERIFY(copyDemo());
        const QString id =
            changeIdByTitle(QStringLiteral("Scale cost-api to 4 replicas after traffic review"));
        QVERIFY(!id.isEmpty());
        const QString plan = data(QStringLiteral("scale-api.plan.json"));
        QCOMPARE(
            onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"), plan}).exitCode, 5);
        const CtlRun approve = onStore(
            {QStringLiteral("decide"), id, QStringLiteral("approve"), QStringLiteral("--json")});
        QVERIFY2(approve.exitCode == 0, qPrintable(approve.describe()));
        QCOMPARE(approve.json().value(QStringLiteral("counts")).toBool(), true);
        QCOMPARE(approve.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("approved"));
        QCOMPARE(
            onStore({QStringLiteral("wait"), id, QStringLiteral("--timeout"), QStringLiteral("1s")})
                .exitCode,
            0);

        const CtlRun pass = onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"),
                                     plan, QStringLiteral("--all"), QStringLiteral("--environment"),
                                     QStringLiteral("production"), QStringLiteral("--json")});
        QVERIFY2(pass.exitCode == 0, qPrintable(pass.describe()));
        QCOMPARE(pass.json().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.check/1"));
        QCOMPARE(pass.json().value(QStringLiteral("passed")).toBool(), true);

        QFile in(plan);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
        QFile out(tmp(QStringLiteral("tampered.json")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(bytes);
        out.close();
        QCOMPARE(
            onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"), out.fileName()})
                .exitCode,
            7);
        QCOMPARE(onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"), plan,
                          QStringLiteral("--environment"), QStringLiteral("staging")})
                     .exitCode,
                 7);
        QCOMPARE(onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"), plan,
                          QStringLiteral("--target"), QStringLiteral("aws:other")})
                     .exitCode,
                 7);
        QCOMPARE(onStore({QStringLiteral("check"), QStringLiteral("01JD0000000000000000000000"),
                          QStringLiteral("--artifact"), plan})
                     .exitCode,
                 6);
        // Every check is in the trail, and the trail still verifies.
        QCOMPARE(onStore({QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 0);
    }

    void checkAndWaitReportRejectedAndWithdrawn()
    {
        QVERIFY(copyDemo());
        const QString rejected =
            changeIdByTitle(QStringLiteral("Widen cost-explorer-svc role to admin-full-access"));
        const QString withdrawn =
            changeIdByTitle(QStringLiteral("Destroy cost-explorer staging environment"));
        QVERIFY(!rejected.isEmpty() && !withdrawn.isEmpty());
        const QString plan = data(QStringLiteral("widen-role.plan.json"));
        QCOMPARE(onStore({QStringLiteral("check"), rejected, QStringLiteral("--artifact"), plan})
                     .exitCode,
                 3);
        QCOMPARE(onStore({QStringLiteral("wait"), rejected, QStringLiteral("--timeout"),
                          QStringLiteral("1s")})
                     .exitCode,
                 3);
        QCOMPARE(onStore({QStringLiteral("wait"), withdrawn, QStringLiteral("--timeout"),
                          QStringLiteral("1s")})
                     .exitCode,
                 4);
        const CtlRun waitJson =
            onStore({QStringLiteral("wait"), rejected, QStringLiteral("--json")});
        QCOMPARE(waitJson.json().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.wait/1"));
        QCOMPARE(waitJson.json().value(QStringLiteral("status")).toString(),
                 QStringLiteral("rejected"));
        QCOMPARE(waitJson.error().value(QStringLiteral("code")).toString(),
                 QStringLiteral("rejected"));
    }

    void auditVerifyNamesEachBadSeq()
    {
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (python.isEmpty())
            QSKIP("python3 is needed to edit the store behind Holdpoint's back");
        QVERIFY(copyDemo());
        // An edited entry, as someone with write access to the file could make:
        // the first one naming priya, wherever the demo's script put it.
        const CtlRun edit = hp::test::runProgram(
            python,
            {QStringLiteral("-c"),
             QStringLiteral(
                 "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); s=c.execute(\"select "
                 "min(seq) from audit_log where instr(entry, 'priya') > 0\").fetchone()[0]; "
                 "c.execute(\"update audit_log set entry=replace(entry, 'priya', 'pria') where "
                 "seq=?\", (s,)); c.commit(); print(s)"),
             db()});
        QVERIFY2(edit.exitCode == 0, qPrintable(edit.describe()));
        const QByteArray seq = edit.out.trimmed();
        QVERIFY(seq.toInt() > 0);
        const CtlRun r = onStore({QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(r.exitCode == 9, qPrintable(r.describe()));
        QVERIFY2(r.out.contains("seq " + seq + ": modified"), r.out.constData());
        QVERIFY(r.err.contains(seq + " (modified)"));
        const CtlRun json =
            onStore({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 9);
        QCOMPARE(json.json().value(QStringLiteral("clean")).toBool(), false);
        QVERIFY(!json.json().value(QStringLiteral("problems")).toArray().isEmpty());
    }

    void castNeverMakesTheRunnerAnAgentOrOperator_data()
    {
        QTest::addColumn<QString>("runner");
        for (const char *name :
             {"hp-admin", "maria", "dev-oncall", "jonas", "tf-agent", "k8s-agent", "code-agent",
              "ops-bot", "helena", "priya", "ines", "someone-else"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void castNeverMakesTheRunnerAnAgentOrOperator()
    {
        QFETCH(QString, runner);
        const hp::demo::DemoCast c = hp::demo::makeCast(runner);
        QCOMPARE(c.runner, runner);
        const QStringList others =
            QStringList{c.admin,   c.auditor,  c.tfOperator, c.k8sOperator, c.codeOperator,
                        c.tfAgent, c.k8sAgent, c.codeAgent,  c.opsBot} +
            c.leads + c.reviewers;
        QVERIFY(!others.contains(runner));
        QCOMPARE(QSet<QString>(others.begin(), others.end()).size(), others.size());
    }
};

QTEST_GUILESS_MAIN(TestCliDemo)
#include "tst_cli_demo.moc"
