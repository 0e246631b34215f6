#include "topology/catalogreader.h"
#include "topology/yamltree.h"

#include <QTest>

using namespace hp;

namespace {

QString dataPath(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/topology/") + name;
}

const char *kHeader = "apiVersion: backstage.io/v1alpha1\nkind: Component\n";

} // namespace

class TstCatalogReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void costExplorerEntitiesAndEdges();
    void apiConsumerPointsAtProviderWithoutHop();
    void annotationsAreRead();
    void hostileYamlIsRefusedWithPosition_data();
    void hostileYamlIsRefusedWithPosition();
    void invalidEntityIsRefusedWithFileAndLine_data();
    void invalidEntityIsRefusedWithFileAndLine();
    void referencesTakeDefaultKindsAndNamespaces();
    void dependencyOfPointsBackAtTheEntity();
    void otherKindsAreIgnored();
    void entityDefinedTwiceIsRefused();
    void addressListSplitsOutsideBrackets_data();
    void addressListSplitsOutsideBrackets();
    void addressMatching_data();
    void addressMatching();
    void hashIsStableAndOrderIndependent();
};

void TstCatalogReader::costExplorerEntitiesAndEdges()
{
    Result<Topology> t = CatalogReader::readFile(dataPath(QStringLiteral("cost-explorer.yaml")));
    QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().message));
    QCOMPARE(t->nodes().size(), size_t(11));
    QVERIFY(t->node(QStringLiteral("system:default/cost-explorer")));
    QVERIFY(t->node(QStringLiteral("api:default/cost-api")));
    const TopologyNode *db = t->node(QStringLiteral("resource:default/billing-db"));
    QVERIFY(db);
    QCOMPARE(db->owner, QStringLiteral("group:default/team-billing"));
    QCOMPARE(db->system, QStringLiteral("system:default/cost-explorer"));
    QVERIFY(db->source.endsWith(QStringLiteral("cost-explorer.yaml:24:1")));
    const std::vector<TopologyEdge> &e = t->edges();
    auto has = [&e](const char *from, const char *to) {
        return std::find(e.begin(), e.end(),
                         TopologyEdge{QString::fromLatin1(from), QString::fromLatin1(to)}) != e.end();
    };
    QVERIFY(has("resource:default/billing-db", "resource:default/cost-vpc"));
    QVERIFY(has("component:default/budget-alerts", "component:default/finance-exports"));
    QVERIFY(has("component:default/cost-api", "resource:default/cost-explorer-svc-role"));
    QCOMPARE(e.size(), size_t(10)); // 8 dependsOn, 2 consumer → provider
}

void TstCatalogReader::apiConsumerPointsAtProviderWithoutHop()
{
    Result<Topology> t = CatalogReader::readFile(dataPath(QStringLiteral("checkout.yaml")));
    QVERIFY(t.ok());
    QCOMPARE(t->edges().size(), size_t(2));
    QCOMPARE(t->edges()[1], (TopologyEdge{QStringLiteral("component:default/storefront"),
                                           QStringLiteral("component:default/checkout-api")}));
}

void TstCatalogReader::annotationsAreRead()
{
    Result<Topology> t = CatalogReader::readFile(dataPath(QStringLiteral("checkout.yaml")));
    QVERIFY(t.ok());
    const TopologyNode *api = t->node(QStringLiteral("component:default/checkout-api"));
    QCOMPARE(api->k8sObjects, QStringList{QStringLiteral("Deployment/prod/checkout-api")});
    QCOMPARE(api->environment, QStringLiteral("production"));
    QCOMPARE(api->tier, 1);
    const TopologyNode *store = t->node(QStringLiteral("component:default/storefront"));
    QVERIFY(store->customerFacing);
    QVERIFY(!store->dataBearing);
    QCOMPARE(t->nodeForKubeObject(QStringLiteral("ConfigMap"), QStringLiteral("prod"), QStringLiteral("checkout-flags")),
             QStringLiteral("resource:default/checkout-flags"));
    Result<Topology> cost = CatalogReader::readFile(dataPath(QStringLiteral("cost-explorer.yaml")));
    QCOMPARE(cost->node(QStringLiteral("resource:default/cost-vpc"))->terraformAddresses.size(), 3);
    QCOMPARE(cost->nodeForTerraformAddress(QStringLiteral("terraform_data.subnet_b")),
             QStringLiteral("resource:default/cost-vpc"));
    // Backstage lifecycle is not an environment (DESIGN §3).
    QVERIFY(cost->node(QStringLiteral("component:default/cost-api"))->environment.isEmpty());
}

