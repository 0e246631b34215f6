#include "diff/patchnames.h"
#include "diff/patchparser.h"

#include <QFile>
#include <QTest>

using namespace hp;
using namespace hp::diff;

namespace {

QByteArray readData(const QString &name)
{
    QFile f(QStringLiteral(HP_TEST_DATA "/diff/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(f.fileName()));
    return f.readAll();
}

QString statusLetter(FileStatus s)
{
    switch (s) {
    case FileStatus::Modified: return QStringLiteral("M");
    case FileStatus::Added: return QStringLiteral("A");
    case FileStatus::Deleted: return QStringLiteral("D");
    case FileStatus::Renamed: return QStringLiteral("R");
    case FileStatus::Copied: return QStringLiteral("C");
    }
    return QStringLiteral("?");
}

// "M old -> new +2 -2 hunks=1" plus " binary", " sim=98", " mode=100644->100755".
QString summary(const FilePatch &f)
{
    auto name = [](const QByteArray &p) { return p.isEmpty() ? QStringLiteral("-") : QString::fromUtf8(p); };
    QString s = QStringLiteral("%1 %2 -> %3 +%4 -%5 hunks=%6")
                    .arg(statusLetter(f.status), name(f.oldPath), name(f.newPath))
                    .arg(f.additions).arg(f.deletions).arg(f.hunks.size());
    if (f.binary)
        s += QStringLiteral(" binary");
    if (f.similarity >= 0)
        s += QStringLiteral(" sim=%1").arg(f.similarity);
    if (f.oldMode != f.newMode && f.oldMode && f.newMode)
        s += QStringLiteral(" mode=%1->%2").arg(f.oldMode, 0, 8).arg(f.newMode, 0, 8);
    return s;
}

QStringList summaries(const PatchSet &set)
{
    QStringList out;
    for (const FilePatch &f : set.files)
        out << summary(f);
    return out;
}

QString lineText(const PatchSet &set, const PatchLine &l)
{
    return QString::fromUtf8(viewOf(set.data, l.text));
}

const QStringList gitAllKinds = {
    QStringLiteral("M blob.bin -> blob.bin +0 -0 hunks=0 binary"),
    QStringLiteral("C original.c -> copied.c +1 -0 hunks=1 sim=98"),
    QStringLiteral("M deploy.yaml -> deploy.yaml +2 -2 hunks=1"),
    QStringLiteral("A - -> empty.txt +0 -0 hunks=0"),
    QStringLiteral("A - -> new.txt +1 -0 hunks=1"),
    QStringLiteral("A - -> nonl.txt +1 -0 hunks=1"),
    QStringLiteral("D obsolete.txt -> - +0 -1 hunks=1"),
    QStringLiteral("M run.sh -> run.sh +0 -0 hunks=0 mode=100644->100755"),
    QStringLiteral("R config.txt -> settings.txt +1 -1 hunks=1 sim=96"),
    QString::fromUtf8("R sp ace \xc3\xa9.txt -> tab\tand \xc3\xbc.txt +0 -0 hunks=0 sim=100"),
};

} // namespace

class TestPatchParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void realPatchesParseToTheirFiles_data();
    void realPatchesParseToTheirFiles();
    void hunkLinesPointIntoTheInput();
    void noNewlineMarkerSetsTheLastLine();
    void gitBinaryPatchBlocksAreSkipped();
    void commitMessagesAndSignaturesAreSkipped();
    void kubectlFilesBecomeObjects_data();
    void kubectlFilesBecomeObjects();
    void kubeObjectFromPath_data();
    void kubeObjectFromPath();
    void quotedNamesAreDecoded_data();
    void quotedNamesAreDecoded();
    void quoteRoundTrips();
    void headerNamesLoseTheirTimestamp_data();
    void headerNamesLoseTheirTimestamp();
    void crlfPatchKeepsTheCrInContent();
    void strippedEmptyContextLineIsAccepted();
    void emptyInputHasNoFiles();
    void malformedPatchIsRefusedWithItsLine_data();
    void malformedPatchIsRefusedWithItsLine();
};

void TestPatchParser::realPatchesParseToTheirFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("git diff -M -C: all kinds") << QStringLiteral("git-all-kinds.patch") << gitAllKinds;
    QTest::newRow("git diff --binary") << QStringLiteral("git-binary-literal.patch") << gitAllKinds;
    QTest::newRow("diff -u") << QStringLiteral("diff-u.patch")
                             << QStringList{QStringLiteral("M old/numbers.txt -> new/numbers.txt +1 -1 hunks=1")};
    QTest::newRow("diff -ruN") << QStringLiteral("diff-u-N.patch")
                               << QStringList{QStringLiteral("A - -> new/added.txt +1 -0 hunks=1"),
                                              QStringLiteral("M old/numbers.txt -> new/numbers.txt +1 -1 hunks=1"),
                                              QStringLiteral("D old/removed.txt -> - +0 -1 hunks=1")};
    const QStringList checkout = {
        QStringLiteral("M LIVE-3412/apps.v1.Deployment.prod.checkout-api -> "
                       "MERGED-9921/apps.v1.Deployment.prod.checkout-api +3 -3 hunks=3"),
        QStringLiteral("D LIVE-3412/v1.ConfigMap.prod.checkout-flags -> - +0 -7 hunks=1")};
    QTest::newRow("kubectl diff") << QStringLiteral("kubectl-checkout-api.diff") << checkout;
    QTest::newRow("kubectl diff, spaces before stamps") << QStringLiteral("kubectl-checkout-api-spaces.diff")
                                                        << checkout;
    QStringList mail = gitAllKinds;
    mail[1] = QStringLiteral("A - -> copied.c +31 -0 hunks=1"); // format-patch does not detect copies
    QStringList second = {QStringLiteral("M deploy.yaml -> deploy.yaml +1 -1 hunks=1"),
                          QStringLiteral("M nonl.txt -> nonl.txt +1 -1 hunks=1")};
    QTest::newRow("git format-patch, two mails") << QStringLiteral("git-format-patch.mbox") << mail + second;
    QTest::newRow("git log -p --stat") << QStringLiteral("git-log-p.txt") << second + mail;
}

