#include "audit/auditexport.h"
#include "ctlprocess.h"
#include "itemmodels/csv.h"
#include "storefixture.h"

#include <QBuffer>
#include <QFile>
#include <QTest>

using namespace hp;
using namespace hp::testing;

// JSON Lines and CSV exports of a real store, and `audit verify --file` on
// clean and damaged exports.
class TestAuditExport : public QObject
{
    Q_OBJECT

    std::unique_ptr<StoreFixture> m_fx;
    QByteArray m_full; // a full JSON Lines export of m_fx

    static QByteArray exportOf(Store &store, const AuditFilter &filter, AuditExportFormat format)
    {
        QBuffer buffer;
        buffer.open(QIODevice::WriteOnly);
        Result<AuditExportStats> stats = exportAudit(store, filter, format, buffer);
        if (!stats)
            qWarning("%s", qPrintable(stats.error().message));
        return buffer.data();
    }

    static ExportVerifyReport verify(const QByteArray &bytes)
    {
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        Result<ExportVerifyReport> r = verifyExport(buffer, QStringLiteral("test.jsonl"));
        if (!r) {
            qWarning("%s", qPrintable(r.error().message));
            return {};
        }
        return *r;
    }

    static bool hasProblem(const ExportVerifyReport &r, qint64 seq, AuditProblemClass kind)
    {
        for (const AuditProblem &p : r.problems)
            if (p.seq == seq && p.kind == kind)
                return true;
        return false;
    }

    static QList<QByteArray> lines(const QByteArray &bytes)
    {
        QList<QByteArray> out = bytes.split('\n');
        if (!out.isEmpty() && out.last().isEmpty())
            out.removeLast();
        return out;
    }

    static QByteArray join(const QList<QByteArray> &ls) { return ls.join('\n') + '\n'; }

private Q_SLOTS:
    void init()
    {
        m_fx = std::make_unique<StoreFixture>();
        m_fx->addTeam();
        const QString change = m_fx->submitAsBot();
        QVERIFY(!change.isEmpty());
        QVERIFY(m_fx->store->decide(actor(QStringLiteral("rita")), DecideRequest{change, DecisionAction::Approve, QStringLiteral("looks fine")}).ok());
        QVERIFY(!m_fx->store->decide(actor(QStringLiteral("olga")), DecideRequest{change, DecisionAction::Approve, QString()}).ok());
        QVERIFY(m_fx->store->recordView(actor(QStringLiteral("rex")), change, 1).ok());
        m_full = exportOf(*m_fx->store, {}, AuditExportFormat::JsonLines);
    }

    void fullExportVerifiesClean()
    {
        const ExportVerifyReport r = verify(m_full);
        QVERIFY2(r.clean(), r.problems.empty() ? "" : qPrintable(r.problems.front().detail));
        QVERIFY(r.full);
        Result<std::vector<AuditEntry>> entries = m_fx->store->auditEntries(0, 0);
        QVERIFY(entries.ok());
        QCOMPARE(r.entries, qint64(entries->size()));
        QCOMPARE(r.headHash, entries->back().hash);
    }

    void filteredExportReportsGapsNotProblems()
    {
        AuditFilter f;
        f.principal = QStringLiteral("rita");
        const QByteArray bytes = exportOf(*m_fx->store, f, AuditExportFormat::JsonLines);
        const ExportVerifyReport r = verify(bytes);
        QVERIFY(r.clean());
        QVERIFY(!r.full);
        QVERIFY(r.entries >= 1);
        QVERIFY(r.gaps >= 1);
        for (const QByteArray &line : lines(bytes).mid(1, lines(bytes).size() - 2))
            QCOMPARE(QJsonDocument::fromJson(line).object().value(QStringLiteral("entry")).toObject().value(QStringLiteral("principal")).toString(), QStringLiteral("rita"));
    }

    void deniedFilterSelectsRefusals()
    {
        AuditFilter f;
        f.denied = true;
        const QList<QByteArray> ls = lines(exportOf(*m_fx->store, f, AuditExportFormat::JsonLines));
        QCOMPARE(ls.size(), 3); // header, olga's refused approval, trailer
        QCOMPARE(QJsonDocument::fromJson(ls[1]).object().value(QStringLiteral("entry")).toObject().value(QStringLiteral("principal")).toString(), QStringLiteral("olga"));
    }