void TstCatalogReader::hostileYamlIsRefusedWithPosition_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("where");
    QTest::newRow("duplicate key") << QByteArray("apiVersion: v1\nkind: Component\nkind: Resource\n")
                                   << QStringLiteral("yaml_duplicate_key") << QStringLiteral("c.yaml:3:1");
    QTest::newRow("anchor") << QByteArray("apiVersion: v1\nkind: &k Component\n") << QStringLiteral("yaml_anchor")
                            << QStringLiteral("c.yaml:2:8"); // libfyaml marks the anchor's name
    QTest::newRow("alias") << QByteArray("a: b\nkind: *k\n") << QStringLiteral("yaml_alias")
                           << QStringLiteral("c.yaml:2:8");
    QByteArray deep = "x: ";
    for (int i = 0; i < 100; ++i)
        deep += '[';
    QTest::newRow("deep nesting") << deep << QStringLiteral("yaml_too_deep") << QStringLiteral("c.yaml:1:35");
    QTest::newRow("invalid utf-8") << QByteArray("apiVersion: v1\nkind: Comp\xC3\x28nent\n")
                                   << QStringLiteral("invalid_utf8") << QStringLiteral("c.yaml:2:11");
    QTest::newRow("overlong utf-8") << QByteArray("name: \xC0\xAF\n") << QStringLiteral("invalid_utf8")
                                    << QStringLiteral("c.yaml:1:7");
    QTest::newRow("syntax error") << QByteArray("a: [1, 2\nb: c\n") << QStringLiteral("invalid_yaml")
                                  << QString();
    QTest::newRow("complex key") << QByteArray("? [a]\n: b\n") << QStringLiteral("yaml_complex_key")
                                 << QStringLiteral("c.yaml:1:3");
}

void TstCatalogReader::hostileYamlIsRefusedWithPosition()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, reason);
    QFETCH(QString, where);
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().reason, reason);
    QCOMPARE(t.error().code, ExitCode::Usage);
    if (where.isEmpty())
        QVERIFY(t.error().path.startsWith(QStringLiteral("c.yaml:")));
    else
        QCOMPARE(t.error().path, where);
    QVERIFY(t.error().message.startsWith(t.error().path + QStringLiteral(": ")));
}

void TstCatalogReader::invalidEntityIsRefusedWithFileAndLine_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("where");
    QTest::addColumn<QString>("words");
    QTest::newRow("no apiVersion") << QByteArray("kind: Component\nmetadata: {name: a}\n")
                                   << QStringLiteral("c.yaml:1:1") << QStringLiteral("apiVersion");
    QTest::newRow("no kind") << QByteArray("apiVersion: v1\nmetadata:\n  name: a\n") << QStringLiteral("c.yaml:1:1")
                             << QStringLiteral("kind");
    QTest::newRow("bad name") << (QByteArray(kHeader) + "metadata:\n  name: -bad\n") << QStringLiteral("c.yaml:4:9")
                              << QStringLiteral("invalid entity name");
    QTest::newRow("name too long") << (QByteArray(kHeader) + "metadata:\n  name: " + QByteArray(64, 'a') + "\n")
                                   << QStringLiteral("c.yaml:4:9") << QStringLiteral("63");
    QTest::newRow("bad namespace") << (QByteArray(kHeader) + "metadata:\n  name: a\n  namespace: Prod\n")
                                   << QStringLiteral("c.yaml:5:14") << QStringLiteral("namespace");
    QTest::newRow("dependsOn without kind")
        << (QByteArray(kHeader) + "metadata:\n  name: a\nspec:\n  dependsOn:\n    - b\n")
        << QStringLiteral("c.yaml:7:7") << QStringLiteral("needs a kind");
    QTest::newRow("tier out of range")
        << (QByteArray(kHeader) + "metadata:\n  name: a\n  annotations:\n    holdpoint.dev/tier: \"4\"\n")
        << QStringLiteral("c.yaml:6:26") << QStringLiteral("tier");
    QTest::newRow("flag not boolean")
        << (QByteArray(kHeader) + "metadata:\n  name: a\n  annotations:\n    holdpoint.dev/data-bearing: yes\n")
        << QStringLiteral("c.yaml:6:33") << QStringLiteral("true");
    QTest::newRow("bad k8s-object")
        << (QByteArray(kHeader) + "metadata:\n  name: a\n  annotations:\n    holdpoint.dev/k8s-object: Deployment/x\n")
        << QStringLiteral("c.yaml:6:31") << QStringLiteral("Kind/namespace/name");
    QTest::newRow("second document")
        << (QByteArray(kHeader) + "metadata: {name: a}\n---\nkind: Group\nmetadata: {name: b}\n")
        << QStringLiteral("c.yaml:5:1") << QStringLiteral("apiVersion");
}

void TstCatalogReader::invalidEntityIsRefusedWithFileAndLine()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, where);
    QFETCH(QString, words);
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().reason, QStringLiteral("invalid_entity"));
    QCOMPARE(t.error().path, where);
    QVERIFY2(t.error().message.contains(words), qPrintable(t.error().message));
}