void TestPatchParser::realPatchesParseToTheirFiles()
{
    QFETCH(QString, file);
    QFETCH(QStringList, expected);
    const auto set = PatchParser::parse(readData(file), file);
    QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
    QCOMPARE(summaries(*set), expected);
}

void TestPatchParser::hunkLinesPointIntoTheInput()
{
    const auto set = PatchParser::parse(readData(QStringLiteral("git-all-kinds.patch")));
    QVERIFY(set.ok());
    const FilePatch &copy = set->files[1];
    QCOMPARE(copy.hunks.size(), size_t(1));
    const Hunk &h = copy.hunks[0];
    QCOMPARE(h.oldStart, 28);
    QCOMPARE(h.oldCount, 3);
    QCOMPARE(h.newStart, 28);
    QCOMPARE(h.newCount, 4);
    QCOMPARE(h.patchLine, 11);
    QCOMPARE(QString::fromUtf8(viewOf(set->data, h.section)), QStringLiteral("source line 27"));
    QCOMPARE(h.lineCount, 4);
    QCOMPARE(lineText(*set, copy.lines[0]), QStringLiteral("source line 28"));
    QCOMPARE(copy.lines[3].origin, LineOrigin::Added);
    QCOMPARE(lineText(*set, copy.lines[3]), QStringLiteral("extra"));

    const FilePatch &deploy = set->files[2];
    QCOMPARE(deploy.lines.size(), size_t(4));
    QCOMPARE(deploy.lines[0].origin, LineOrigin::Removed);
    QCOMPARE(lineText(*set, deploy.lines[0]), QStringLiteral("replicas: 6"));
    QCOMPARE(lineText(*set, deploy.lines[2]), QStringLiteral("replicas: 2"));
    QCOMPARE(deploy.oldId, QByteArray("42161d7"));
    QCOMPARE(deploy.newId, QByteArray("0a305ac"));
    QCOMPARE(deploy.headerLine, 16);
    QCOMPARE(deploy.format, PatchFormat::Git);
    // The set shares the caller's buffer instead of copying it.
    const QByteArray input = readData(QStringLiteral("diff-u.patch"));
    const auto shared = PatchParser::parse(input);
    QVERIFY(shared.ok());
    QCOMPARE(shared->data.constData(), input.constData());
}

