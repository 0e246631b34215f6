#include "pgharness.h"
#include "storefixture.h"

#include "storage/pgsetup.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

// Topology versions in team mode (issue 9, DESIGN §3): only a lead imports;
// the same catalog is "unchanged"; a bad catalog is refused with its place
// and nothing stored; a version whose bytes do not give its hash (sent with
// psql in hand) is refused by every reader.
using namespace hp;
using namespace hp::testing;

namespace {

TopologySource source(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/topology/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(name));
    return TopologySource{name, f.readAll()};
}

} // namespace

class TestPgTopology : public QObject
{
    Q_OBJECT

private:
    PgHarness m_pg;

    std::unique_ptr<Store> openAs(const QString &login) { return m_pg.openAs(login); }

private Q_SLOTS:
    void initTestCase()
    {
        HP_START_TEAM_STORE(m_pg);
        auto admin = openAs(QStringLiteral("adm"));
        QVERIFY(admin);
        const Actor a = actor(QStringLiteral("adm"));
        QVERIFY(admin->addUser(a, QStringLiteral("lead1"), RoleSet::of({Role::Lead})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("rev1"), RoleSet::of({Role::Reviewer})).ok());
        QVERIFY(admin->addUser(a, QStringLiteral("aud1"), RoleSet::of({Role::Auditor})).ok());
    }

    void noTopologyUntilALeadImportsOne()
    {
        auto store = openAs(QStringLiteral("rev1"));
        QVERIFY(store);
        auto current = store->currentTopology(false);
        QVERIFY2(current.ok(), current.ok() ? "" : qPrintable(current.error().message));
        QVERIFY(!current->has_value());
        auto topology = store->topologyInForce();
        QVERIFY(topology.ok());
        QVERIFY(topology->nodes().empty());
    }

    void aReviewerCannotImportAndTheDenialIsAudited()
    {
        auto store = openAs(QStringLiteral("rev1"));
        QVERIFY(store);
        auto imported = store->importTopology(actor(QStringLiteral("rev1")), {source(QStringLiteral("checkout.yaml"))});
        QVERIFY(!imported.ok());
        QCOMPARE(imported.error().code, ExitCode::Denied);
        QCOMPARE(imported.error().reason, QStringLiteral("missing_role"));
        const QJsonObject e = lastEntry(*store);
        QCOMPARE(e.value(u"action").toString(), QStringLiteral("topology.import"));
        QCOMPARE(e.value(u"outcome").toString(), QStringLiteral("denied"));
        QCOMPARE(e.value(u"principal").toString(), QStringLiteral("rev1"));
        QVERIFY(!store->currentTopology(false)->has_value());
    }

