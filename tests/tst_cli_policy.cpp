// The policy commands of holdpointctl end to end (DESIGN §5, §8): policy show,
// policy propose (valid and invalid), check --consume twice, tick, watch.
// The store is prepared in-process as other principals; the commands run as
// the current login through the built holdpointctl.
#include "ctlfixture.h"

#include "policy/policy.h"
#include "storage/store.h"

#include <QJsonDocument>
#include <QTest>

using namespace hp;
using namespace hp::test;

namespace {

Actor as(const QString &login)
{
    return Actor{login, QStringLiteral("testhost"), QStringLiteral("0.0-test")};
}

const QByteArray kPatch = QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n");

QString errText(const CtlRun &r)
{
    return QString::fromUtf8(r.err);
}

} // namespace

class TestCliPolicy : public QObject, public CtlFixture
{
    Q_OBJECT

    // A store at db() with reviewers, and one low-risk change by agent "bot"
    // submitted at `at`; returns its id.
    QString prepare(const QDateTime &at, bool approve)
    {
        auto t = std::make_shared<QDateTime>(at);
        Clock clock = [t] {
            *t = t->addMSecs(1);
            return *t;
        };
        CreateOptions options;
        options.adminLogin = QStringLiteral("adam");
        auto store = createStore(db(), options, as(QStringLiteral("root")), clock);
        if (!store.ok())
            return {};
        if (!(*store)->addUser(as(QStringLiteral("adam")), QStringLiteral("rita"), RoleSet::of({Role::Reviewer})).ok())
            return {};
        Proposal p;
        p.title = QStringLiteral("Tweak x");
        p.environment = QStringLiteral("dev");
        Artifact a;
        a.kind = ArtifactKind::UnifiedDiff;
        a.name = QStringLiteral("x.patch");
        a.parts = {kPatch};
        p.artifacts.push_back(a);
        auto submitted = (*store)->submit(as(QStringLiteral("bot")), SubmitRequest{p, QString()});
        if (!submitted.ok())
            return {};
        if (approve) {
            DecideRequest d;
            d.changeId = submitted->changeId;
            d.action = DecisionAction::Approve;
            if (!(*store)->decide(as(QStringLiteral("rita")), d).ok())
                return {};
        }
        return submitted->changeId;
    }

    QString writeFile(const QString &name, const QByteArray &bytes)
    {
        QFile f(tmp(name));
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(bytes);
        return f.fileName();
    }

    int auditCount(const QString &action, const QString &outcome)
    {
        auto store = openStore(db());
        if (!store.ok())
            return -1;
        const Result<std::vector<AuditEntry>> entries = (*store)->auditEntries(0, 0);
        if (!entries.ok())
            return -1;
        int n = 0;
        for (const AuditEntry &e : *entries) {
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            n += o.value(u"action").toString() == action && o.value(u"outcome").toString() == outcome;
        }
        return n;
    }

private Q_SLOTS:
    void init() { QVERIFY(newFolder()); }

