// Issue 9, item 6: eight holdpointctl processes, each its own reviewer login
// (hp-rev1..hp-rev8 through runuser), decide the same changes at once with
// `decide --batch`, on a group-shared SQLite store and on a throwaway
// PostgreSQL 15. Afterwards every change has exactly one terminal outcome,
// every refused attempt is in the trail, the audit seqs run 1..head with no
// gap and no duplicate, and `holdpointctl audit verify` passes.
//
// HP_DECIDERS_CHANGES=N sets the number of changes (default 1000). The
// changes are submitted in-process through the Store API as the registered
// agent (what `submit` calls; a thousand submit processes would only add
// start-up time); everything after that goes through holdpointctl. Needs root
// and the hp-* logins (scripts/test.sh creates them): skipped without them,
// except in CI.
#include "ctlprocess.h"
#include "pgharness.h"
#include "storage/store.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using hp::test::CtlRun;

namespace {

constexpr int kDeciders = 8;
const char *const kGroup = "hp-team";

QString decider(int k)
{
    return QStringLiteral("hp-rev%1").arg(k);
}

QString missingPrerequisite()
{
    if (geteuid() != 0)
        return QStringLiteral("tst_cli_deciders must run as root to switch logins with runuser");
    if (!getgrnam(kGroup))
        return QStringLiteral("group hp-team is missing; scripts/test.sh creates it");
    QStringList logins{QStringLiteral("hp-admin"), QStringLiteral("hp-agent"),
                       QStringLiteral("hp-lead"), QStringLiteral("hp-auditor")};
    for (int k = 1; k <= kDeciders; ++k)
        logins << decider(k);
    for (const QString &login : logins) {
        if (!getpwnam(login.toLocal8Bit().constData()))
            return QStringLiteral("login %1 is missing; scripts/test.sh creates the hp-* logins")
                .arg(login);
    }
    return {};
}

int changeCount()
{
    const int n = qEnvironmentVariableIntValue("HP_DECIDERS_CHANGES");
    return n > 0 ? n : 1000;
}

hp::Proposal raceProposal(int i)
{
    hp::Proposal p;
    p.title = QStringLiteral("race %1").arg(i);
    p.environment = QStringLiteral("prod");
    p.agentName = QStringLiteral("race-bot");
    hp::Artifact a;
    a.kind = hp::ArtifactKind::Command;
    a.name = QStringLiteral("race.sh");
    a.parts = {QStringLiteral("echo race %1\n").arg(i).toUtf8()};
    p.artifacts.push_back(a);
    return p;
}

// What the eight batches answered, summed.
struct BatchTotals
{
    int recorded = 0;
    int refused = 0;
    QStringList unexpected; // anything but a recorded decision or a refusal (exit 8)
};

} // namespace

