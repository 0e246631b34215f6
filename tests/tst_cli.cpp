// holdpointctl run as a real process (the built binary) as the current login,
// on temporary stores: the command set of DESIGN §8, its exit codes and JSON.
#include "cli/duration.h"
#include "ctlfixture.h"
#include "domain/identity.h"
#include "domain/sha256.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using hp::test::CtlRun;

class TestCli : public QObject, public hp::test::CtlFixture
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(QStringLiteral(HP_CTL_PATH)), HP_CTL_PATH);
        QVERIFY(!hp::currentLogin().isEmpty());
    }

    void init() { QVERIFY(newFolder()); }

    void missingStoreSaysHowToCreateOne_data()
    {
        QTest::addColumn<QStringList>("args");
        const QString id = QStringLiteral("01JD0000000000000000000000");
        QTest::newRow("list") << QStringList{QStringLiteral("list")};
        QTest::newRow("show") << QStringList{QStringLiteral("show"), id};
        QTest::newRow("whoami") << QStringList{QStringLiteral("whoami")};
        QTest::newRow("users list") << QStringList{QStringLiteral("users"), QStringLiteral("list")};
        QTest::newRow("agents add")
            << QStringList{QStringLiteral("agents"), QStringLiteral("add"), QStringLiteral("a"),
                           QStringLiteral("--operator"), QStringLiteral("b")};
        QTest::newRow("audit verify")
            << QStringList{QStringLiteral("audit"), QStringLiteral("verify")};
        QTest::newRow("wait") << QStringList{QStringLiteral("wait"), id,
                                             QStringLiteral("--timeout"), QStringLiteral("1s")};
        QTest::newRow("decide") << QStringList{QStringLiteral("decide"), id,
                                               QStringLiteral("approve")};
        QTest::newRow("submit") << QStringList{QStringLiteral("submit"),
                                               QStringLiteral("--command-file"),
                                               QStringLiteral(HP_TEST_DATA "/cli/proposal.json")};
    }
    void missingStoreSaysHowToCreateOne()
    {
        QFETCH(QStringList, args);
        const CtlRun r = onStore(args);
        QCOMPARE(r.exitCode, 9);
        QVERIFY2(r.err.contains("init --admin"), r.err.constData());
        QVERIFY(r.out.isEmpty());
        QVERIFY2(!QFileInfo::exists(db()), "a read command must not create a store");
    }

    void helpAndDiffNeedNoStore_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("--help") << QStringList{QStringLiteral("--help")};
        QTest::newRow("submit --help")
            << QStringList{QStringLiteral("submit"), QStringLiteral("--help")};
        QTest::newRow("users add -h")
            << QStringList{QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("-h")};
        QTest::newRow("help after options")
            << QStringList{QStringLiteral("check"), QStringLiteral("X"), QStringLiteral("--bogus"),
                           QStringLiteral("-h")};
        QTest::newRow("diff") << QStringList{QStringLiteral("diff"),
                                             QStringLiteral(HP_TEST_DATA "/cli/diff/nonl-a.txt"),
                                             QStringLiteral(HP_TEST_DATA "/cli/diff/nonl-b.txt")};
    }
    void helpAndDiffNeedNoStore()
    {
        QFETCH(QStringList, args);
        const CtlRun r = onStore(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(!r.out.isEmpty());
        QVERIFY(!QFileInfo::exists(db()));
    }

    void usageErrorsExit2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList{};
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")};
        QTest::newRow("group without subcommand") << QStringList{QStringLiteral("users")};
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("list"), QStringLiteral("--colour")};
        QTest::newRow("missing argument") << QStringList{QStringLiteral("show")};
        QTest::newRow("extra argument")
            << QStringList{QStringLiteral("show"), QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("list"), QStringLiteral("--status")};
        QTest::newRow("bad status") << QStringList{
            QStringLiteral("list"), QStringLiteral("--status"), QStringLiteral("done")};
        QTest::newRow("bad duration")
            << QStringList{QStringLiteral("wait"), QStringLiteral("X"), QStringLiteral("--timeout"),
                           QStringLiteral("30")};
        QTest::newRow("bad decision")
            << QStringList{QStringLiteral("decide"), QStringLiteral("X"), QStringLiteral("maybe")};
        QTest::newRow("init without admin") << QStringList{QStringLiteral("init")};
        QTest::newRow("bad role") << QStringList{QStringLiteral("users"), QStringLiteral("add"),
                                                 QStringLiteral("x"), QStringLiteral("--role"),
                                                 QStringLiteral("boss")};
    }
    void usageErrorsExit2()
    {
        QFETCH(QStringList, args);
        const CtlRun r = onStore(args);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY(!r.err.isEmpty());
        QVERIFY(!QFileInfo::exists(db()));
    }

    void initCreatesAPrivateStoreOnce()
    {
        QVERIFY(initStore().exitCode == 0);
        QCOMPARE(QFileInfo(db()).permissions() & 0x0077, QFileDevice::Permissions());
        const CtlRun again =
            onStore({QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("other")});
        QVERIFY2(again.exitCode != 0, qPrintable(again.describe()));
        const CtlRun users =
            onStore({QStringLiteral("users"), QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(users.exitCode, 0);
        QCOMPARE(users.json().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.users.list/1"));
        const QJsonArray list = users.json().value(QStringLiteral("users")).toArray();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("login")).toString(),
                 QStringLiteral("hp-test-admin"));
    }

    void submitFromProposalFile()
    {
        QVERIFY(initStore().exitCode == 0);
        const CtlRun r = onStore({QStringLiteral("submit"), QStringLiteral("--file"),
                                  data(QStringLiteral("proposal.json")), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.submit/1"));
        QVERIFY(!o.value(QStringLiteral("id")).toString().isEmpty());
        QCOMPARE(o.value(QStringLiteral("revision")).toInt(), 1);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$"))
                    .match(o.value(QStringLiteral("content_hash")).toString())
                    .hasMatch());
        QCOMPARE(o.value(QStringLiteral("unregistered_agent")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QSet<QString> hashes;
        for (const QJsonValue &a : o.value(QStringLiteral("artifacts")).toArray())
            hashes << a.toObject().value(QStringLiteral("sha256")).toString();
        QVERIFY(hashes.contains(fileSha(data(QStringLiteral("scale-api.plan.json")))));
    }

    void submitFromStdinResolvesPathsFromTheWorkingDirectory()
    {
        QVERIFY(initStore().exitCode == 0);
        QFile f(data(QStringLiteral("proposal.json")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const CtlRun r = onStore({QStringLiteral("submit"), QStringLiteral("--file"),
                                  QStringLiteral("-"), QStringLiteral("--json")},
                                 f.readAll(), data(QString()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(changes().size(), 1);
    }

    void submitFromParts()
    {
        QVERIFY(initStore().exitCode == 0);
        QFile after(tmp(QStringLiteral("app.conf")));
        QVERIFY(after.open(QIODevice::WriteOnly));
        after.write("pool = 40\n");
        after.close();
        const QString id = submitParts(
            {QStringLiteral("--patch"), data(QStringLiteral("checkout-api.diff")),
             QStringLiteral("--file-pair"), QStringLiteral("etc/app.conf::") + after.fileName(),
             QStringLiteral("--command-file"), data(QStringLiteral("diff/nonl-a.txt")),
             QStringLiteral("--environment"), QStringLiteral("production"),
             QStringLiteral("--target"), QStringLiteral("k8s:prod-eu-1/prod"),
             QStringLiteral("--declared-impact"), QStringLiteral("high")});
        QVERIFY(!id.isEmpty());
        const CtlRun show = onStore({QStringLiteral("show"), id, QStringLiteral("--json")});
        QVERIFY2(show.exitCode == 0, qPrintable(show.describe()));
        const QJsonObject o = show.json();
        QCOMPARE(o.value(QStringLiteral("schema")).toString(), QStringLiteral("holdpoint.show/1"));
        QCOMPARE(o.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(o.value(QStringLiteral("environment")).toString(), QStringLiteral("production"));
        QCOMPARE(o.value(QStringLiteral("target")).toString(),
                 QStringLiteral("k8s:prod-eu-1/prod"));
        QCOMPARE(o.value(QStringLiteral("declared_impact")).toString(), QStringLiteral("high"));
        const QJsonArray arts = o.value(QStringLiteral("revisions"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("artifacts"))
                                    .toArray();
        QSet<QString> kinds;
        for (const QJsonValue &a : arts)
            kinds << a.toObject().value(QStringLiteral("kind")).toString();
        QCOMPARE(kinds,
                 (QSet<QString>{QStringLiteral("terraform-plan"), QStringLiteral("unified-diff"),
                                QStringLiteral("file-pair"), QStringLiteral("command")}));
    }

    void reviseAddsARevisionToTheSameChange()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString id = submitParts({});
        QVERIFY(!id.isEmpty());
        const CtlRun r =
            onStore({QStringLiteral("submit"), QStringLiteral("--revise"), id,
                     QStringLiteral("--terraform-plan"),
                     data(QStringLiteral("widen-role.plan.json")), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QCOMPARE(r.json().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(r.json().value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(changes().size(), 1);
        const CtlRun missing =
            onStore({QStringLiteral("submit"), QStringLiteral("--revise"),
                     QStringLiteral("01JD0000000000000000000000"), QStringLiteral("--patch"),
                     data(QStringLiteral("checkout-api.diff"))});
        QCOMPARE(missing.exitCode, 6);
    }

    void hostileSubmissionIsRefusedAndStoresNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        const auto file = [this](const char *name) {
            return QStringList{QStringLiteral("--file"),
                               data(QStringLiteral("hostile/") + QLatin1String(name))};
        };
        for (const char *name : {"duplicate-key.json", "invalid-utf8.json", "lone-surrogate.json",
                                 "wrong-type.json", "truncated.json", "unknown-kind.json",
                                 "two-contents.json", "control-in-name.json", "no-artifacts.json"})
            QTest::newRow(name) << file(name);
        QTest::newRow("deep nesting")
            << QStringList{QStringLiteral("--file"), QStringLiteral("@deep")};
        QTest::newRow("file and parts")
            << (file("duplicate-key.json")
                << QStringLiteral("--patch") << data(QStringLiteral("checkout-api.diff")));
        QTest::newRow("nothing to submit")
            << QStringList{QStringLiteral("--title"), QStringLiteral("x")};
        QTest::newRow("missing part file")
            << QStringList{QStringLiteral("--patch"), QStringLiteral("/nonexistent/x.diff")};
        QTest::newRow("bad file-pair")
            << QStringList{QStringLiteral("--file-pair"), QStringLiteral("only-a-path")};
        QTest::newRow("bad impact")
            << QStringList{QStringLiteral("--patch"), data(QStringLiteral("checkout-api.diff")),
                           QStringLiteral("--declared-impact"), QStringLiteral("huge")};
        QTest::newRow("bad kind") << QStringList{QStringLiteral("--patch"),
                                                 data(QStringLiteral("checkout-api.diff")),
                                                 QStringLiteral("--kind"), QStringLiteral("chaos")};
        QTest::newRow("control in title")
            << QStringList{QStringLiteral("--patch"), data(QStringLiteral("checkout-api.diff")),
                           QStringLiteral("--title"), QStringLiteral("a\x1b[2Jb")};
    }
    void hostileSubmissionIsRefusedAndStoresNothing()
    {
        QFETCH(QStringList, args);
        QVERIFY(initStore().exitCode == 0);
        if (args.contains(QStringLiteral("@deep"))) {
            QFile f(tmp(QStringLiteral("deep.json")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                "{\"schema\":\"holdpoint.proposal/1\",\"title\":\"x\",\"payload\":" +
                QByteArray(100000, '[') + QByteArray(100000, ']') +
                ",\"artifacts\":[{\"kind\":\"command\",\"name\":\"x\",\"content_utf8\":\"y\"}]}");
            f.close();
            args.replace(args.indexOf(QStringLiteral("@deep")), f.fileName());
        }
        const CtlRun r =
            onStore(QStringList{QStringLiteral("submit"), QStringLiteral("--json")} + args);
        QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
        QVERIFY2(!r.error().value(QStringLiteral("message")).toString().isEmpty(),
                 qPrintable(r.describe()));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(changes().size(), 0);
    }

    void idempotencyKeyWithOtherContentExits7()
    {
        QVERIFY(initStore().exitCode == 0);
        const QStringList key{QStringLiteral("--idempotency-key"), QStringLiteral("run-8812-1")};
        const QString first = submitParts(key);
        QVERIFY(!first.isEmpty());
        const CtlRun replay =
            onStore(QStringList{QStringLiteral("submit"), QStringLiteral("--json"),
                                QStringLiteral("--terraform-plan"),
                                data(QStringLiteral("scale-api.plan.json")),
                                QStringLiteral("--title"), QStringLiteral("Scale cost-api"),
                                QStringLiteral("--agent-version"), QStringLiteral("1.0"),
                                QStringLiteral("--run-id"), QStringLiteral("run-1")} +
                    key);
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.describe()));
        QCOMPARE(replay.json().value(QStringLiteral("id")).toString(), first);
        QCOMPARE(replay.json().value(QStringLiteral("created")).toBool(), false);
        const CtlRun other =
            onStore(QStringList{QStringLiteral("submit"), QStringLiteral("--terraform-plan"),
                                data(QStringLiteral("widen-role.plan.json")),
                                QStringLiteral("--title"), QStringLiteral("Scale cost-api")} +
                    key);
        QVERIFY2(other.exitCode == 7, qPrintable(other.describe()));
        QCOMPARE(changes().size(), 1);
    }

    void jsonErrorIsOneObjectOnStderr()
    {
        QVERIFY(initStore().exitCode == 0);
        const CtlRun r =
            onStore({QStringLiteral("show"), QStringLiteral("01JD0000000000000000000000"),
                     QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.trimmed().count('\n'), 0);
        const QJsonObject e = r.error();
        QVERIFY2(!e.value(QStringLiteral("code")).toString().isEmpty(), r.err.constData());
        QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(e.contains(QStringLiteral("path")));
    }

    void showAndListCarryIds()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString a = submitParts({});
        const QString b =
            submitParts({QStringLiteral("--patch"), data(QStringLiteral("checkout-api.diff"))});
        QVERIFY(!a.isEmpty() && !b.isEmpty() && a != b);
        const CtlRun list = onStore({QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(list.json().value(QStringLiteral("schema")).toString(),
                 QStringLiteral("holdpoint.list/1"));
        QSet<QString> ids;
        for (const QJsonValue &c : list.json().value(QStringLiteral("changes")).toArray())
            ids << c.toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QSet<QString>{a, b}));
        const CtlRun show = onStore({QStringLiteral("show"), b, QStringLiteral("--json")});
        QCOMPARE(show.json().value(QStringLiteral("id")).toString(), b);
        const CtlRun text = onStore({QStringLiteral("list")});
        QVERIFY(text.out.contains(a.toUtf8()) && text.out.contains(b.toUtf8()));
    }

    void untrustedTextIsEscapedInTextOutput()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString id =
            submitParts({QStringLiteral("--intent"), QStringLiteral("safe \u202Egnp.exe")});
        QVERIFY(!id.isEmpty());
        const CtlRun show = onStore({QStringLiteral("show"), id});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains("<U+202E>"), show.out.constData());
        QVERIFY(!show.out.contains(QStringLiteral("\u202E").toUtf8()));
    }

    void ownApprovalIsDeniedOrUncounted()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString id = submitParts({});
        const CtlRun r = onStore(
            {QStringLiteral("decide"), id, QStringLiteral("approve"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 8 ||
                     (r.exitCode == 0 && !r.json().value(QStringLiteral("counts")).toBool()),
                 qPrintable(r.describe()));
        const CtlRun wait = onStore(
            {QStringLiteral("wait"), id, QStringLiteral("--timeout"), QStringLiteral("1s")});
        QCOMPARE(wait.exitCode, 5);
    }

    void agentWithdrawsItsChange()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString id = submitParts({});
        const CtlRun w = onStore({QStringLiteral("withdraw"), id, QStringLiteral("--reason"),
                                  QStringLiteral("superseded"), QStringLiteral("--json")});
        QVERIFY2(w.exitCode == 0, qPrintable(w.describe()));
        QCOMPARE(w.json().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(
            onStore({QStringLiteral("wait"), id, QStringLiteral("--timeout"), QStringLiteral("1s")})
                .exitCode,
            4);
        QCOMPARE(onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"),
                          data(QStringLiteral("scale-api.plan.json"))})
                     .exitCode,
                 4);
    }

    void diffHunksEqualGitDiffNoIndex_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("yaml edits")
            << QStringLiteral("diff/service-a.yaml") << QStringLiteral("diff/service-b.yaml");
        QTest::newRow("indent heuristic")
            << QStringLiteral("diff/retry-a.c") << QStringLiteral("diff/retry-b.c");
        QTest::newRow("no newline at end")
            << QStringLiteral("diff/nonl-a.txt") << QStringLiteral("diff/nonl-b.txt");
        QTest::newRow("terraform plans")
            << QStringLiteral("scale-api.plan.json") << QStringLiteral("widen-role.plan.json");
        QTest::newRow("identical")
            << QStringLiteral("diff/retry-a.c") << QStringLiteral("diff/retry-a.c");
        QTest::newRow("binary") << QStringLiteral("@binary-a") << QStringLiteral("@binary-b");
    }
    void diffHunksEqualGitDiffNoIndex()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        if (QStandardPaths::findExecutable(QStringLiteral("git")).isEmpty())
            QSKIP("git is not installed");
        // Both sides are copied into the temporary folder and named relatively,
        // so both tools print the same names.
        const auto place = [this](const QString &name, const QString &label) {
            if (name.startsWith(QLatin1Char('@'))) {
                QFile f(tmp(label));
                f.open(QIODevice::WriteOnly);
                f.write(QByteArray("ELF\0\x01\x02", 6) + name.toLatin1());
                return label;
            }
            QFile::copy(data(name), tmp(label));
            return label;
        };
        const QString la = place(a, QStringLiteral("left"));
        const QString lb = place(b, QStringLiteral("right"));
        const CtlRun ours = ctl({QStringLiteral("diff"), la, lb}, {}, folder().path());
        QVERIFY2(ours.exitCode == 0, qPrintable(ours.describe()));
        const CtlRun git = hp::test::runProgram(
            QStringLiteral("git"),
            {QStringLiteral("-c"), QStringLiteral("diff.algorithm=myers"), QStringLiteral("-c"),
             QStringLiteral("diff.indentHeuristic=true"), QStringLiteral("--no-pager"),
             QStringLiteral("diff"), QStringLiteral("--no-index"), QStringLiteral("--no-color"),
             QStringLiteral("--no-ext-diff"), la, lb},
            {}, folder().path());
        QVERIFY2(git.exitCode == 0 || git.exitCode == 1, qPrintable(git.describe()));
        // The hunks and bodies must be equal; header lines (index, modes) may
        // legitimately differ, so compare from the first hunk or binary line.
        const auto body = [](const QByteArray &patch) {
            qsizetype at = patch.indexOf("\n@@ ");
            if (at < 0)
                at = patch.indexOf("\nBinary files ");
            return at < 0 ? patch : patch.mid(at + 1);
        };
        QCOMPARE(body(ours.out), body(git.out));
        if (!git.out.isEmpty())
            QVERIFY(ours.out.startsWith("diff --git a/left b/right\n"));
    }

    // DESIGN §7: a checkpoint kept outside the store catches a store rolled
    // back to an earlier copy, which the chain alone cannot show.
    void signedCheckpointCatchesARolledBackStore()
    {
        QCOMPARE(onStore({QStringLiteral("demo")}).exitCode, 0); // the runner is a lead
        const QString key = tmp(QStringLiteral("audit.key"));
        QCOMPARE(ctl({QStringLiteral("audit"), QStringLiteral("keygen"), QStringLiteral("--out"), key}).exitCode, 0);
        QCOMPARE(ctl({QStringLiteral("audit"), QStringLiteral("keygen"), QStringLiteral("--out"), key}).exitCode, 2);
        const QString old = tmp(QStringLiteral("old.db"));
        QVERIFY(QFile::copy(db(), old));
        // Work after the copy: here an earlier checkpoint, which is itself audited.
        QCOMPARE(onStore({QStringLiteral("audit"), QStringLiteral("checkpoint"), QStringLiteral("--key"), key,
                          QStringLiteral("--out"), tmp(QStringLiteral("first.json"))})
                     .exitCode,
                 0);
        const QString cp = tmp(QStringLiteral("cp.json"));
        const CtlRun made = onStore({QStringLiteral("audit"), QStringLiteral("checkpoint"), QStringLiteral("--key"),
                                     key, QStringLiteral("--out"), cp, QStringLiteral("--json")});
        QVERIFY2(made.exitCode == 0, qPrintable(made.describe()));
        const qint64 seq = made.json().value(QStringLiteral("seq")).toInteger();
        QVERIFY(seq > 0);
        const QStringList against{QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--against"), cp,
                                  QStringLiteral("--pubkey"), key + QStringLiteral(".pub")};
        const CtlRun good = onStore(against);
        QVERIFY2(good.exitCode == 0, qPrintable(good.describe()));
        QVERIFY(good.out.contains("consistent with the signed checkpoint of seq " + QByteArray::number(seq)));

        const CtlRun rolledBack = ctl(QStringList(against) << QStringLiteral("--db") << old);
        QCOMPARE(rolledBack.exitCode, 9);
        QVERIFY2(rolledBack.out.contains("truncated"), qPrintable(rolledBack.describe()));

        const CtlRun noKey = onStore({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--against"), cp});
        QCOMPARE(noKey.exitCode, 2);
        QCOMPARE(onStore({QStringLiteral("audit"), QStringLiteral("checkpoint"), QStringLiteral("--key"), key,
                          QStringLiteral("--out"), cp})
                     .exitCode,
                 2); // never overwrites a checkpoint
    }

    void durationsParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("30m") << QStringLiteral("30m") << qint64(30 * 60 * 1000);
        QTest::newRow("1h30m") << QStringLiteral("1h30m") << qint64(90 * 60 * 1000);
        QTest::newRow("45s") << QStringLiteral("45s") << qint64(45 * 1000);
        QTest::newRow("2d") << QStringLiteral("2d") << qint64(2 * 24 * 3600 * 1000LL);
        QTest::newRow("500ms") << QStringLiteral("500ms") << qint64(500);
        QTest::newRow("0s") << QStringLiteral("0s") << qint64(0);
        QTest::newRow("bare number") << QStringLiteral("30") << qint64(-1);
        QTest::newRow("unknown unit") << QStringLiteral("3w") << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("-5m") << qint64(-1);
        QTest::newRow("overflow") << QStringLiteral("99999999999999999d") << qint64(-1);
    }
    void durationsParse()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const hp::Result<qint64> r = hp::cli::parseDurationMs(text);
        if (ms < 0) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().code, hp::ExitCode::Usage);
        } else {
            QVERIFY(r.ok());
            QCOMPARE(*r, ms);
        }
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
