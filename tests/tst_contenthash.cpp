#include "domain/sha256.h"
#include "intake/contenthash.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace hp;

namespace {

Artifact make(ArtifactKind kind, const QString &name, std::vector<QByteArray> parts)
{
    Artifact a;
    a.kind = kind;
    a.name = name;
    a.parts = std::move(parts);
    return a;
}

QByteArray allBytes()
{
    QByteArray b;
    for (int i = 0; i < 256; ++i)
        b.append(static_cast<char>(i));
    return b;
}

// The fixed revision of tests/data/intake/contenthash_reference.py, in the
// same (unsorted) order.
std::vector<Artifact> referenceArtifacts()
{
    std::vector<Artifact> list;
    list.push_back(make(ArtifactKind::UnifiedDiff, QStringLiteral("fix.patch"),
                        {QByteArray("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")}));
    list.push_back(make(ArtifactKind::Command, QStringLiteral("steps.sh"),
                        {QByteArray("kubectl rollout restart deploy/api\n")}));
    list.push_back(make(ArtifactKind::FilePair, QStringLiteral("etc/app.conf"),
                        {QByteArray("port = 80\n"), QByteArray("port = 8080\n")}));
    list.push_back(make(ArtifactKind::TerraformPlanfile, QStringLiteral("tfplan"), {allBytes()}));
    list.push_back(make(ArtifactKind::Command, QStringLiteral("\u00e9tape.sh"), {QByteArray("echo ok\n")}));
    list.push_back(make(ArtifactKind::Command, QStringLiteral("apply.sh"), {QByteArray("")}));
    return list;
}

RevisionMeta referenceMeta()
{
    return RevisionMeta{ChangeKind::Infra, QStringLiteral("production"), QStringLiteral("account:prod-billing")};
}

} // namespace

class TstContentHash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metaRecordIsCanonicalJson()
    {
        QCOMPARE(metaRecord(referenceMeta()),
                 QByteArray("{\"environment\":\"production\",\"kind\":\"infra\",\"target\":\"account:prod-billing\"}"));
        const RevisionMeta policy{ChangeKind::Policy, QString(), QStringLiteral("a\"b")};
        QCOMPARE(metaRecord(policy), QByteArray("{\"environment\":\"\",\"kind\":\"policy\",\"target\":\"a\\\"b\"}"));
    }

    // Expected value printed by tests/data/intake/contenthash_reference.py
    // (python3 hashlib/json/struct, written independently of the C++ code).
    void matchesIndependentReference()
    {
        QCOMPARE(contentHash(referenceMeta(), referenceArtifacts()).toHex(),
                 QByteArray("1b5630885eda15114407e4e4cde81da45ce3e18e5f288eeb548af8262be8e964"));
    }

    void artifactOrderDoesNotMatter()
    {
        const QByteArray expected = contentHash(referenceMeta(), referenceArtifacts());
        std::vector<Artifact> list = referenceArtifacts();
        std::mt19937 rng(8812);
        for (int round = 0; round < 10; ++round) {
            std::shuffle(list.begin(), list.end(), rng);
            QCOMPARE(contentHash(referenceMeta(), list), expected);
        }
        std::reverse(list.begin(), list.end());
        QCOMPARE(contentHash(referenceMeta(), list), expected);
    }

    void metaChangesChangeTheHash_data()
    {
        QTest::addColumn<int>("field");
        QTest::newRow("kind") << 0;
        QTest::newRow("environment") << 1;
        QTest::newRow("target") << 2;
    }
    void metaChangesChangeTheHash()
    {
        QFETCH(int, field);
        RevisionMeta meta = referenceMeta();
        if (field == 0)
            meta.kind = ChangeKind::Policy;
        else if (field == 1)
            meta.environment = QStringLiteral("staging");
        else
            meta.target = QStringLiteral("account:prod-billing2");
        QVERIFY(contentHash(meta, referenceArtifacts()) != contentHash(referenceMeta(), referenceArtifacts()));
    }

    void contentNameAndKindChangesChangeTheHash()
    {
        const QByteArray base = contentHash(referenceMeta(), referenceArtifacts());
        std::vector<Artifact> list = referenceArtifacts();
        list[0].parts[0].append('\n');
        QVERIFY(contentHash(referenceMeta(), list) != base);
        list = referenceArtifacts();
        list[1].name = QStringLiteral("steps2.sh");
        QVERIFY(contentHash(referenceMeta(), list) != base);
        list = referenceArtifacts();
        list[1].kind = ArtifactKind::K8sManifest;
        QVERIFY(contentHash(referenceMeta(), list) != base);
    }

    // Length prefixes keep part boundaries apart: moving a byte from the
    // before part to the after part is a different revision.
    void partBoundariesAreHashed()
    {
        std::vector<Artifact> a{make(ArtifactKind::FilePair, QStringLiteral("f"), {QByteArray("ab"), QByteArray("c")})};
        std::vector<Artifact> b{make(ArtifactKind::FilePair, QStringLiteral("f"), {QByteArray("a"), QByteArray("bc")})};
        QVERIFY(contentHash(referenceMeta(), a) != contentHash(referenceMeta(), b));
        std::vector<Artifact> newFile{make(ArtifactKind::FilePair, QStringLiteral("f"), {QByteArray(), QByteArray("x")})};
        std::vector<Artifact> deleted{make(ArtifactKind::FilePair, QStringLiteral("f"), {QByteArray("x"), QByteArray()})};
        QVERIFY(contentHash(referenceMeta(), newFile) != contentHash(referenceMeta(), deleted));
    }

    void perArtifactHashIsSha256OfTheLastPart()
    {
        std::vector<Artifact> list = referenceArtifacts();
        hashArtifacts(list);
        for (const Artifact &a : list)
            QCOMPARE(a.sha256, Sha256::digest(a.parts.back()));
        // Values printed by the reference script.
        QCOMPARE(list[2].sha256.toHex(), QByteArray("37107a4e5ea873399e16cc41781ede69752273d4232675d990fda44a0603dfa2"));
        QCOMPARE(list[5].sha256.toHex(), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(list[2].sha256, Sha256::digest("port = 8080\n"));
    }

    void emptyRevisionHashesMetaOnly()
    {
        Sha256 h;
        const QByteArray record = metaRecord(referenceMeta());
        h.update(QByteArrayView("HPB1\0", 5));
        const char len[4] = {0, 0, 0, static_cast<char>(record.size())};
        h.update(QByteArrayView(len, 4));
        h.update(record);
        QCOMPARE(contentHash(referenceMeta(), {}), h.finish());
    }
};

QTEST_GUILESS_MAIN(TstContentHash)
#include "tst_contenthash.moc"