void TestPatchParser::noNewlineMarkerSetsTheLastLine()
{
    const auto set = PatchParser::parse(readData(QStringLiteral("git-format-patch.mbox")));
    QVERIFY(set.ok());
    const FilePatch &nonl = set->files.back();
    QCOMPARE(nonl.newPath, QByteArray("nonl.txt"));
    QCOMPARE(nonl.lines.size(), size_t(2));
    QVERIFY(nonl.lines[0].noNewlineAtEnd);
    QVERIFY(nonl.lines[1].noNewlineAtEnd);
    QCOMPARE(lineText(*set, nonl.lines[1]), QStringLiteral("last line without newline, changed"));
}

void TestPatchParser::gitBinaryPatchBlocksAreSkipped()
{
    const auto set = PatchParser::parse(readData(QStringLiteral("git-binary-literal.patch")));
    QVERIFY(set.ok());
    QVERIFY(set->files[0].binary);
    QCOMPARE(set->files[0].oldId, QByteArray("eaf36c1daccfdf325514461cd1a2ffbc139b5464"));
    QVERIFY(set->files[0].lines.empty());
    QCOMPARE(set->files[1].newPath, QByteArray("copied.c"));
}

void TestPatchParser::commitMessagesAndSignaturesAreSkipped()
{
    // The message holds "--- "/"+++ " lines and "-- "; the mail ends in a
    // "-- " signature right after a hunk.
    const QByteArray mail = readData(QStringLiteral("git-format-patch.mbox"));
    QVERIFY(mail.contains("\n--- not a file header\n+++ not either\n-- not a signature\n"));
    QVERIFY(mail.contains("\n-- \n2.39"));
    const auto set = PatchParser::parse(mail);
    QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
    QCOMPARE(set->files.size(), size_t(12));
}

void TestPatchParser::kubectlFilesBecomeObjects_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("objects"); // group|version|Kind|namespace|name
    const QStringList checkout = {QStringLiteral("apps|v1|Deployment|prod|checkout-api"),
                                  QStringLiteral("|v1|ConfigMap|prod|checkout-flags")};
    QTest::newRow("fixture") << QStringLiteral("kubectl-checkout-api.diff") << checkout;
    QTest::newRow("spaces") << QStringLiteral("kubectl-checkout-api-spaces.diff") << checkout;
    QTest::newRow("dotted groups, dotted names, cluster scope")
        << QStringLiteral("kubectl-cluster-scoped.diff")
        << QStringList{QStringLiteral("autoscaling|v2beta2|HorizontalPodAutoscaler|prod|checkout.api.v2"),
                       QStringLiteral("rbac.authorization.k8s.io|v1|ClusterRole||checkout-reader"),
                       QStringLiteral("|v1|Namespace||payments-canary")};
}

void TestPatchParser::kubectlFilesBecomeObjects()
{
    QFETCH(QString, file);
    QFETCH(QStringList, objects);
    const auto set = PatchParser::parse(readData(file));
    QVERIFY(set.ok());
    QStringList got;
    for (const FilePatch &f : set->files) {
        QVERIFY(f.kubeObject.has_value());
        QCOMPARE(f.format, PatchFormat::Kubectl);
        const KubeObject &o = *f.kubeObject;
        got << QStringList{o.group, o.version, o.kind, o.ns, o.name}.join(u'|');
    }
    QCOMPARE(got, objects);
}

