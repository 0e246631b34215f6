#include "topology/catalogreader.h"
#include "topology/manifestreader.h"

#include <QFile>
#include <QTest>

using namespace hp;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/topology/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(name));
    return f.readAll();
}

bool hasEdge(const Topology &t, const QString &from, const QString &to)
{
    const auto &e = t.edges();
    return std::find(e.begin(), e.end(), TopologyEdge{from, to}) != e.end();
}

} // namespace

class TstManifestReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void objectsOfEveryDocumentAndList();
    void ownerReferenceAndServiceSelectorGiveEdges();
    void annotatedObjectsMapToCatalogEntities();
    void hostileManifestIsRefused_data();
    void hostileManifestIsRefused();
};

void TstManifestReader::objectsOfEveryDocumentAndList()
{
    Result<std::vector<KubeManifestObject>> objs =
        ManifestReader::read(readData(QStringLiteral("checkout-manifests.yaml")), QStringLiteral("m.yaml"));
    QVERIFY2(objs.ok(), objs.ok() ? "" : qPrintable(objs.error().message));
    QCOMPARE(objs->size(), size_t(5));
    QCOMPARE(objs->at(0).labels.value(QStringLiteral("app")), QStringLiteral("checkout-api"));
    QCOMPARE(objs->at(1).owners.size(), size_t(1));
    QCOMPARE(objs->at(2).kind, QStringLiteral("Service"));
    QCOMPARE(objs->at(2).selector.size(), 2);
}

void TstManifestReader::ownerReferenceAndServiceSelectorGiveEdges()
{
    Result<std::vector<KubeManifestObject>> objs =
        ManifestReader::read(readData(QStringLiteral("checkout-manifests.yaml")), QStringLiteral("m.yaml"));
    QVERIFY(objs.ok());
    Topology t;
    QCOMPARE(ManifestReader::addToTopology(t, *objs), 2);
    QVERIFY(hasEdge(t, QStringLiteral("k8s:ReplicaSet/prod/checkout-api-7d9f"),
                    QStringLiteral("k8s:Deployment/prod/checkout-api")));
    QVERIFY(hasEdge(t, QStringLiteral("k8s:Service/prod/checkout"), QStringLiteral("k8s:Deployment/prod/checkout-api")));
    // The ReplicaSet's template lacks tier: backend, so the prod Service does not select it; the
    // staging Service selects nothing in prod.
    QVERIFY(!hasEdge(t, QStringLiteral("k8s:Service/prod/checkout"),
                     QStringLiteral("k8s:ReplicaSet/prod/checkout-api-7d9f")));
    QVERIFY(!hasEdge(t, QStringLiteral("k8s:Service/staging/checkout-staging"),
                     QStringLiteral("k8s:Deployment/prod/checkout-api")));
}

void TstManifestReader::annotatedObjectsMapToCatalogEntities()
{
    Result<Topology> t = CatalogReader::read(readData(QStringLiteral("checkout.yaml")), QStringLiteral("checkout.yaml"));
    QVERIFY(t.ok());
    Result<std::vector<KubeManifestObject>> objs =
        ManifestReader::read(readData(QStringLiteral("checkout-manifests.yaml")), QStringLiteral("m.yaml"));
    QVERIFY(objs.ok());
    ManifestReader::addToTopology(*t, *objs);
    QVERIFY(hasEdge(*t, QStringLiteral("k8s:Service/prod/checkout"), QStringLiteral("component:default/checkout-api")));
    QVERIFY(hasEdge(*t, QStringLiteral("k8s:ReplicaSet/prod/checkout-api-7d9f"),
                    QStringLiteral("component:default/checkout-api")));
    QVERIFY(!t->node(QStringLiteral("k8s:Deployment/prod/checkout-api")));
}

void TstManifestReader::hostileManifestIsRefused_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("reason");
    QTest::newRow("alias") << QByteArray("kind: Pod\nmetadata: {name: a, labels: *l}\n") << QStringLiteral("yaml_alias");
    QTest::newRow("duplicate key") << QByteArray("kind: Pod\nkind: Service\n") << QStringLiteral("yaml_duplicate_key");
    QTest::newRow("no name") << QByteArray("kind: Pod\nmetadata: {}\n") << QStringLiteral("invalid_manifest");
    QTest::newRow("bad owner") << QByteArray("kind: Pod\nmetadata:\n  name: a\n  ownerReferences: [{kind: X}]\n")
                               << QStringLiteral("invalid_manifest");
}

void TstManifestReader::hostileManifestIsRefused()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, reason);
    Result<std::vector<KubeManifestObject>> objs = ManifestReader::read(yaml, QStringLiteral("m.yaml"));
    QVERIFY(!objs.ok());
    QCOMPARE(objs.error().reason, reason);
    QVERIFY(objs.error().path.startsWith(QStringLiteral("m.yaml:")));
}

QTEST_GUILESS_MAIN(TstManifestReader)
#include "tst_manifestreader.moc"
