#include "blast/blastnodes.h"
#include "topology/catalogreader.h"

#include <QFile>
#include <QTest>

using namespace hp;

// The pieces under the blast radius panel that need no widget: how nodes are
// named and numbers written, and reading a stored catalog from memory.
class TstBlastSupport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void termsHaveFourDecimalsAndFactorsDropTrailingZeros_data();
    void termsHaveFourDecimalsAndFactorsDropTrailingZeros();
    void nodeInfoComesFromTheCatalog();
    void ownNodesAreNamedByTheirAddress();
    void namesAreEscapedForDangerousCharacters();
    void readStreamsEqualsReadingTheFiles();
    void readStreamsReportsTheStreamName();
};

void TstBlastSupport::termsHaveFourDecimalsAndFactorsDropTrailingZeros_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("term");
    QTest::addColumn<QString>("factor");
    QTest::newRow("1.875") << 1.875 << QStringLiteral("1.8750") << QStringLiteral("1.875");
    QTest::newRow("0.783") << 0.783 << QStringLiteral("0.7830") << QStringLiteral("0.783");
    QTest::newRow("one") << 1.0 << QStringLiteral("1.0000") << QStringLiteral("1");
    QTest::newRow("decay 0.36") << 0.36 << QStringLiteral("0.3600") << QStringLiteral("0.36");
    QTest::newRow("zero") << 0.0 << QStringLiteral("0.0000") << QStringLiteral("0");
    QTest::newRow("rounds") << 0.123456 << QStringLiteral("0.1235") << QStringLiteral("0.1235");
}

void TstBlastSupport::termsHaveFourDecimalsAndFactorsDropTrailingZeros()
{
    QFETCH(double, value);
    QFETCH(QString, term);
    QFETCH(QString, factor);
    QCOMPARE(formatTerm(value), term);
    QCOMPARE(formatFactor(value), factor);
}

void TstBlastSupport::nodeInfoComesFromTheCatalog()
{
    Result<Topology> t = CatalogReader::readFile(QStringLiteral(HP_TEST_DATA "/topology/cost-explorer.yaml"));
    QVERIFY(t.ok());
    const BlastNodeInfo console = blastNodeInfo(QStringLiteral("component:default/cost-console"), *t);
    QCOMPARE(console.name, QStringLiteral("cost-console"));
    QCOMPARE(console.kind, QStringLiteral("component"));
    const TopologyNode *node = t->node(console.id);
    QVERIFY(node);
    QCOMPARE(console.tier, node->tier);
    QCOMPARE(console.owner, blastShortRef(node->owner));
    QVERIFY(!console.owner.startsWith(QStringLiteral("group:")));
    QCOMPARE(console.customerFacing, node->customerFacing);
}

void TstBlastSupport::ownNodesAreNamedByTheirAddress()
{
    const Topology empty;
    const BlastNodeInfo tf = blastNodeInfo(QStringLiteral("terraform:aws_s3_bucket.logs[\"a\"]"), empty);
    QCOMPARE(tf.name, QStringLiteral("aws_s3_bucket.logs[\"a\"]"));
    QCOMPARE(tf.kind, QStringLiteral("terraform"));
    QVERIFY(isOwnNode(tf.id));
    const BlastNodeInfo k8s = blastNodeInfo(QStringLiteral("k8s:Deployment/shop/checkout"), empty);
    QCOMPARE(k8s.name, QStringLiteral("Deployment/shop/checkout"));
    QCOMPARE(k8s.kind, QStringLiteral("k8s"));
    // A catalog id the topology lacks: its short reference.
    const BlastNodeInfo gone = blastNodeInfo(QStringLiteral("component:ops/metrics"), empty);
    QCOMPARE(gone.name, QStringLiteral("ops/metrics"));
    QVERIFY(!isOwnNode(gone.id));
    QCOMPARE(blastShortRef(QStringLiteral("group:default/team-billing")), QStringLiteral("team-billing"));
    QCOMPARE(blastShortRef(QString()), QString());
}

void TstBlastSupport::namesAreEscapedForDangerousCharacters()
{
    Topology t;
    TopologyNode n;
    n.id = QStringLiteral("component:default/evil");
    n.kind = QStringLiteral("component");
    n.name = QStringLiteral("pay\u202Emoc.exe");
    n.owner = QStringLiteral("group:default/te\u200Bam");
    t.addNode(n);
    const BlastNodeInfo info = blastNodeInfo(n.id, t);
    QCOMPARE(info.name, QStringLiteral("pay<U+202E>moc.exe"));
    QCOMPARE(info.owner, QStringLiteral("te<U+200B>am"));
    QCOMPARE(blastPathText({n.id, QStringLiteral("terraform:x.y")}, t), QStringLiteral("pay<U+202E>moc.exe → x.y"));
}

void TstBlastSupport::readStreamsEqualsReadingTheFiles()
{
    const QStringList files = {QStringLiteral(HP_TEST_DATA "/topology/cost-explorer.yaml"),
                               QStringLiteral(HP_TEST_DATA "/topology/checkout.yaml")};
    std::vector<std::pair<QString, QByteArray>> streams;
    for (const QString &path : files) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        streams.emplace_back(path, f.readAll());
    }
    Result<Topology> fromFiles = CatalogReader::readFiles(files);
    Result<Topology> fromStreams = CatalogReader::readStreams(streams);
    QVERIFY(fromFiles.ok() && fromStreams.ok());
    QVERIFY(!fromStreams->isEmpty());
    QCOMPARE(fromStreams->hash(), fromFiles->hash());
}

void TstBlastSupport::readStreamsReportsTheStreamName()
{
    const QByteArray bad = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  name: b\n";
    Result<Topology> t = CatalogReader::readStreams({{QStringLiteral("stored/catalog.yaml"), bad}});
    QVERIFY(!t.ok());
    QVERIFY2(t.error().message.contains(QStringLiteral("stored/catalog.yaml")), qPrintable(t.error().message));
}

QTEST_MAIN(TstBlastSupport)
#include "tst_blastsupport.moc"