void TestPatchParser::kubeObjectFromPath_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("object"); // empty: not a kubectl name
    QTest::newRow("core group") << QByteArray("LIVE-1/v1.Secret.prod.db") << QStringLiteral("|v1|Secret|prod|db");
    QTest::newRow("absolute temp dir") << QByteArray("/tmp/MERGED-2513085857/apps.v1.Deployment.default.test")
                                       << QStringLiteral("apps|v1|Deployment|default|test");
    QTest::newRow("alpha version") << QByteArray("LIVE-9/example.io.v1alpha1.Widget.ns.w")
                                   << QStringLiteral("example.io|v1alpha1|Widget|ns|w");
    QTest::newRow("cluster scoped") << QByteArray("LIVE-9/v1.Node..worker-1.eu")
                                    << QStringLiteral("|v1|Node||worker-1.eu");
    QTest::newRow("apiVersion shape") << QByteArray("LIVE-9/networking.k8s.io.v1.Ingress.web.shop")
                                      << QStringLiteral("networking.k8s.io|v1|Ingress|web|shop");
    QTest::newRow("not in LIVE/MERGED") << QByteArray("tmp/apps.v1.Deployment.prod.x") << QString();
    QTest::newRow("no version token") << QByteArray("LIVE-1/apps.Deployment.prod.x") << QString();
    QTest::newRow("no name") << QByteArray("LIVE-1/apps.v1.Deployment.prod") << QString();
    QTest::newRow("empty kind") << QByteArray("LIVE-1/v1..prod.x") << QString();
    QTest::newRow("deeper file") << QByteArray("LIVE-1/sub/v1.Secret.prod.db") << QString();
}

void TestPatchParser::kubeObjectFromPath()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, object);
    const auto o = patchnames::kubeObjectFromPath(path);
    QCOMPARE(o.has_value(), !object.isEmpty());
    if (o) {
        QCOMPARE(QStringList({o->group, o->version, o->kind, o->ns, o->name}).join(u'|'), object);
        QCOMPARE(o->apiVersion(), o->group.isEmpty() ? o->version : o->group + u'/' + o->version);
    }
}

void TestPatchParser::quotedNamesAreDecoded_data()
{
    QTest::addColumn<QByteArray>("quoted");
    QTest::addColumn<QByteArray>("decoded"); // empty: broken quoting
    QTest::addColumn<int>("consumed");
    QTest::newRow("plain") << QByteArray("\"a/b.txt\" rest") << QByteArray("a/b.txt") << 9;
    QTest::newRow("escapes") << QByteArray(R"("a/with space\tand \303\251")") << QByteArray("a/with space\tand \xc3\xa9")
                             << 28;
    QTest::newRow("quote and backslash") << QByteArray(R"("a/\"q\"\\")") << QByteArray("a/\"q\"\\") << 11;
    QTest::newRow("unterminated") << QByteArray("\"a/b") << QByteArray() << 0;
    QTest::newRow("bad escape") << QByteArray(R"("a\q")") << QByteArray() << 0;
    QTest::newRow("bad octal") << QByteArray(R"("a\39")") << QByteArray() << 0;
}

void TestPatchParser::quotedNamesAreDecoded()
{
    QFETCH(QByteArray, quoted);
    QFETCH(QByteArray, decoded);
    QFETCH(int, consumed);
    qsizetype used = 0;
    const auto name = patchnames::unquote(quoted, &used);
    QCOMPARE(name.has_value(), !decoded.isEmpty());
    if (name) {
        QCOMPARE(*name, decoded);
        QCOMPARE(used, qsizetype(consumed));
    }
}

void TestPatchParser::quoteRoundTrips()
{
    const QByteArray names[] = {QByteArray("plain/name.txt"), QByteArray("with space"),
                                QByteArray("tab\tnew\nline \xc3\xbc \"q\" \\ \x7f")};
    for (const QByteArray &n : names) {
        const QByteArray q = patchnames::quote(n);
        QCOMPARE(q.startsWith('"'), patchnames::needsQuoting(n));
        qsizetype used = 0;
        QCOMPARE(q.startsWith('"') ? patchnames::unquote(q, &used).value_or("?") : q, n);
    }
    QCOMPARE(patchnames::quote("tab\tand \xc3\xbc.txt"), QByteArray(R"("tab\tand \303\274.txt")"));
}

