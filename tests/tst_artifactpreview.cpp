#include "artifactpreview.h"

#include <QTest>

using namespace hp;

class TestArtifactPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void textIsShownAsReceived()
    {
        const QByteArray bytes(
            "--- a/main.tf\n+++ b/main.tf\n@@ -1 +1 @@\n-<b>x</b>\n+\xE2\x80\xAE y\n");
        const ArtifactPreview p = ArtifactPreview::of(bytes, {});
        QVERIFY(!p.binary);
        QVERIFY(!p.truncated);
        QVERIFY(p.note.isEmpty());
        QCOMPARE(p.text, QString::fromUtf8(bytes));
    }

    void nulByteMeansBinaryAndIsDescribed()
    {
        QByteArray bytes("PK\x03\x04", 4);
        bytes += QByteArray(12341, '\0');
        const QByteArray sha(32, '\xab');
        const ArtifactPreview p = ArtifactPreview::of(bytes, sha);
        QVERIFY(p.binary);
        QCOMPARE(p.note, QStringLiteral("binary, 12,345 bytes, sha256 ") +
                             QStringLiteral("ab").repeated(32));
        QVERIFY(p.text.contains(QStringLiteral("00000000  50 4b 03 04")));
        QVERIFY(p.text.size() < 5000); // a dump of the start, not the whole
    }

    void hugeTextIsCutAtALineEndWithANote()
    {
        QByteArray bytes;
        for (int i = 0; i < 1000; ++i)
            bytes += "line " + QByteArray::number(i) + '\n';
        const ArtifactPreview p = ArtifactPreview::of(bytes, {}, 100);
        QVERIFY(p.truncated);
        QVERIFY(p.text.endsWith(QLatin1Char('\n')));
        QVERIFY(p.text.size() <= 100);
        QVERIFY(QString::fromUtf8(bytes).startsWith(p.text));
        QVERIFY(p.note.startsWith(QStringLiteral("showing the first")));
        QVERIFY(p.note.contains(QStringLiteral("of ") + ArtifactPreview::sizeText(bytes.size())));
    }

    void invalidUtf8IsSaidSo()
    {
        const ArtifactPreview p = ArtifactPreview::of(QByteArray("caf\xE9\n"), {});
        QVERIFY(!p.binary);
        QVERIFY(p.note.contains(QStringLiteral("not valid UTF-8")));
        QVERIFY(p.text.startsWith(QStringLiteral("caf")));
    }

    void sizeText_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("one") << qint64(1) << QStringLiteral("1 byte");
        QTest::newRow("thousands") << qint64(12345) << QStringLiteral("12,345 bytes");
        QTest::newRow("mebibytes")
            << qint64(3 * 1024 * 1024) << QStringLiteral("3.0 MiB (3,145,728 bytes)");
    }

    void sizeText()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(ArtifactPreview::sizeText(bytes), text);
    }

    void indentJson_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("indented");
        QTest::newRow("object") << QStringLiteral("{\"a\":1,\"b\":[true,null]}")
                                << QStringLiteral(
                                       "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ]\n}\n");
        QTest::newRow("empty containers stay on their line")
            << QStringLiteral("{\"a\":{},\"b\":[ ]}")
            << QStringLiteral("{\n  \"a\": {},\n  \"b\": []\n}\n");
        QTest::newRow("duplicate keys are kept")
            << QStringLiteral("{\"k\":1,\"k\":2}")
            << QStringLiteral("{\n  \"k\": 1,\n  \"k\": 2\n}\n");
        QTest::newRow("strings are untouched")
            << QStringLiteral("[\"a, {b}: [c]\",\"q\\\"{ ,\",\"\\\\\"]")
            << QStringLiteral("[\n  \"a, {b}: [c]\",\n  \"q\\\"{ ,\",\n  \"\\\\\"\n]\n");
        QTest::newRow("unbalanced") << QStringLiteral("{\"a\":[1}") << QString();
        QTest::newRow("extra closer") << QStringLiteral("{}}") << QString();
        QTest::newRow("open string") << QStringLiteral("{\"a") << QString();
    }

    void indentJson()
    {
        QFETCH(QString, json);
        QFETCH(QString, indented);
        QCOMPARE(ArtifactPreview::indentJson(json, 1 << 20), indented);
    }

    void deepNestingCannotBlowUp()
    {
        const QString deep = QString(100000, QLatin1Char('[')) + QString(100000, QLatin1Char(']'));
        QVERIFY(ArtifactPreview::indentJson(deep, 1 << 20).isEmpty()); // over the cap: not indented
        const QString shallow =
            QString(500, QLatin1Char('[')) + QStringLiteral("1") + QString(500, QLatin1Char(']'));
        const QString out = ArtifactPreview::indentJson(shallow, 1 << 20);
        QVERIFY(!out.isEmpty());
        QVERIFY(out.size() < 1000 * 90); // indentation stops growing
    }

    void minifiedPlanIsIndentedOthersAreNot()
    {
        QString plan = QStringLiteral("{\"format_version\":\"1.2\",\"resource_changes\":[");
        for (int i = 0; i < 40; ++i)
            plan +=
                QStringLiteral(
                    "{\"address\":\"terraform_data.r%1\",\"change\":{\"actions\":[\"update\"]}},")
                    .arg(i);
        plan += QStringLiteral("{}]}");
        ArtifactPreview p = ArtifactPreview::of(plan.toUtf8(), {});
        p.indentPlan();
        QVERIFY(p.text.startsWith(QStringLiteral("{\n  \"format_version\": \"1.2\",\n")));
        QVERIFY(p.note.contains(QStringLiteral("re-indented")));

        ArtifactPreview laidOut =
            ArtifactPreview::of(QByteArray("{\n  \"a\": 1\n}\n").repeated(30), {});
        const QString before = laidOut.text;
        laidOut.indentPlan();
        QCOMPARE(laidOut.text, before);
    }
};

QTEST_GUILESS_MAIN(TestArtifactPreview)
#include "tst_artifactpreview.moc"