    void flippedByteIsModified()
    {
        QList<QByteArray> ls = lines(m_full);
        // Inside seq 3's canonical string: a letter of the action.
        QByteArray &line = ls[3];
        const qsizetype at = line.indexOf("\"canonical\":") + 20;
        line[at] = line[at] == 'a' ? 'b' : 'a';
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(!r.clean());
        QVERIFY(hasProblem(r, 3, AuditProblemClass::Modified));
    }

    void brokenJsonLineIsModifiedNotAnError()
    {
        QList<QByteArray> ls = lines(m_full);
        ls[2].chop(1); // drop the closing brace
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(hasProblem(r, 2, AuditProblemClass::Modified));
    }

    void droppedLineIsMissing()
    {
        QList<QByteArray> ls = lines(m_full);
        ls.removeAt(4); // seq 4
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(hasProblem(r, 4, AuditProblemClass::Missing));
    }

    void droppedTailIsTruncated()
    {
        QList<QByteArray> ls = lines(m_full);
        const qsizetype n = ls.size();
        ls.removeLast(); // the trailer
        ls.removeLast(); // the last entry
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(!r.clean());
        QVERIFY(hasProblem(r, n - 2, AuditProblemClass::Truncated));
    }

    void swappedLinesAreReordered()
    {
        QList<QByteArray> ls = lines(m_full);
        ls.swapItemsAt(5, 6); // seqs 5 and 6
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(!r.clean());
        QVERIFY(hasProblem(r, 5, AuditProblemClass::Reordered));
    }

    void entryObjectMustEqualItsCanonicalString()
    {
        QList<QByteArray> ls = lines(m_full);
        QByteArray &line = ls[2];
        const qsizetype at = line.indexOf("\"principal\":\"");
        QVERIFY(at > 0);
        line.insert(at + 13, "x"); // only the object, not the hashed string
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(hasProblem(r, 2, AuditProblemClass::Mismatch));
    }