void TestPatchParser::headerNamesLoseTheirTimestamp_data()
{
    QTest::addColumn<QByteArray>("rest");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("epoch");
    QTest::newRow("tab") << QByteArray("a b/c.txt\t2026-11-23 21:25:35.197903749 +0000") << QByteArray("a b/c.txt")
                         << false;
    QTest::newRow("spaces") << QByteArray("/var/T/LIVE-1/v1.Pod.d.x    2024-11-24 22:17:35")
                            << QByteArray("/var/T/LIVE-1/v1.Pod.d.x") << false;
    QTest::newRow("single space, zone") << QByteArray("x y.txt 2024-11-24 22:17:35.5 +0100") << QByteArray("x y.txt")
                                        << false;
    QTest::newRow("epoch utc") << QByteArray("new\t1970-01-01 00:00:00.000000000 +0000") << QByteArray("new") << true;
    QTest::newRow("epoch in another zone") << QByteArray("new\t1969-12-31 16:00:00.000000000 -0800")
                                           << QByteArray("new") << true;
    QTest::newRow("epoch with spaces") << QByteArray("new    1970-01-01 00:00:00") << QByteArray("new") << true;
    QTest::newRow("ctime") << QByteArray("old.c\tThu Jan  1 00:00:00 1970") << QByteArray("old.c") << true;
    QTest::newRow("ctime spaces") << QByteArray("old.c  Mon Nov 23 21:25:35 2026") << QByteArray("old.c") << false;
    QTest::newRow("no stamp") << QByteArray("just a name.txt") << QByteArray("just a name.txt") << false;
    QTest::newRow("quoted") << QByteArray(R"("q\tname"	2026-01-01 00:00:00)") << QByteArray("q\tname") << false;
    QTest::newRow("dev null") << QByteArray("/dev/null") << QByteArray("/dev/null") << false;
}

void TestPatchParser::headerNamesLoseTheirTimestamp()
{
    QFETCH(QByteArray, rest);
    QFETCH(QByteArray, name);
    QFETCH(bool, epoch);
    const patchnames::HeaderName h = patchnames::parseHeaderName(rest);
    QVERIFY(h.valid);
    QCOMPARE(h.name, name);
    QCOMPARE(h.epoch, epoch);
    QCOMPARE(h.devNull, name == "/dev/null");
}

void TestPatchParser::crlfPatchKeepsTheCrInContent()
{
    const QByteArray patch = "--- a.txt\r\n+++ b.txt\r\n@@ -1,2 +1,2 @@\r\n keep\r\n-old\r\n+new\r\n";
    const auto set = PatchParser::parse(patch);
    QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
    QCOMPARE(set->files[0].oldPath, QByteArray("a.txt"));
    QCOMPARE(set->files[0].lines.size(), size_t(3));
    QCOMPARE(lineText(*set, set->files[0].lines[1]), QStringLiteral("old\r"));
}

void TestPatchParser::strippedEmptyContextLineIsAccepted()
{
    const QByteArray patch = "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n";
    const auto set = PatchParser::parse(patch);
    QVERIFY2(set.ok(), set.ok() ? "" : qPrintable(set.error().message));
    const FilePatch &f = set->files[0];
    QCOMPARE(f.lines.size(), size_t(4));
    QCOMPARE(f.lines[1].origin, LineOrigin::Context);
    QCOMPARE(f.lines[1].text.length, qsizetype(0));
}

void TestPatchParser::emptyInputHasNoFiles()
{
    for (const QByteArray &input : {QByteArray(), QByteArray("\n  \n\t\n")}) {
        const auto set = PatchParser::parse(input);
        QVERIFY(set.ok());
        QVERIFY(set->files.empty());
    }
}

