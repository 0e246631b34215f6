// Tampering with a real store by direct SQL and by flipping bytes of its file
// (DESIGN §11, issue 7 item 6): every edit, deletion, reordering, insertion
// and truncation of the trail, and every decision row, status or artifact
// byte changed behind the trail's back, is detected and classified by seq;
// no single byte flip anywhere in the file changes what the store says
// while verify passes.
#include "audit/auditrecord.h"
#include "audit/checkpoint.h"
#include "domain/sha256.h"
#include "storefixture.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSqlRecord>

#include <algorithm>

using namespace hp;
using namespace hp::testing;

namespace {

// The chain classes of a report ("modified:12 missing:14"), mismatches apart.
QString chainProblems(const std::vector<AuditProblem> &problems)
{
    QStringList out;
    for (const AuditProblem &p : problems) {
        if (p.kind != AuditProblemClass::Mismatch)
            out << QStringLiteral("%1:%2").arg(toString(p.kind)).arg(p.seq);
    }
    return out.join(u' ');
}

bool hasMismatchAt(const VerifyReport &report, qint64 seq)
{
    return std::any_of(report.problems.begin(), report.problems.end(), [seq](const AuditProblem &p) {
        return p.kind == AuditProblemClass::Mismatch && p.seq == seq;
    });
}

// What the store says about changes (DESIGN §11: changes, revisions,
// artifacts, decisions, events, audit entries), table by table, independent
// of page layout: every row as "column=hex" cells, rows sorted. An unreadable
// table reads as such.
// Columns no audit entry records (so verify cannot vouch for them): see the
// report of issue 7; `recordedOnly` leaves them out.
bool unrecorded(const QString &table, const QString &column)
{
    // Caches recomputed on every read (updated_at, escalated, counts,
    // uncounted), and the times of events and checks, which no entry records
    // yet. Everything else, proposal fields and row times included, is vouched
    // for by an entry.
    static const QSet<QString> columns{
        QStringLiteral("changes.updated_at"),       QStringLiteral("changes.escalated"),
        QStringLiteral("decisions.counts"),         QStringLiteral("decisions.uncounted"),
        QStringLiteral("change_events.created_at"), QStringLiteral("checks.created_at")};
    return columns.contains(table + u'.' + column);
}

QStringList logicalDump(const QString &path, bool recordedOnly = false)
{
    static const char *const tables[] = {"changes",   "revisions",     "artifacts", "artifact_parts",
                                         "decisions", "change_events", "checks",    "audit_log"};
    QStringList out;
    const QString name = QStringLiteral("dump");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (!db.open())
            out << QStringLiteral("unopenable");
        for (const char *table : tables) {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("SELECT * FROM %1").arg(QString::fromLatin1(table)))) {
                out << QStringLiteral("unreadable ") + QString::fromLatin1(table);
                continue;
            }
            QStringList rows;
            while (q.next()) {
                QStringList cells;
                for (int c = 0; c < q.record().count(); ++c) {
                    if (recordedOnly && unrecorded(QString::fromLatin1(table), q.record().fieldName(c)))
                        continue;
                    cells << q.record().fieldName(c) + u'=' +
                                 QString::fromLatin1(q.value(c).toByteArray().toHex());
                }
                rows << cells.join(u'|');
            }
            if (q.lastError().isValid())
                rows << QStringLiteral("error ") + q.lastError().text();
            rows.sort();
            out << QString::fromLatin1(table) + u':' + rows.join(u';');
        }
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

