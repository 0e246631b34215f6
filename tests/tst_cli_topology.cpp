// `holdpointctl topology import/show` and the assessment in `submit`, `show`
// and `list`, run as a real process as the current login (DESIGN §3
// Topology and Assessment, §4, §8). The store is made in-process with a
// fictional admin who gives the current login its role, so the login acts
// through the CLI exactly as a lead or a reviewer would.
#include "ctlfixture.h"
#include "domain/identity.h"
#include "storefixture.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QtTest>

using hp::test::CtlRun;

namespace {

const QString kAdmin = QStringLiteral("hp-test-admin");

QString topo(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/topology/") + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject findBy(const QJsonArray &array, const QString &key, const QString &value)
{
    for (const QJsonValue &v : array) {
        if (v.toObject().value(key).toString() == value)
            return v.toObject();
    }
    return {};
}

// cost-explorer.yaml plus one more service that depends on cost-api.
QByteArray extendedCatalog()
{
    return readAll(topo(QStringLiteral("cost-explorer.yaml"))) +
           QByteArrayLiteral("---\napiVersion: backstage.io/v1alpha1\nkind: Component\n"
                             "metadata:\n  name: invoice-mailer\n  annotations:\n"
                             "    holdpoint.dev/tier: \"1\"\nspec:\n  type: service\n"
                             "  owner: team-billing\n  dependsOn:\n    - component:cost-api\n");
}

} // namespace

class TestCliTopology : public QObject, public hp::test::CtlFixture
{
    Q_OBJECT

private:
    // A new store at db() whose admin is fictional; the current login holds `role`.
    bool makeStore(hp::Role role)
    {
        hp::CreateOptions options;
        options.adminLogin = kAdmin;
        auto created = hp::createStore(db(), options, hp::testing::actor(kAdmin));
        if (!created.ok()) {
            qWarning("%s", qPrintable(created.error().message));
            return false;
        }
        const hp::Status added = (*created)->addUser(hp::testing::actor(kAdmin), hp::currentLogin(),
                                                     hp::RoleSet::of({role}));
        if (!added.ok())
            qWarning("%s", qPrintable(added.error().message));
        return added.ok();
    }

    CtlRun import(const QStringList &paths) const
    {
        return onStore(QStringList{QStringLiteral("topology"), QStringLiteral("import"),
                                   QStringLiteral("--json")} +
                       paths);
    }

    QJsonObject showTopology() const
    {
        const CtlRun r =
            onStore({QStringLiteral("topology"), QStringLiteral("show"), QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning("%s", qPrintable(r.describe()));
        return r.json();
    }

    CtlRun submitPlan(const QString &plan, bool json) const
    {
        QStringList args{QStringLiteral("submit"),         QStringLiteral("--terraform-plan"),
                         topo(plan),                       QStringLiteral("--title"),
                         QStringLiteral("Plan ") + plan,   QStringLiteral("--environment"),
                         QStringLiteral("production"),     QStringLiteral("--agent"),
                         QStringLiteral("tf-agent")};
        if (json)
            args << QStringLiteral("--json");
        return onStore(args);
    }

    QJsonObject showChange(const QString &id) const
    {
        const CtlRun r = onStore({QStringLiteral("show"), id, QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning("%s", qPrintable(r.describe()));
        return r.json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(HP_CTL_PATH)), HP_CTL_PATH);
        QVERIFY(!hp::currentLogin().isEmpty());
        QVERIFY(hp::currentLogin() != kAdmin);
    }

    void init() { QVERIFY(newFolder()); }

    void leadImportsACatalogAndSeesVersionAndHash()
    {
        QVERIFY(makeStore(hp::Role::Lead));
        const CtlRun text = onStore({QStringLiteral("topology"), QStringLiteral("import"),
                                     topo(QStringLiteral("cost-explorer.yaml"))});
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QStringLiteral("imported topology version 1")), qPrintable(out));
        const QRegularExpression hash(QStringLiteral("hash ([0-9a-f]{64})"));
        const QRegularExpressionMatch m = hash.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("reassessed 0 pending change(s)")), qPrintable(out));