    void anInvalidCatalogIsRefusedWithItsPlaceAndNothingStored()
    {
        auto store = openAs(QStringLiteral("lead1"));
        QVERIFY(store);
        const qint64 before = *store->auditHeadSeq();
        auto imported = store->importTopology(
            actor(QStringLiteral("lead1")),
            {TopologySource{QStringLiteral("bad.yaml"),
                            QByteArrayLiteral("apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                                              "metadata: {name: a, name: b}\n")}});
        QVERIFY(!imported.ok());
        QVERIFY2(imported.error().message.contains(QStringLiteral("bad.yaml:3")),
                 qPrintable(imported.error().message));
        QCOMPARE(*store->auditHeadSeq(), before);
        QVERIFY(!store->currentTopology(false)->has_value());
    }

    void aLeadImportsVersionsAndTheSameCatalogIsUnchanged()
    {
        auto store = openAs(QStringLiteral("lead1"));
        QVERIFY(store);
        const Actor lead = actor(QStringLiteral("lead1"));
        auto first = store->importTopology(lead, {source(QStringLiteral("checkout.yaml"))});
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QVERIFY(!first->unchanged);
        QCOMPARE(first->version.version, 1);
        QCOMPARE(first->version.importedBy, QStringLiteral("lead1"));
        QCOMPARE(first->version.hash.size(), 64);
        QVERIFY(first->version.nodes > 0);
        const QJsonObject e = lastEntry(*store);
        QCOMPARE(e.value(u"action").toString(), QStringLiteral("topology.import"));
        QCOMPARE(e.value(u"outcome").toString(), QStringLiteral("ok"));
        const QJsonObject payload = e.value(u"payload").toObject();
        QCOMPARE(payload.value(u"hash").toString(), QString::fromLatin1(first->version.hash));
        QCOMPARE(payload.value(u"nodes").toInt(), first->version.nodes);
        QCOMPARE(payload.value(u"sources").toArray().first().toString(), QStringLiteral("checkout.yaml"));

        const qint64 head = *store->auditHeadSeq();
        auto again = store->importTopology(lead, {source(QStringLiteral("checkout.yaml"))});
        QVERIFY(again.ok());
        QVERIFY(again->unchanged);
        QCOMPARE(again->version.version, 1);
        QCOMPARE(*store->auditHeadSeq(), head);

        auto second = store->importTopology(
            lead, {source(QStringLiteral("checkout.yaml")), source(QStringLiteral("cost-explorer.yaml"))});
        QVERIFY2(second.ok(), second.ok() ? "" : qPrintable(second.error().message));
        QCOMPARE(second->version.version, 2);
        QVERIFY(second->version.nodes > first->version.nodes);

        // Any reader sees the version in force and its graph.
        auto reader = openAs(QStringLiteral("aud1"));
        QVERIFY(reader);
        auto shown = reader->currentTopology(true);
        QVERIFY(shown.ok() && shown->has_value());
        QCOMPARE((*shown)->version, 2);
        QCOMPARE((*shown)->sources.size(), size_t(2));
        QCOMPARE((*shown)->sources[1].content, source(QStringLiteral("cost-explorer.yaml")).content);
        auto graph = reader->topologyInForce();
        QVERIFY2(graph.ok(), graph.ok() ? "" : qPrintable(graph.error().message));
        QCOMPARE(static_cast<int>(graph->nodes().size()), second->version.nodes);
        QVERIFY(reader->verifyAudit({})->clean());
    }

    void aWrongHashSentWithPsqlIsRefusedByEveryReader()
    {
        // A lead calls the function directly with a hash the bytes do not give.
        const PsqlRun run = m_pg.psql(
            QStringLiteral("lead1"),
            QStringLiteral("SELECT r_version FROM holdpoint.hp_import_topology(repeat('ab', 32), 1, 0, "
                           "ARRAY['x.yaml'], ARRAY[convert_to('kind: Component', 'UTF8')], 'h', 'psql');"));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out.trimmed(), QByteArray("3"));
        auto reader = openAs(QStringLiteral("rev1"));
        QVERIFY(reader);
        auto graph = reader->topologyInForce();
        QVERIFY(!graph.ok());
        QCOMPARE(graph.error().reason, QStringLiteral("bad_topology"));
        // A correct import by a lead puts a readable version back in force.
        auto store = openAs(QStringLiteral("lead1"));
        auto fixed = store->importTopology(actor(QStringLiteral("lead1")), {source(QStringLiteral("checkout.yaml"))});
        QVERIFY2(fixed.ok(), fixed.ok() ? "" : qPrintable(fixed.error().message));
        QCOMPARE(fixed->version.version, 4);
        QVERIFY(reader->topologyInForce().ok());
    }

    void nobodyButALeadImportsEvenWithPsql()
    {
        const PsqlRun run = m_pg.psql(
            QStringLiteral("aud1"),
            QStringLiteral("SELECT holdpoint.hp_import_topology(repeat('cd', 32), 0, 0, ARRAY['y'], "
                           "ARRAY['\\x00'::bytea], 'h', 'psql');"));
        QVERIFY(run.exitCode != 0);
        QVERIFY2(run.err.contains("only a lead can import a topology; aud1 is not one"), run.err.constData());
        QCOMPARE(m_pg.psql(QStringLiteral("lead1"), QStringLiteral("SELECT max(version) FROM holdpoint.topologies;"))
                     .out.trimmed(),
                 QByteArray("4"));
    }

    void cleanupTestCase() { m_pg.stop(); }
};

QTEST_GUILESS_MAIN(TestPgTopology)
#include "tst_pgtopology.moc"