// "table.column" of the first cell that differs, for the failure message.
QString firstDifference(const QStringList &dump, const QStringList &expected)
{
    for (qsizetype t = 0; t < dump.size() && t < expected.size(); ++t) {
        if (dump[t] == expected[t])
            continue;
        const QString table = expected[t].section(u':', 0, 0);
        const QStringList a = dump[t].split(QRegularExpression(QStringLiteral("[|;]")));
        const QStringList b = expected[t].split(QRegularExpression(QStringLiteral("[|;]")));
        for (qsizetype k = 0; k < a.size() && k < b.size(); ++k) {
            if (a[k] != b[k])
                return table + u'.' + b[k].section(u'=', 0, 0).section(u':', -1) + u' ' +
                       QString::fromLatin1(QByteArray::fromHex(b[k].section(u'=', 1).toLatin1())) +
                       QStringLiteral(" → ") +
                       QString::fromLatin1(QByteArray::fromHex(a[k].section(u'=', 1).toLatin1()));
        }
        return table;
    }
    return QStringLiteral("tables");
}

qint64 seqOf(Store &store, const QString &action, const QString &principal)
{
    auto entries = store.auditEntries(0, 0);
    for (const AuditEntry &e : *entries) {
        const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
        if (o.value(u"action").toString() == action && o.value(u"principal").toString() == principal)
            return e.seq;
    }
    return -1;
}

} // namespace

class TstAuditTamper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTamperClassIsDetectedBySeq_data();
    void everyTamperClassIsDetectedBySeq();
    void editedStatusIsAMismatch();
    void noByteFlipChangesContentWhileVerifyPasses();

private:
    // Three changes from the agent: rita approves the first, rex comments
    // on the second, lena rejects the third.
    QStringList populate(StoreFixture &f);
};