    void policyShowPrintsTheDefaultVersionHashAndSource()
    {
        QVERIFY(initStore().exitCode == 0);
        const CtlRun r = onStore({QStringLiteral("policy"), QStringLiteral("show"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"schema").toString(), QStringLiteral("holdpoint.policy.show/1"));
        QCOMPARE(o.value(u"version").toInt(), 1);
        QCOMPARE(o.value(u"hash").toString().toLatin1(), PolicyReader::builtin()->hash);
        QCOMPARE(o.value(u"source").toString().toUtf8(), PolicyReader::builtin()->source);
        QVERIFY(!o.value(u"adopted_at").toString().isEmpty());
        const CtlRun missing = onStore({QStringLiteral("policy"), QStringLiteral("show"), QStringLiteral("--version"),
                                        QStringLiteral("2")});
        QCOMPARE(missing.exitCode, 6);
    }

    void proposeRefusesAnInvalidPolicyWithItsLocationAndStoresNothing()
    {
        QVERIFY(initStore().exitCode == 0);
        const QString bad = writeFile(QStringLiteral("bad.yaml"),
                                      QByteArrayLiteral("version: 1\nrules:\n  - when: {}\n    approvals: 0\n"));
        const CtlRun r = onStore({QStringLiteral("policy"), QStringLiteral("propose"), bad});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(errText(r).contains(QStringLiteral("bad.yaml:4:")), qPrintable(r.describe()));
        QCOMPARE(changes().size(), 0);
    }

    void proposeSubmitsAPolicyChangeWithTheDiffAgainstThePolicyInForce()
    {
        QVERIFY(initStore().exitCode == 0);
        const QByteArray yaml = QByteArrayLiteral("version: 1\nrules:\n  - when: {}\n    approvals: 2\n");
        const QString file = writeFile(QStringLiteral("two.yaml"), yaml);
        const CtlRun r = onStore({QStringLiteral("policy"), QStringLiteral("propose"), file, QStringLiteral("--title"),
                                  QStringLiteral("Two for everything"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString id = r.json().value(u"id").toString();
        auto store = openStore(db());
        QVERIFY(store.ok());
        auto c = (*store)->change(id);
        QVERIFY(c.ok());
        QCOMPARE(toString(c->summary.kind), QStringLiteral("policy"));
        QCOMPARE(c->summary.verdict.requiredApprovals, 2);
        QVERIFY(c->summary.verdict.leadRequired);
        auto a = (*store)->artifact(id, 1, 0);
        QVERIFY(a.ok());
        QCOMPARE(toString(a->kind), QStringLiteral("file-pair"));
        QCOMPARE(a->parts.front(), PolicyReader::builtin()->source);
        QCOMPARE(a->parts.back(), yaml);
    }

    void checkConsumeSucceedsOnceThenRefusesWithExit8Audited()
    {
        const QString id = prepare(QDateTime::currentDateTimeUtc().addSecs(-60), true);
        QVERIFY(!id.isEmpty());
        const QString patch = writeFile(QStringLiteral("x.patch"), kPatch);
        const QStringList args{QStringLiteral("check"), id, QStringLiteral("--artifact"), patch,
                               QStringLiteral("--consume"), QStringLiteral("--json")};
        const CtlRun first = onStore(args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
        QCOMPARE(first.json().value(u"consumed").toBool(), true);
        const CtlRun second = onStore(args);
        QVERIFY2(second.exitCode == 8, qPrintable(second.describe()));
        QVERIFY(errText(second).contains(QStringLiteral("already consumed")));
        QCOMPARE(auditCount(QStringLiteral("check.consume"), QStringLiteral("denied")), 1);
        // Without --consume a check still passes: consuming is what happens once.
        const CtlRun plain = onStore({QStringLiteral("check"), id, QStringLiteral("--artifact"), patch});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));
    }

    void tickWritesExpiryOnceAndReadsNeverWrite()
    {
        const QString id = prepare(QDateTime::currentDateTimeUtc().addDays(-4), false);
        QVERIFY(!id.isEmpty());
        const CtlRun show = onStore({QStringLiteral("show"), id, QStringLiteral("--json")});
        QCOMPARE(show.json().value(u"status").toString(), QStringLiteral("expired"));
        QCOMPARE(auditCount(QStringLiteral("change.expire"), QStringLiteral("ok")), 0); // read-only
        const CtlRun first = onStore({QStringLiteral("tick"), QStringLiteral("--json")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.describe()));
        QCOMPARE(first.json().value(u"expired").toInt(), 1);
        const CtlRun second = onStore({QStringLiteral("tick"), QStringLiteral("--json")});
        QCOMPARE(second.json().value(u"expired").toInt(), 0);
        QCOMPARE(auditCount(QStringLiteral("change.expire"), QStringLiteral("ok")), 1);
        QCOMPARE(onStore({QStringLiteral("audit"), QStringLiteral("verify")}).exitCode, 0);
    }

    void watchRunsTheCommandWithOneEventPerNewOrDecidedChange()
    {
        const QString id = prepare(QDateTime::currentDateTimeUtc().addSecs(-60), true);
        QVERIFY(!id.isEmpty());
        const QString out = tmp(QStringLiteral("events.jsonl"));
        const CtlRun r = onStore({QStringLiteral("watch"), QStringLiteral("--once"), QStringLiteral("--since"),
                                  QStringLiteral("0"), QStringLiteral("--exec"),
                                  QStringLiteral("sh -c \"cat >> %1\"").arg(out)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QStringList events;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QCOMPARE(o.value(u"schema").toString(), QStringLiteral("holdpoint.event/1"));
            QCOMPARE(o.value(u"id").toString(), id);
            events << o.value(u"event").toString();
        }
        QCOMPARE(events, (QStringList{QStringLiteral("new"), QStringLiteral("decided")}));
    }
};

QTEST_GUILESS_MAIN(TestCliPolicy)
#include "tst_cli_policy.moc"