    void hostileFilesGiveClearErrors_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("needle");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("empty");
        QTest::newRow("not an export") << QByteArray("{\"a\":1}\n") << QStringLiteral("not a holdpoint audit export");
        QTest::newRow("invalid utf-8 header") << QByteArray("{\"format\":\"\xff\"}\n") << QStringLiteral("UTF-8");
    }

    void hostileFilesGiveClearErrors()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, needle);
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        Result<ExportVerifyReport> r = verifyExport(buffer, QStringLiteral("bad.jsonl"));
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), int(ExitCode::Usage));
        QVERIFY2(r.error().message.contains(needle, Qt::CaseInsensitive), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QStringLiteral("bad.jsonl")));
    }

    void duplicateKeysAndBadUtf8InEntriesAreNamed()
    {
        QList<QByteArray> ls = lines(m_full);
        ls[2].insert(1, "\"seq\":2,");
        ls[3].insert(ls[3].indexOf("\"canonical\":") + 14, "\xc3\x28");
        const ExportVerifyReport r = verify(join(ls));
        QVERIFY(hasProblem(r, 2, AuditProblemClass::Modified));
        QVERIFY(hasProblem(r, 3, AuditProblemClass::Modified));
        QString details;
        for (const AuditProblem &p : r.problems)
            details += p.detail + u'\n';
        QVERIFY2(details.contains(QStringLiteral("duplicate")), qPrintable(details));
        QVERIFY2(details.contains(QStringLiteral("UTF-8")), qPrintable(details));
    }

    void overlongLineIsRefused()
    {
        QBuffer buffer;
        buffer.setData(m_full);
        buffer.open(QIODevice::ReadOnly);
        ExportVerifyLimits limits;
        limits.maxLineBytes = 64;
        Result<ExportVerifyReport> r = verifyExport(buffer, QStringLiteral("big.jsonl"), limits);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().reason, QStringLiteral("too_large"));
    }

    void csvRoundTripsAndDefusesFormulas()
    {
        QVERIFY(m_fx->store->withdrawChange(actor(QStringLiteral("bot")), m_fx->submitAsBot("--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+c\n"), QStringLiteral("=cmd|' /C calc'!A0")).ok());
        const QByteArray bytes = exportOf(*m_fx->store, {}, AuditExportFormat::Csv);
        const std::vector<QStringList> records = csv::parse(QString::fromUtf8(bytes));
        Result<std::vector<AuditEntry>> entries = m_fx->store->auditEntries(0, 0);
        QVERIFY(entries.ok());
        QCOMPARE(records.size(), entries->size() + 1);
        QCOMPARE(records.front(), auditCsvHeader());
        for (size_t i = 0; i < entries->size(); ++i) {
            const QStringList &rec = records[i + 1];
            const QJsonObject o = QJsonDocument::fromJson((*entries)[i].entry).object();
            QCOMPARE(rec.size(), auditCsvHeader().size());
            QCOMPARE(rec[0].toLongLong(), (*entries)[i].seq);
            QCOMPARE(rec[1], o.value(QStringLiteral("time")).toString());
            QCOMPARE(rec[5], o.value(QStringLiteral("action")).toString());
            QCOMPARE(rec[16], QString::fromLatin1((*entries)[i].hash.toHex()));
        }
        QVERIFY(bytes.contains("'=cmd"));
    }

    void cliExportAndVerifyFile()
    {
        // The OS user is no lead or auditor in the fixture store: refused and audited.
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("x.jsonl"));
        test::CtlRun denied = test::runProgram(QStringLiteral(HP_CTL_PATH),
                                               {QStringLiteral("--db"), m_fx->path, QStringLiteral("audit"), QStringLiteral("export"),
                                                QStringLiteral("--format"), QStringLiteral("jsonl"), QStringLiteral("--out"), out});
        QCOMPARE(denied.exitCode, 8);
        QVERIFY(!QFile::exists(out));
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("action")).toString(), QStringLiteral("audit.export"));
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));

        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(m_full);
        f.close();
        test::CtlRun clean = test::runProgram(QStringLiteral(HP_CTL_PATH),
                                              {QStringLiteral("--json"), QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), out});
        QCOMPARE(clean.exitCode, 0);
        QCOMPARE(clean.json().value(QStringLiteral("clean")).toBool(), true);
        QList<QByteArray> ls = lines(m_full);
        ls.removeAt(3);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(join(ls));
        f.close();
        test::CtlRun bad = test::runProgram(QStringLiteral(HP_CTL_PATH),
                                            {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--file"), out});
        QCOMPARE(bad.exitCode, 9);
        QVERIFY2(bad.out.contains("seq 3: missing"), bad.out.constData());
    }

    void exportByLeadIsAudited()
    {
        QVERIFY(m_fx->store->recordAuditExport(actor(QStringLiteral("lena")), QJsonObject{{QStringLiteral("entries"), 3}}).ok());
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("action")).toString(), QStringLiteral("audit.export"));
        QCOMPARE(lastEntry(*m_fx->store).value(QStringLiteral("principal")).toString(), QStringLiteral("lena"));
        QVERIFY(m_fx->store->recordAuditExport(actor(QStringLiteral("aria")), {}).ok());
        QCOMPARE(int(m_fx->store->recordAuditExport(actor(QStringLiteral("rita")), {}).error().code), int(ExitCode::Denied));
    }

    void viewIsRecordedWithItsRevision()
    {
        const QJsonObject view = lastEntryOf(*m_fx->store, QStringLiteral("review.view"));
        QCOMPARE(view.value(QStringLiteral("principal")).toString(), QStringLiteral("rex"));
        QCOMPARE(view.value(QStringLiteral("revision")).toInt(), 1);
        QVERIFY(!view.value(QStringLiteral("content_hash")).toString().isEmpty());
        QCOMPARE(int(m_fx->store->recordView(actor(QStringLiteral("rex")), QStringLiteral("nope"), 1).error().code), int(ExitCode::NotFound));
    }
};

QTEST_GUILESS_MAIN(TestAuditExport)
#include "tst_auditexport.moc"