void TstCatalogReader::referencesTakeDefaultKindsAndNamespaces()
{
    const QByteArray yaml = QByteArray(kHeader) + "metadata:\n  name: a\n  namespace: shop\nspec:\n"
                                                  "  owner: payments\n  system: other/checkout\n"
                                                  "  dependsOn: [resource:db, component:infra/queue]\n"
                                                  "  consumesApis: [pay]\n---\n"
                            + kHeader + "metadata: {name: p, namespace: shop}\nspec:\n  providesApis: [api:shop/pay]\n";
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().message));
    const TopologyNode *a = t->node(QStringLiteral("component:shop/a"));
    QVERIFY(a);
    QCOMPARE(a->owner, QStringLiteral("group:shop/payments"));
    QCOMPARE(a->system, QStringLiteral("system:other/checkout"));
    QVERIFY(t->node(QStringLiteral("resource:shop/db")));   // a bare node for a reference to an unlisted entity
    QVERIFY(t->node(QStringLiteral("component:infra/queue")));
    QCOMPARE(t->edges().back(), (TopologyEdge{QStringLiteral("component:shop/a"), QStringLiteral("component:shop/p")}));
}

void TstCatalogReader::dependencyOfPointsBackAtTheEntity()
{
    const QByteArray yaml = "apiVersion: v1\nkind: Resource\nmetadata: {name: db}\nspec:\n"
                            "  dependencyOf: [component:app]\n";
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY(t.ok());
    QCOMPARE(t->edges().size(), size_t(1));
    QCOMPARE(t->edges()[0], (TopologyEdge{QStringLiteral("component:default/app"), QStringLiteral("resource:default/db")}));
}

void TstCatalogReader::otherKindsAreIgnored()
{
    const QByteArray yaml = "apiVersion: v1\nkind: User\nmetadata: {name: alice}\n---\n"
                            "apiVersion: v1\nkind: Location\nmetadata: {name: l}\n---\n";
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().message));
    QVERIFY(t->isEmpty());
}

void TstCatalogReader::entityDefinedTwiceIsRefused()
{
    const QByteArray yaml = QByteArray(kHeader) + "metadata: {name: a}\n---\n" + kHeader + "metadata: {name: a}\n";
    Result<Topology> t = CatalogReader::read(yaml, QStringLiteral("c.yaml"));
    QVERIFY(!t.ok());
    QCOMPARE(t.error().path, QStringLiteral("c.yaml:5:1"));
    QVERIFY(t.error().message.contains(QStringLiteral("c.yaml:1:1")));
}

void TstCatalogReader::addressListSplitsOutsideBrackets_data()
{
    QTest::addColumn<QString>("annotation");
    QTest::addColumn<QStringList>("addresses");
    QTest::newRow("commas") << QStringLiteral("a.b, c.d") << QStringList{QStringLiteral("a.b"), QStringLiteral("c.d")};
    QTest::newRow("newlines") << QStringLiteral("a.b\nc.d\n") << QStringList{QStringLiteral("a.b"), QStringLiteral("c.d")};
    QTest::newRow("comma in brackets") << QStringLiteral("a.b[\"x,y\"],c.d")
                                       << QStringList{QStringLiteral("a.b[\"x,y\"]"), QStringLiteral("c.d")};
}

void TstCatalogReader::addressListSplitsOutsideBrackets()
{
    QFETCH(QString, annotation);
    QFETCH(QStringList, addresses);
    QCOMPARE(CatalogReader::splitAddresses(annotation), addresses);
}

void TstCatalogReader::addressMatching_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("matches");
    QTest::newRow("itself") << QStringLiteral("aws_db.main") << QStringLiteral("aws_db.main") << true;
    QTest::newRow("instance") << QStringLiteral("aws_db.main") << QStringLiteral("aws_db.main[0]") << true;
    QTest::newRow("prefix is not a match") << QStringLiteral("aws_db.main") << QStringLiteral("aws_db.main2") << false;
    QTest::newRow("module resource") << QStringLiteral("module.net") << QStringLiteral("module.net.aws_vpc.a") << true;
    QTest::newRow("module instance") << QStringLiteral("module.net") << QStringLiteral("module.net[\"a\"].aws_vpc.a")
                                     << true;
    QTest::newRow("nested module") << QStringLiteral("module.net") << QStringLiteral("module.net.module.x.aws_vpc.a")
                                   << true;
    QTest::newRow("other module") << QStringLiteral("module.net") << QStringLiteral("module.network.aws_vpc.a")
                                  << false;
    QTest::newRow("resource is not a module") << QStringLiteral("module.net.aws_vpc.a")
                                              << QStringLiteral("module.net.aws_vpc.a.b") << false;
}

void TstCatalogReader::addressMatching()
{
    QFETCH(QString, pattern);
    QFETCH(QString, address);
    QFETCH(bool, matches);
    QCOMPARE(terraformAddressMatches(pattern, address), matches);
}

void TstCatalogReader::hashIsStableAndOrderIndependent()
{
    Topology a;
    Topology b;
    a.addEdge(QStringLiteral("x"), QStringLiteral("y"));
    a.addEdge(QStringLiteral("y"), QStringLiteral("z"));
    b.addEdge(QStringLiteral("y"), QStringLiteral("z"));
    b.addEdge(QStringLiteral("x"), QStringLiteral("y"));
    QCOMPARE(a.hash(), b.hash());
    QCOMPARE(a.hash().size(), 64);
    b.addEdge(QStringLiteral("z"), QStringLiteral("x"));
    QVERIFY(a.hash() != b.hash());
}

QTEST_GUILESS_MAIN(TstCatalogReader)
#include "tst_catalogreader.moc"