void TestPatchParser::malformedPatchIsRefusedWithItsLine_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("expected");
    QTest::newRow("body ends early") << QByteArray("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n") << 6
                                     << QStringLiteral("still expects 1 old and 1 new line(s)");
    QTest::newRow("body longer than header") << QByteArray("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n+z\n") << 6
                                             << QStringLiteral("more lines than its header counts");
    QTest::newRow("added line when none is left") << QByteArray("--- a\n+++ b\n@@ -1,2 +1 @@\n-x\n+y\n+z\n") << 6
                                                  << QStringLiteral("an added line, but the hunk at line 3");
    QTest::newRow("context line when old side is done") << QByteArray("--- a\n+++ b\n@@ -1 +1,2 @@\n x\n y\n")
                                                        << 5 << QStringLiteral("a context line");
    QTest::newRow("stray character in body") << QByteArray("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n*y\n") << 5
                                             << QStringLiteral("expected a line starting with ' ', '-', '+' or '\\'");
    QTest::newRow("bad hunk header") << QByteArray("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,x +1 @@\n") << 4
                                     << QStringLiteral("malformed hunk header");
    QTest::newRow("hunk header without closing @@") << QByteArray("--- a\n+++ b\n@@ -1 +1\n-x\n+y\n") << 3
                                                    << QStringLiteral("malformed hunk header");
    QTest::newRow("hunk outside a file") << QByteArray("hello\n@@ -1 +1 @@\n-a\n+b\n") << 2
                                         << QStringLiteral("hunk header outside a file section");
    QTest::newRow("--- without +++") << QByteArray("diff --git a/x b/x\n--- a/x\nfoo\n") << 3
                                     << QStringLiteral("expected \"+++ \"");
    QTest::newRow("names without hunk") << QByteArray("diff --git a/x b/x\n--- a/x\n+++ b/x\n") << 4
                                        << QStringLiteral("expected a hunk header");
    QTest::newRow("overlapping hunks")
        << QByteArray("--- a\n+++ b\n@@ -1,2 +1,2 @@\n-x\n+y\n z\n@@ -2 +2 @@\n-z\n+w\n") << 7
        << QStringLiteral("overlaps or precedes the hunk at line 3");
    QTest::newRow("empty hunk") << QByteArray("--- a\n+++ b\n@@ -0,0 +0,0 @@\n") << 3 << QStringLiteral("empty hunk");
    QTest::newRow("lines from line 0") << QByteArray("--- a\n+++ b\n@@ -0,1 +1 @@\n-x\n+y\n") << 3
                                       << QStringLiteral("counts lines from line 0");
    QTest::newRow("bad mode") << QByteArray("diff --git a/x b/x\nold mode 10064x\nnew mode 100755\n") << 2
                              << QStringLiteral("expected an octal file mode after \"old mode\"");
    QTest::newRow("binary patch without block") << QByteArray("diff --git a/x b/x\nindex 1..2\nGIT binary patch\nzzz\n")
                                                << 4 << QStringLiteral("expected \"literal SIZE\"");
    QTest::newRow("binary data not base85") << QByteArray("diff --git a/x b/x\nGIT binary patch\nliteral 3\n!bad\n\n")
                                            << 4 << QStringLiteral("base85");
    QTest::newRow("marker before any line") << QByteArray("--- a\n+++ b\n@@ -1 +1 @@\n\\ No newline at end of file\n")
                                            << 4 << QStringLiteral("before any line");
    QTest::newRow("no file section at all") << QByteArray("\nJust some text.\nNothing else.\n") << 2
                                            << QStringLiteral("no file changes found");
    QTest::newRow("unnamed git section") << QByteArray("diff --git nonsense\nnew file mode 100644\n") << 1
                                         << QStringLiteral("cannot tell the file name");
    QTest::newRow("second file broken") << readData(QStringLiteral("diff-u.patch")) + "--- c\n+++ d\n@@ -1 +1 @@\n-x\n"
                                        << 16 << QStringLiteral("unexpected end of the patch");
}

void TestPatchParser::malformedPatchIsRefusedWithItsLine()
{
    QFETCH(QByteArray, patch);
    QFETCH(int, line);
    QFETCH(QString, expected);
    const auto set = PatchParser::parse(patch, QStringLiteral("proposal.diff"));
    QVERIFY(!set.ok());
    const Error &e = set.error();
    QCOMPARE(e.code, ExitCode::Usage);
    QCOMPARE(e.reason, QStringLiteral("malformed_patch"));
    QCOMPARE(e.path, QStringLiteral("proposal.diff:%1").arg(line));
    QVERIFY2(e.message.startsWith(QStringLiteral("line %1: ").arg(line)), qPrintable(e.message));
    QVERIFY2(e.message.contains(expected), qPrintable(e.message));
}

QTEST_GUILESS_MAIN(TestPatchParser)
#include "tst_patchparser.moc"