QStringList TstAuditTamper::populate(StoreFixture &f)
{
    f.addTeam();
    QStringList ids;
    for (int i = 0; i < 3; ++i)
        ids << f.submitAsBot(QStringLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b%1\n").arg(i).toUtf8());
    const auto decide = [&](const char *who, int change, DecisionAction action) {
        return f.store->decide(actor(QString::fromLatin1(who)),
                               DecideRequest{ids.at(change), action, QStringLiteral("because"), 0});
    };
    if (!decide("rita", 0, DecisionAction::Approve) || !decide("rex", 1, DecisionAction::Comment) ||
        !decide("lena", 2, DecisionAction::Reject))
        return {};
    return ids;
}

void TstAuditTamper::everyTamperClassIsDetectedBySeq_data()
{
    // S is the seq of rita's approval; T is the last seq before tampering.
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("chain");     // classes the chain walk reports ({S}: rita's seq)
    QTest::addColumn<QString>("checkpoint"); // what a checkpoint of the head adds
    QTest::addColumn<bool>("mismatchAtS");
    QTest::newRow("entry edited")
        << "UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), 'because', 'becausf') AS BLOB) "
           "WHERE seq = {S}"
        << "modified:{S}" << "" << true;
    QTest::newRow("entry deleted") << "DELETE FROM audit_log WHERE seq = {S}" << "missing:{S}" << "truncated:{T}" << false;
    QTest::newRow("two entries swapped")
        << "UPDATE audit_log SET seq = -1 WHERE seq = {S}; UPDATE audit_log SET seq = {S} WHERE seq = {S1}; "
           "UPDATE audit_log SET seq = {S1} WHERE seq = -1"
        << "reordered:{S} reordered:{S1}" << "" << false;
    QTest::newRow("entry inserted")
        << "UPDATE audit_log SET seq = seq + 1000 WHERE seq >= {S}; UPDATE audit_log SET seq = seq - 999 "
           "WHERE seq >= 1000; INSERT"
        << "inserted:{S}" << "modified:{T}" << false;
    QTest::newRow("tail truncated") << "DELETE FROM audit_log WHERE seq >= {S}" << "" << "truncated:{S}" << false;
    QTest::newRow("decision row edited")
        << "UPDATE decisions SET principal = 'rex' WHERE principal = 'rita'" << "" << "" << true;
    // An older approval time would make its approval_ttl lapse later.
    QTest::newRow("decision time edited")
        << "UPDATE decisions SET created_at = '2020-01-01T00:00:00.000Z' WHERE principal = 'rita'" << ""
        << "" << true;
    QTest::newRow("intent edited") << "UPDATE changes SET intent = 'nothing to see'" << "" << "" << false;
    QTest::newRow("declared impact edited")
        << "UPDATE changes SET declared_impact = 'critical'" << "" << "" << false;
    QTest::newRow("creation time edited")
        << "UPDATE changes SET created_at = '2030-01-01T00:00:00.000Z'" << "" << "" << false;
    QTest::newRow("revision time edited")
        << "UPDATE revisions SET created_at = '2030-01-01T00:00:00.000Z'" << "" << "" << false;
    QTest::newRow("artifact byte edited")
        << "UPDATE artifact_parts SET bytes = CAST('+evil' AS BLOB) WHERE rowid = 1" << "" << "" << false;
}

void TstAuditTamper::everyTamperClassIsDetectedBySeq()
{
    QFETCH(QString, sql);
    QFETCH(QString, chain);
    QFETCH(QString, checkpoint);
    QFETCH(bool, mismatchAtS);
    StoreFixture f;
    QVERIFY(!populate(f).isEmpty());
    const qint64 s = seqOf(*f.store, QStringLiteral("decision.approve"), QStringLiteral("rita"));
    auto before = f.store->auditEntries(0, 0);
    QVERIFY(s > 0 && before.ok());
    const AuditEntry head = before->back();
    QVERIFY(head.seq > s + 1);
    const auto place = [&](QString text) {
        return text.replace(QStringLiteral("{S1}"), QString::number(s + 1))
            .replace(QStringLiteral("{S}"), QString::number(s))
            .replace(QStringLiteral("{T}"), QString::number(head.seq));
    };
    for (const QString &statement : sql.split(QStringLiteral("; "))) {
        if (statement == u"INSERT") {
            const AuditEntry &prev = before->at(static_cast<size_t>(s - 2));
            AuditRecord r;
            r.principal = QStringLiteral("mallory");
            r.action = QStringLiteral("decision.approve");
            const QByteArray entry = canonicalEntry(r, s);
            Sha256 hasher;
            QVERIFY(f.sql(QStringLiteral("INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (?, ?, ?, ?)"),
                          {s, prev.hash, chainHash(hasher, prev.hash, entry), entry}));
        } else {
            QVERIFY(f.sql(place(statement)));
        }
    }
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QCOMPARE(chainProblems(report->problems), place(chain));
    QCOMPARE(hasMismatchAt(*report, s), mismatchAtS);
    QVERIFY2(!report->clean() || !checkpoint.isEmpty(), "tampering went unnoticed");
    // Against a checkpoint of the head taken before the tampering.
    Checkpoint cp;
    cp.seq = head.seq;
    cp.headHash = head.hash;
    auto at = f.store->auditEntries(head.seq, 1);
    QVERIFY(at.ok());
    std::optional<AuditEntry> atSeq;
    if (!at->empty() && at->front().seq == head.seq)
        atSeq = at->front();
    QCOMPARE(chainProblems(checkpoint::compare(cp, report->entries, atSeq)), place(checkpoint));
}

void TstAuditTamper::editedStatusIsAMismatch()
{
    StoreFixture f;
    const QStringList ids = populate(f);
    QVERIFY(!ids.isEmpty());
    // rex only commented: the second change is still pending.
    QVERIFY(f.sql(QStringLiteral("UPDATE changes SET status = 'approved' WHERE id = ?"), {ids.at(1)}));
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QCOMPARE(chainProblems(report->problems), QString());
    QCOMPARE(report->problems.size(), size_t(1));
    QVERIFY(report->problems[0].detail.contains(ids.at(1)));
    // Reported at the last entry that recorded the change's status.
    qint64 lastStatus = -1;
    auto entries = f.store->auditEntries(0, 0);
    QVERIFY(entries.ok());
    for (const AuditEntry &e : *entries) {
        const QJsonObject o = QJsonDocument::fromJson(e.entry).object();
        if (o.value(u"change").toString() == ids.at(1) && !o.value(u"status_after").toString().isEmpty())
            lastStatus = e.seq;
    }
    QCOMPARE(report->problems[0].seq, lastStatus);
}

void TstAuditTamper::noByteFlipChangesContentWhileVerifyPasses()
{
    QByteArray original;
    QString source;
    QTemporaryDir dir;
    {
        StoreFixture f;
        QVERIFY(!populate(f).isEmpty());
        f.store.reset(); // closing checkpoints the WAL into the file
        QVERIFY(!QFile::exists(f.path + QStringLiteral("-wal")) ||
                QFileInfo(f.path + QStringLiteral("-wal")).size() == 0);
        source = dir.filePath(QStringLiteral("original.db"));
        QVERIFY(QFile::copy(f.path, source));
        QFile file(source);
        QVERIFY(file.open(QIODevice::ReadOnly));
        original = file.readAll();
    }
    const QStringList expected = logicalDump(source);
    const QStringList expectedRecorded = logicalDump(source, true);
    QVERIFY(expected.join(QString()).contains(QStringLiteral("audit_log:")));
    // A seeded sample of positions (every byte when the file is small).
    QRandomGenerator random(20261124);
    std::vector<qsizetype> positions;
    const qsizetype samples = 2000;
    if (original.size() <= samples) {
        for (qsizetype i = 0; i < original.size(); ++i)
            positions.push_back(i);
    } else {
        for (qsizetype i = 0; i < samples; ++i)
            positions.push_back(static_cast<qsizetype>(random.bounded(static_cast<quint64>(original.size()))));
    }
    const QString flipped = dir.filePath(QStringLiteral("flipped.db"));
    int opened = 0, clean = 0, caught = 0;
    QStringList silent;   // content the trail records changed: verify must catch these
    QStringList unvouched; // only columns no entry records changed
    for (qsizetype at : positions) {
        QByteArray bytes = original;
        bytes[at] = static_cast<char>(bytes[at] ^ static_cast<char>(1 + random.bounded(255)));
        for (const char *suffix : {"", "-wal", "-shm"})
            QFile::remove(flipped + QString::fromLatin1(suffix));
        {
            QFile out(flipped);
            QVERIFY(out.open(QIODevice::WriteOnly));
            QCOMPARE(out.write(bytes), bytes.size());
        }
        bool passes = false;
        {
            auto store = openStore(flipped, steppingClock());
            if (store) {
                ++opened;
                auto report = (*store)->verifyAudit();
                passes = report.ok() && report->clean();
            }
        }
        if (!passes) {
            ++caught;
            continue;
        }
        ++clean;
        const QStringList dump = logicalDump(flipped);
        if (dump == expected)
            continue;
        const QString where = QStringLiteral("%1 (%2)").arg(at).arg(firstDifference(dump, expected));
        (logicalDump(flipped, true) == expectedRecorded ? unvouched : silent) << where;
    }
    qInfo("%zu flips over %lld bytes: %d opened, %d verified clean, %d caught; %lld changed "
          "unrecorded columns only",
          positions.size(), static_cast<long long>(original.size()), opened, clean, caught,
          static_cast<long long>(unvouched.size()));
    QVERIFY2(silent.isEmpty(), qPrintable(QStringLiteral("flips at %1 changed content while verify passed")
                                              .arg(silent.join(QStringLiteral(", ")))));
    QVERIFY(caught > 0);
    // Known gap: the times of events and checks are in no audit entry, so a
    // flip there passes (the caches are recomputed on every read).
    if (!unvouched.isEmpty())
        QEXPECT_FAIL("", "event and check times are not recorded by any entry yet", Continue);
    QVERIFY2(unvouched.isEmpty(), qPrintable(unvouched.join(QStringLiteral(", "))));
}

QTEST_GUILESS_MAIN(TstAuditTamper)
#include "tst_audittamper.moc"