        // The same bytes again: the same hash, nothing stored.
        const CtlRun again = import({topo(QStringLiteral("cost-explorer.yaml"))});
        QVERIFY2(again.exitCode == 0, qPrintable(again.describe()));
        const QJsonObject o = again.json();
        QCOMPARE(o.value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.topology.import/1"));
        QCOMPARE(o.value(QStringLiteral("unchanged")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(o.value(QStringLiteral("hash")).toString(), m.captured(1));
        QVERIFY(o.value(QStringLiteral("nodes")).toInt() >= 10);
        QVERIFY(o.value(QStringLiteral("edges")).toInt() >= 8);
    }

    void reviewerImportIsDeniedAndAudited()
    {
        QVERIFY(makeStore(hp::Role::Reviewer));
        const CtlRun r = import({topo(QStringLiteral("cost-explorer.yaml"))});
        QVERIFY2(r.exitCode == 8, qPrintable(r.describe()));
        QVERIFY(!r.error().value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(showTopology().value(QStringLiteral("version")).toInt(), 0);

        auto store = hp::openStore(db());
        QVERIFY(store.ok());
        const QJsonObject entry = hp::testing::lastEntry(**store);
        QCOMPARE(entry.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
        QCOMPARE(entry.value(QStringLiteral("principal")).toString(), hp::currentLogin());
        QVERIFY2(entry.value(QStringLiteral("action")).toString().contains(QStringLiteral("topology")),
                 qPrintable(entry.value(QStringLiteral("action")).toString()));
    }

    void invalidCatalogIsRefusedWithFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        const QByteArray head = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n";
        QTest::newRow("invalid name") << head + "  name: \"-bad name\"\nspec:\n  type: service\n"
                                      << 4;
        QTest::newRow("duplicate key")
            << head + "  name: ok\nspec:\n  type: service\n  type: website\n" << 7;
    }

    void invalidCatalogIsRefusedWithFileAndLine()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QVERIFY(makeStore(hp::Role::Lead));
        const QString bad = tmp(QStringLiteral("bad.yaml"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(yaml);
        f.close();
        const CtlRun r = onStore({QStringLiteral("topology"), QStringLiteral("import"),
                                  topo(QStringLiteral("cost-explorer.yaml")), bad});
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(QStringLiteral("bad.yaml:%1").arg(line)), qPrintable(err));
        QCOMPARE(showTopology().value(QStringLiteral("version")).toInt(), 0);
    }

    void importReadsEveryYamlFileOfAFolder()
    {
        QVERIFY(makeStore(hp::Role::Lead));
        QDir dir(tmp(QStringLiteral("catalog")));
        QVERIFY(dir.mkpath(QStringLiteral(".")));
        QVERIFY(QFile::copy(topo(QStringLiteral("cost-explorer.yaml")),
                            dir.filePath(QStringLiteral("cost-explorer.yaml"))));
        QVERIFY(QFile::copy(topo(QStringLiteral("checkout.yaml")),
                            dir.filePath(QStringLiteral("checkout.yml"))));
        QFile notes(dir.filePath(QStringLiteral("README.txt")));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("not: [a catalog");
        notes.close();
        const CtlRun r = import({dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("sources")).toArray().size(), 2);

        const CtlRun missing = import({tmp(QStringLiteral("nowhere"))});
        QVERIFY2(missing.exitCode == 2, qPrintable(missing.describe()));
    }

    void showJsonListsNodesWithAnnotationsAndEdges()
    {
        QVERIFY(makeStore(hp::Role::Lead));
        QCOMPARE(showTopology().value(QStringLiteral("version")).toInt(), 0);
        const CtlRun r = import({topo(QStringLiteral("cost-explorer.yaml")),
                                 topo(QStringLiteral("checkout.yaml"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject t = showTopology();
        QCOMPARE(t.value(QStringLiteral("schema")).toString(), QStringLiteral("holdpoint.topology/1"));
        QCOMPARE(t.value(QStringLiteral("version")).toInt(), 1);
        QCOMPARE(t.value(QStringLiteral("hash")).toString(),
                 r.json().value(QStringLiteral("hash")).toString());
        QCOMPARE(t.value(QStringLiteral("imported_by")).toString(), hp::currentLogin());
        const QJsonArray nodes = t.value(QStringLiteral("nodes")).toArray();
        QCOMPARE(nodes.size(), t.value(QStringLiteral("node_count")).toInt());
        const QJsonObject db =
            findBy(nodes, QStringLiteral("id"), QStringLiteral("resource:default/billing-db"));
        QCOMPARE(db.value(QStringLiteral("kind")).toString(), QStringLiteral("resource"));
        QCOMPARE(db.value(QStringLiteral("owner")).toString(),
                 QStringLiteral("group:default/team-billing"));
        QCOMPARE(db.value(QStringLiteral("tier")).toInt(), 1);
        const QJsonObject notes = db.value(QStringLiteral("annotations")).toObject();
        QCOMPARE(notes.value(QStringLiteral("data_bearing")).toBool(), true);
        QCOMPARE(notes.value(QStringLiteral("terraform_addresses")).toArray(),
                 QJsonArray{QStringLiteral("terraform_data.billing_db")});
        const QJsonObject flags = findBy(nodes, QStringLiteral("id"),
                                         QStringLiteral("resource:default/checkout-flags"));
        QCOMPARE(flags.value(QStringLiteral("environment")).toString(), QStringLiteral("production"));
        bool apiToDb = false;
        for (const QJsonValue &e : t.value(QStringLiteral("edges")).toArray()) {
            apiToDb |= e.toObject().value(QStringLiteral("from")).toString() ==
                           QLatin1String("component:default/cost-api") &&
                       e.toObject().value(QStringLiteral("to")).toString() ==
                           QLatin1String("resource:default/billing-db");
        }
        QVERIFY(apiToDb);

        const CtlRun text = onStore({QStringLiteral("topology"), QStringLiteral("show")});
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        QVERIFY(text.out.contains("component:default/cost-api → resource:default/billing-db"));
        QVERIFY(text.out.contains("terraform terraform_data.billing_db"));
    }

    void submitAfterImportPrintsTheRiskAndShowExplainsIt()
    {
        QVERIFY(makeStore(hp::Role::Lead));
        QCOMPARE(import({topo(QStringLiteral("cost-explorer.yaml"))}).exitCode, 0);
        const CtlRun text = submitPlan(QStringLiteral("recreate-environment.plan.json"), false);
        QVERIFY2(text.exitCode == 0, qPrintable(text.describe()));
        const QString out = QString::fromUtf8(text.out);
        QVERIFY2(out.contains(QStringLiteral("risk 74 critical (changed 1.8750 + impact 0.7830) "
                                             "flags: DATA_LOSS, CASCADE")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("0 unmapped, 3 impacted node(s)")), qPrintable(out));

        const QString id = changeIdByTitle(QStringLiteral("Plan recreate-environment.plan.json"));
        QVERIFY(!id.isEmpty());
        const QJsonObject shown = showChange(id);
        QCOMPARE(shown.value(QStringLiteral("assessments")).toInt(), 1);
        const QJsonObject a = shown.value(QStringLiteral("assessment")).toObject();
        QCOMPARE(a.value(QStringLiteral("score")).toInt(), 74);
        QCOMPARE(a.value(QStringLiteral("class")).toString(), QStringLiteral("critical"));
        QVERIFY(qAbs(a.value(QStringLiteral("changed_term")).toDouble() - 1.875) < 1e-9);
        QVERIFY(qAbs(a.value(QStringLiteral("impact_term")).toDouble() - 0.783) < 1e-9);
        const QJsonArray changed = a.value(QStringLiteral("changed")).toArray();
        for (const char *node : {"resource:default/billing-db", "resource:default/report-cache"}) {
            const QJsonObject c = findBy(changed, QStringLiteral("node"), QLatin1String(node));
            QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("replace"));
        }
        const QJsonObject console = findBy(a.value(QStringLiteral("impacted")).toArray(),
                                           QStringLiteral("node"),
                                           QStringLiteral("component:default/cost-console"));
        QCOMPARE(console.value(QStringLiteral("nearest_depth")).toInt(), 1);
        QCOMPARE(console.value(QStringLiteral("scoring_source")).toString(),
                 QStringLiteral("resource:default/billing-db"));
        QCOMPARE(console.value(QStringLiteral("scoring_distance")).toInt(), 2);
        QCOMPARE(console.value(QStringLiteral("scoring_path")).toArray(),
                 (QJsonArray{QStringLiteral("component:default/cost-console"),
                             QStringLiteral("component:default/cost-api"),
                             QStringLiteral("resource:default/billing-db")}));

        const CtlRun showText = onStore({QStringLiteral("show"), id});
        QVERIFY2(showText.exitCode == 0, qPrintable(showText.describe()));
        const QString st = QString::fromUtf8(showText.out);
        QVERIFY2(st.contains(QStringLiteral("a 0.9 · decay 0.6 · e 1 (production) · t 1.5 = 0.8100")),
                 qPrintable(st));
        QVERIFY2(st.contains(QStringLiteral("scoring path component:default/cost-console → "
                                            "component:default/cost-api → resource:default/billing-db")),
                 qPrintable(st));

        const QJsonObject listed = findBy(changes(), QStringLiteral("id"), id);
        QCOMPARE(listed.value(QStringLiteral("risk_score")).toInt(), 74);
        QCOMPARE(listed.value(QStringLiteral("risk_class")).toString(), QStringLiteral("critical"));
    }

    void reimportOfAChangedCatalogReassessesThePendingChange()
    {
        QVERIFY(makeStore(hp::Role::Lead));
        QCOMPARE(import({topo(QStringLiteral("cost-explorer.yaml"))}).exitCode, 0);
        const CtlRun submitted = submitPlan(QStringLiteral("scale-api.plan.json"), true);
        QVERIFY2(submitted.exitCode == 0, qPrintable(submitted.describe()));
        const QString id = submitted.json().value(QStringLiteral("id")).toString();
        const QJsonObject first =
            submitted.json().value(QStringLiteral("assessment")).toObject();
        QCOMPARE(first.value(QStringLiteral("score")).toInt(), 35);

        const QString changedCatalog = tmp(QStringLiteral("cost-explorer.yaml"));
        QFile f(changedCatalog);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(extendedCatalog());
        f.close();
        const CtlRun r = import({changedCatalog});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("version")).toInt(), 2);
        QCOMPARE(r.json().value(QStringLiteral("reassessed")).toInt(), 1);

        const QJsonObject shown = showChange(id);
        QCOMPARE(shown.value(QStringLiteral("assessments")).toInt(), 2);
        const QJsonObject a = shown.value(QStringLiteral("assessment")).toObject();
        QCOMPARE(a.value(QStringLiteral("sequence")).toInt(), 2);
        QCOMPARE(a.value(QStringLiteral("topology_hash")).toString(),
                 r.json().value(QStringLiteral("hash")).toString());
        const QJsonObject mailer = findBy(a.value(QStringLiteral("impacted")).toArray(),
                                          QStringLiteral("node"),
                                          QStringLiteral("component:default/invoice-mailer"));
        QCOMPARE(mailer.value(QStringLiteral("nearest_depth")).toInt(), 1);
        QVERIFY(a.value(QStringLiteral("score")).toInt() > 35);
    }
};

QTEST_GUILESS_MAIN(TestCliTopology)
#include "tst_cli_topology.moc"