class TestCliDeciders : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<hp::testing::PgHarness> m_pg;
    QString m_pgSkip; // why the PostgreSQL row cannot run, or empty

    QString path(const QString &name) const { return m_dir->filePath(name); }
    QString storeFor(const QString &backend, const QString &login) const
    {
        return backend == QLatin1String("postgresql") ? m_pg->uri(login)
                                                      : path(QStringLiteral("store.db"));
    }
    CtlRun as(const QString &login, const QString &backend, const QStringList &args) const
    {
        const QStringList line{QStringLiteral("-u"),   login,
                               QStringLiteral("--"),   path(QStringLiteral("holdpointctl")),
                               QStringLiteral("--db"), storeFor(backend, login)};
        return hp::test::runProgram(QStringLiteral("runuser"), line + args, {}, m_dir->path(),
                                    600000);
    }

    void createStore(const QString &backend)
    {
        CtlRun r;
        if (backend == QLatin1String("postgresql"))
            r = hp::test::runProgram(path(QStringLiteral("holdpointctl")),
                                     {QStringLiteral("db"), QStringLiteral("init"),
                                      QStringLiteral("--admin"), QStringLiteral("hp-admin"),
                                      QStringLiteral("--db"), m_pg->uri(QStringLiteral("hp_owner"))},
                                     {}, m_dir->path());
        else
            r = as(QStringLiteral("hp-admin"), backend,
                   {QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("hp-admin"),
                    QStringLiteral("--group"), QString::fromLatin1(kGroup)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QList<QStringList> people{
            {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("hp-lead"),
             QStringLiteral("--role"), QStringLiteral("lead")},
            {QStringLiteral("users"), QStringLiteral("add"), QStringLiteral("hp-auditor"),
             QStringLiteral("--role"), QStringLiteral("auditor")},
            {QStringLiteral("agents"), QStringLiteral("add"), QStringLiteral("hp-agent"),
             QStringLiteral("--operator"), QStringLiteral("hp-lead")}};
        for (int k = 1; k <= kDeciders; ++k)
            people << QStringList{QStringLiteral("users"), QStringLiteral("add"), decider(k),
                                  QStringLiteral("--role"), QStringLiteral("reviewer")};
        for (const QStringList &args : people) {
            const CtlRun added = as(QStringLiteral("hp-admin"), backend, args);
            QVERIFY2(added.exitCode == 0, qPrintable(added.describe()));
        }
    }

    QStringList submitChanges(const QString &backend, int count)
    {
        QStringList ids;
        auto store = hp::openStore(storeFor(backend, QStringLiteral("hp-agent")));
        if (!store) {
            qWarning("%s", qPrintable(store.error().message));
            return ids;
        }
        const hp::Actor agent{QStringLiteral("hp-agent"), QStringLiteral("race-host"),
                              QStringLiteral("test")};
        for (int i = 0; i < count; ++i) {
            auto submitted = (*store)->submit(agent, hp::SubmitRequest{raceProposal(i), {}});
            if (!submitted) {
                qWarning("%s", qPrintable(submitted.error().message));
                return {};
            }
            ids << submitted->changeId;
        }
        return ids;
    }

    // Decider k takes every change, in its own order (7 is prime to 1000, so
    // the stride visits each once); about a third of its decisions reject.
    bool writeBatch(int k, const QStringList &ids) const
    {
        QByteArray lines;
        const auto n = ids.size();
        for (qsizetype j = 0; j < n; ++j) {
            const qsizetype i = (j * 7 + k * 37) % n;
            lines += (ids.at(i) + ((i + k) % 3 == 0 ? QStringLiteral(" reject race, too risky\n")
                                                    : QStringLiteral(" approve\n")))
                         .toUtf8();
        }
        QFile f(path(QStringLiteral("batch-%1.txt").arg(k)));
        return f.open(QIODevice::WriteOnly) && f.write(lines) == lines.size() &&
               f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                QFileDevice::ReadGroup | QFileDevice::ReadOther);
    }

    BatchTotals runDeciders(const QString &backend) const
    {
        std::vector<std::unique_ptr<QProcess>> running;
        for (int k = 1; k <= kDeciders; ++k) {
            auto p = std::make_unique<QProcess>();
            p->setProcessEnvironment(hp::test::cleanEnvironment());
            p->setWorkingDirectory(m_dir->path());
            // umask 007, as for any login sharing a group store: SQLite
            // creates the -wal and -shm files with the umask and widens them
            // to the store's mode only afterwards, so with umask 022 a
            // decider starting in that instant opens the store read-only.
            p->start(QStringLiteral("runuser"),
                     {QStringLiteral("-u"), decider(k), QStringLiteral("--"), QStringLiteral("sh"),
                      QStringLiteral("-c"), QStringLiteral("umask 007 && exec \"$@\""),
                      QStringLiteral("sh"), path(QStringLiteral("holdpointctl")),
                      QStringLiteral("--db"), storeFor(backend, decider(k)),
                      QStringLiteral("decide"), QStringLiteral("--batch"),
                      path(QStringLiteral("batch-%1.txt").arg(k)), QStringLiteral("--json")});
            running.push_back(std::move(p));
        }
        BatchTotals totals;
        for (int k = 1; k <= kDeciders; ++k) {
            QProcess &p = *running[static_cast<size_t>(k - 1)];
            if (!p.waitForFinished(900000) || p.exitStatus() != QProcess::NormalExit) {
                totals.unexpected << QStringLiteral("%1 did not finish").arg(decider(k));
                continue;
            }
            const QJsonObject o =
                QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            const QJsonArray results = o.value(QStringLiteral("results")).toArray();
            if (results.isEmpty())
                totals.unexpected << QStringLiteral("%1: exit %2, %3")
                                         .arg(decider(k))
                                         .arg(p.exitCode())
                                         .arg(QString::fromUtf8(p.readAllStandardError()));
            for (const QJsonValue &v : results) {
                const int exit = v.toObject().value(QStringLiteral("exit")).toInt();
                if (exit == 0)
                    ++totals.recorded;
                else if (exit == 8)
                    ++totals.refused;
                else
                    totals.unexpected << QString::fromUtf8(
                        QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
            }
        }
        return totals;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const QString missing = missingPrerequisite();
        if (!missing.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL(qPrintable(missing));
            QSKIP(qPrintable(missing));
        }
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        const QByteArray dir = QFile::encodeName(m_dir->path());
        QCOMPARE(chown(dir.constData(), 0, getgrnam(kGroup)->gr_gid), 0);
        QCOMPARE(chmod(dir.constData(), 02770), 0);
        QVERIFY(QFile::copy(QStringLiteral(HP_CTL_PATH), path(QStringLiteral("holdpointctl"))));
        QVERIFY(QFile::setPermissions(path(QStringLiteral("holdpointctl")),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                          QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                          QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                          QFileDevice::ExeOther));
        m_pg = std::make_unique<hp::testing::PgHarness>();
        m_pgSkip = m_pg->start();
        if (!m_pgSkip.isEmpty() && !m_pg->binariesMissing())
            QFAIL(qPrintable(m_pgSkip));
        if (m_pgSkip.isEmpty())
            QCOMPARE(chmod(QFile::encodeName(m_pg->socketDir()).constData(), 0711), 0);
    }

    void eightDecidersLeaveOneOutcomePerRevision_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void eightDecidersLeaveOneOutcomePerRevision()
    {
        QFETCH(QString, backend);
        if (backend == QLatin1String("postgresql") && !m_pgSkip.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL(qPrintable(m_pgSkip));
            QSKIP(qPrintable(m_pgSkip));
        }
        QFile::remove(path(QStringLiteral("store.db")));
        createStore(backend);
        if (QTest::currentTestFailed())
            return;
        QElapsedTimer wall;
        wall.start();
        const QStringList ids = submitChanges(backend, changeCount());
        QCOMPARE(ids.size(), changeCount());
        const qint64 submitMs = wall.restart();
        for (int k = 1; k <= kDeciders; ++k)
            QVERIFY(writeBatch(k, ids));
        const BatchTotals totals = runDeciders(backend);
        const qint64 decideMs = wall.restart();
        QVERIFY2(totals.unexpected.isEmpty(), qPrintable(totals.unexpected.mid(0, 5).join(u'\n')));
        QCOMPARE(totals.recorded + totals.refused, kDeciders * changeCount());
        verifyOutcomes(backend, ids, totals);
        qInfo("%s: %lld changes submitted in %lld ms; %d deciders: %d recorded, %d refused in "
              "%lld ms; checked in %lld ms",
              qPrintable(backend), static_cast<long long>(ids.size()),
              static_cast<long long>(submitMs), kDeciders, totals.recorded, totals.refused,
              static_cast<long long>(decideMs), static_cast<long long>(wall.elapsed()));
    }

    void cleanupTestCase()
    {
        if (m_pg)
            m_pg->stop();
    }

private:
    // Every change ended approved or rejected, as list and show tell.
    void verifyOutcomes(const QString &backend, const QStringList &ids, const BatchTotals &totals)
    {
        const QString auditor = QStringLiteral("hp-auditor");
        const CtlRun list = as(auditor, backend, {QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(list.exitCode == 0, qPrintable(list.describe()));
        QHash<QString, QString> status;
        const QJsonArray changes = list.json().value(QStringLiteral("changes")).toArray();
        for (const QJsonValue &c : changes)
            status.insert(c.toObject().value(QStringLiteral("id")).toString(),
                          c.toObject().value(QStringLiteral("status")).toString());
        for (const QString &id : ids)
            QVERIFY2(status.value(id) == QLatin1String("approved") ||
                         status.value(id) == QLatin1String("rejected"),
                     qPrintable(id + QStringLiteral(" is ") + status.value(id)));
        // A sample through show agrees with list.
        for (qsizetype i = 0; i < ids.size(); i += std::max<qsizetype>(1, ids.size() / 5)) {
            const CtlRun show = as(auditor, backend, {QStringLiteral("show"), ids.at(i), QStringLiteral("--json")});
            QVERIFY2(show.exitCode == 0, qPrintable(show.describe()));
            QCOMPARE(show.json().value(QStringLiteral("status")).toString(), status.value(ids.at(i)));
        }
        verifyTrail(backend, ids, totals);
    }

    // The trail: seqs 1..n once each, one pending → terminal transition per
    // change, one denied entry per refused decision, and audit verify clean.
    void verifyTrail(const QString &backend, const QStringList &ids, const BatchTotals &totals)
    {
        const QString auditor = QStringLiteral("hp-auditor");
        auto store = hp::openStore(storeFor(backend, auditor));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        auto entries = (*store)->auditEntries(0, 0);
        QVERIFY(entries.ok());
        const QSet<QString> race(ids.cbegin(), ids.cend());
        QHash<QString, int> terminal;
        int denied = 0;
        qint64 expected = 1;
        for (const hp::AuditEntry &e : *entries) {
            QCOMPARE(e.seq, expected++);
            const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
            const QString change = o.value(QStringLiteral("change")).toString();
            if (!race.contains(change))
                continue;
            const QString after = o.value(QStringLiteral("status_after")).toString();
            if (o.value(QStringLiteral("status_before")).toString() == QLatin1String("pending") &&
                (after == QLatin1String("approved") || after == QLatin1String("rejected")))
                ++terminal[change];
            if (o.value(QStringLiteral("outcome")).toString() == QLatin1String("denied"))
                ++denied;
        }
        QCOMPARE(terminal.size(), ids.size());
        for (auto it = terminal.cbegin(); it != terminal.cend(); ++it)
            QVERIFY2(it.value() == 1, qPrintable(it.key() + QStringLiteral(" ended %1 times").arg(it.value())));
        QCOMPARE(denied, totals.refused);
        auto head = (*store)->auditHeadSeq();
        QVERIFY(head.ok());
        QCOMPARE(*head, expected - 1);
        const CtlRun verify = as(auditor, backend,
                                 {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--json")});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.describe()));
        QCOMPARE(verify.json().value(QStringLiteral("clean")).toBool(), true);
    }
};

QTEST_GUILESS_MAIN(TestCliDeciders)
#include "tst_cli_deciders.moc"
