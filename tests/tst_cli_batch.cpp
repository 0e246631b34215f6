// `holdpointctl decide --batch FILE` on a demo store, as the current login (a
// lead there): the file is checked before anything is decided, each line is
// its own decision, a refusal does not stop the rest and sets the exit code.
#include "ctlfixture.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using hp::test::CtlRun;

class TestCliBatch : public QObject, public hp::test::CtlFixture
{
    Q_OBJECT

private:
    QTemporaryDir m_shared;
    QString m_demoTemplate;

    bool copyDemo() const
    {
        return QFile::copy(m_demoTemplate, db()) &&
               QFile::setPermissions(db(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    QString writeBatch(const QString &text) const
    {
        const QString file = tmp(QStringLiteral("batch.txt"));
        QFile f(file);
        if (!f.open(QIODevice::WriteOnly) || f.write(text.toUtf8()) < 0)
            return {};
        return file;
    }
    QStringList pendingIds() const
    {
        const CtlRun r = onStore({QStringLiteral("list"), QStringLiteral("--status"),
                                  QStringLiteral("pending"), QStringLiteral("--json")});
        QStringList ids;
        const QJsonArray all = r.json().value(QStringLiteral("changes")).toArray();
        for (const QJsonValue &c : all)
            ids << c.toObject().value(QStringLiteral("id")).toString();
        return ids;
    }
    qsizetype decisionsOf(const QString &id) const
    {
        const CtlRun r = onStore({QStringLiteral("show"), id, QStringLiteral("--json")});
        return r.json().value(QStringLiteral("decisions")).toArray().size();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_demoTemplate = m_shared.filePath(QStringLiteral("demo.db"));
        const CtlRun r = ctl({QStringLiteral("demo"), QStringLiteral("--db"), m_demoTemplate});
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    }

    void init()
    {
        QVERIFY(newFolder());
        QVERIFY(copyDemo());
    }

    void aMalformedLineDecidesNothing_data()
    {
        QTest::addColumn<QString>("badLine");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown action") << QStringLiteral("@id frob") << QStringLiteral(":3: unknown decision 'frob'");
        QTest::newRow("no action") << QStringLiteral("@id") << QStringLiteral(":3: expected");
    }
    void aMalformedLineDecidesNothing()
    {
        QFETCH(QString, badLine);
        QFETCH(QString, says);
        const QString id = pendingIds().value(0);
        QVERIFY(!id.isEmpty());
        const qsizetype before = decisionsOf(id);
        const QString file = writeBatch(QStringLiteral("%1 comment first\n# a note\n%2\n")
                                            .arg(id, badLine.replace(QStringLiteral("@id"), id)));
        const CtlRun r = onStore({QStringLiteral("decide"), QStringLiteral("--batch"), file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(says.toUtf8()), r.err.constData());
        QCOMPARE(decisionsOf(id), before);
    }

    void aRefusalDoesNotStopTheRestAndSetsTheExit()
    {
        const QStringList ids = pendingIds();
        QVERIFY(ids.size() >= 2);
        const QString file = writeBatch(QStringLiteral("%1 comment looks fine so far\n"
                                                       "NO-SUCH-CHANGE approve\n"
                                                       "%2 reject drops the  replica floor\n")
                                            .arg(ids.at(0), ids.at(1)));
        const CtlRun r = onStore(
            {QStringLiteral("decide"), QStringLiteral("--batch"), file, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 6); // the first refusal: not found
        QCOMPARE(r.json().value(QStringLiteral("recorded")).toInt(), 2);
        QCOMPARE(r.json().value(QStringLiteral("refused")).toInt(), 1);
        const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), 3);
        QCOMPARE(results.at(1).toObject().value(QStringLiteral("exit")).toInt(), 6);
        QCOMPARE(results.at(1).toObject().value(QStringLiteral("line")).toInt(), 2);
        QCOMPARE(results.at(2).toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("rejected"));
        QVERIFY(r.error().value(QStringLiteral("message")).toString().contains(QLatin1String(":2:")));
        const CtlRun show = onStore({QStringLiteral("show"), ids.at(1), QStringLiteral("--json")});
        const QJsonArray decisions = show.json().value(QStringLiteral("decisions")).toArray();
        QCOMPARE(decisions.last().toObject().value(QStringLiteral("reason")).toString(),
                 QStringLiteral("drops the  replica floor"));
    }

    void readsStdinAndRefusesAnIdOnTheLine()
    {
        const QString id = pendingIds().value(0);
        const CtlRun fromStdin =
            onStore({QStringLiteral("decide"), QStringLiteral("--batch"), QStringLiteral("-")},
                    (id + QStringLiteral(" comment via stdin\n")).toUtf8());
        QVERIFY2(fromStdin.exitCode == 0, qPrintable(fromStdin.describe()));
        QVERIFY(fromStdin.out.contains("1 of 1 decisions recorded"));
        const CtlRun both = onStore({QStringLiteral("decide"), id, QStringLiteral("approve"),
                                     QStringLiteral("--batch"), QStringLiteral("-")});
        QCOMPARE(both.exitCode, 2);
        const CtlRun neither = onStore({QStringLiteral("decide"), id});
        QCOMPARE(neither.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestCliBatch)
#include "tst_cli_batch.moc"
