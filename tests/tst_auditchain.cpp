#include "storefixture.h"

#include "audit/auditrecord.h"
#include "audit/auditverifier.h"
#include "domain/sha256.h"

#include <QJsonDocument>

using namespace hp;
using namespace hp::testing;

namespace {

// A well-formed chain of `n` entries, as the store writes them.
std::vector<AuditEntry> makeChain(int n)
{
    Sha256 hasher;
    std::vector<AuditEntry> rows;
    QByteArray prev = genesisHash();
    for (int i = 1; i <= n; ++i) {
        AuditRecord r;
        r.time = QDateTime(QDate(2024, 5, 1), QTime(9, 0), Qt::UTC).addSecs(i);
        r.principal = QStringLiteral("rita");
        r.action = QStringLiteral("decision.comment");
        r.changeId = QStringLiteral("C%1").arg(i);
        r.payload = QJsonObject{{QStringLiteral("n"), i}};
        AuditEntry e;
        e.seq = i;
        e.prevHash = prev;
        e.entry = canonicalEntry(r, i);
        e.hash = chainHash(hasher, prev, e.entry);
        prev = e.hash;
        rows.push_back(e);
    }
    return rows;
}

// A forged entry claiming position `seq`, linked to `prev` with a valid hash.
AuditEntry forged(qint64 seq, const QByteArray &prev)
{
    Sha256 hasher;
    AuditRecord r;
    r.principal = QStringLiteral("mallory");
    r.action = QStringLiteral("decision.approve");
    AuditEntry e{seq, prev, {}, canonicalEntry(r, seq)};
    e.hash = chainHash(hasher, prev, e.entry);
    return e;
}

QString describe(const VerifyReport &report)
{
    QStringList out;
    for (const AuditProblem &p : report.problems)
        out << QStringLiteral("%1:%2").arg(toString(p.kind)).arg(p.seq);
    return out.join(u' ');
}

VerifyReport verify(const std::vector<AuditEntry> &rows)
{
    AuditVerifier v;
    for (const AuditEntry &e : rows)
        v.add(e);
    return v.finish();
}

void renumber(std::vector<AuditEntry> &rows)
{
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i].seq = static_cast<qint64>(i) + 1;
}

} // namespace

class TestAuditChain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void entryIsCanonicalWithEveryKey();
    void findsTheTopLevelSeq();
    void classifiesTampering_data();
    void classifiesTampering();
    void storeChainVerifies();
    void editedEntryBytesAreModifiedAtThatSeq();
    void deletedRowIsMissing();
    void swappedRowsAreReordered();
    void insertedForgedRowIsInserted();
    void editedDecisionRowIsAMismatch();
    void editedArtifactBytesAreAMismatch();
};

void TestAuditChain::entryIsCanonicalWithEveryKey()
{
    AuditRecord r;
    r.time = QDateTime(QDate(2024, 5, 1), QTime(9, 0, 1, 5), Qt::UTC);
    r.principal = QStringLiteral("rita");
    r.roles = RoleSet::of({Role::Reviewer, Role::Auditor});
    r.action = QStringLiteral("decision.approve");
    r.changeId = QStringLiteral("01J0");
    r.revision = 2;
    r.contentHash = QByteArray(32, '\x01');
    r.statusBefore = ChangeStatus::Pending;
    r.statusAfter = ChangeStatus::Approved;
    r.payload = QJsonObject{{QStringLiteral("decision_id"), 7}};
    const QByteArray entry = canonicalEntry(r, 12);
    QVERIFY(entry.startsWith(
        "{\"action\":\"decision.approve\",\"app_version\":\"\",\"change\":\"01J0\","));
    QVERIFY(entry.contains("\"time\":\"2024-05-01T09:00:01.005Z\""));
    QVERIFY(entry.contains("\"roles\":[\"auditor\",\"reviewer\"]"));
    QVERIFY(entry.contains("\"content_hash\":\"0101"));
    QVERIFY(entry.contains("\"policy_hash\":\"\""));
    QVERIFY(entry.contains("\"outcome\":\"ok\""));
    QVERIFY(entry.contains("\"status_before\":\"pending\",\"time\""));
    const QJsonObject o = QJsonDocument::fromJson(entry).object();
    QCOMPARE(o.size(), 18);
    QCOMPARE(o.value(u"seq").toInteger(), 12);
    QCOMPARE(o.value(u"principal_kind").toString(), QStringLiteral("human"));

    Sha256 hasher;
    Sha256 reference;
    reference.update(genesisHash());
    reference.update(entry);
    QCOMPARE(chainHash(hasher, genesisHash(), entry), reference.finish());
}

void TestAuditChain::findsTheTopLevelSeq()
{
    AuditRecord r;
    r.reason = QStringLiteral("\"seq\":99,");
    r.payload = QJsonObject{{QStringLiteral("inner"), QJsonObject{{QStringLiteral("seq"), 5}}}};
    QCOMPARE(findEntrySeq(canonicalEntry(r, 42)), qint64(42));
    QCOMPARE(findEntrySeq("{\"x\":1}"), qint64(-1));
}

void TestAuditChain::classifiesTampering_data()
{
    QTest::addColumn<int>("tamper");
    QTest::addColumn<QString>("expected");
    QTest::newRow("intact") << 0 << "";
    QTest::newRow("entry bytes edited") << 1 << "modified:4";
    QTest::newRow("hash edited") << 2 << "modified:4";
    QTest::newRow("rewritten with a fresh hash") << 3 << "modified:4";
    QTest::newRow("row deleted") << 4 << "missing:4";
    QTest::newRow("row deleted, rest renumbered") << 5 << "missing:4";
    QTest::newRow("adjacent rows swapped") << 6 << "reordered:4 reordered:5";
    QTest::newRow("distant rows swapped") << 7 << "reordered:2 reordered:6";
    QTest::newRow("last two rows swapped") << 8 << "reordered:7 reordered:8";
    QTest::newRow("forged row inserted, rest renumbered") << 9 << "inserted:4";
    QTest::newRow("forged row appended without a link") << 10 << "inserted:9";
    QTest::newRow("first row deleted") << 11 << "missing:1";
    QTest::newRow("prev of a row edited") << 12 << "modified:4";
}

void TestAuditChain::classifiesTampering()
{
    QFETCH(int, tamper);
    QFETCH(QString, expected);
    std::vector<AuditEntry> rows = makeChain(8);
    auto at = [&rows](int seq) -> AuditEntry & { return rows[static_cast<size_t>(seq - 1)]; };
    switch (tamper) {
    case 1:
        at(4).entry.replace("rita", "mall");
        break;
    case 2:
        at(4).hash[0] = static_cast<char>(at(4).hash[0] ^ 1);
        break;
    case 3: {
        Sha256 h;
        at(4).entry.replace("rita", "mall");
        at(4).hash = chainHash(h, at(4).prevHash, at(4).entry);
        break;
    }
    case 4:
        rows.erase(rows.begin() + 3);
        break;
    case 5:
        rows.erase(rows.begin() + 3);
        renumber(rows);
        break;
    case 6:
        std::swap(at(4), at(5));
        renumber(rows);
        break;
    case 7:
        std::swap(at(2), at(6));
        renumber(rows);
        break;
    case 8:
        std::swap(at(7), at(8));
        renumber(rows);
        break;
    case 9:
        rows.insert(rows.begin() + 3, forged(4, at(3).hash));
        renumber(rows);
        break;
    case 10:
        rows.push_back(forged(9, QByteArray(32, '\x07')));
        break;
    case 11:
        rows.erase(rows.begin());
        break;
    case 12:
        at(4).prevHash[3] = 'x';
        break;
    default:
        break;
    }
    const VerifyReport report = verify(rows);
    QCOMPARE(describe(report), expected);
    QCOMPARE(report.entries, qint64(rows.size()));
}

void TestAuditChain::storeChainVerifies()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(
        f.store->decide(actor(QStringLiteral("rita")), {id, DecisionAction::Approve, {}, 0}).ok());
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QCOMPARE(describe(*report), QString());
    QVERIFY(report->entries >= 9);
}

void TestAuditChain::editedEntryBytesAreModifiedAtThatSeq()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.sql(QStringLiteral(
        "UPDATE audit_log SET entry = CAST(replace(CAST(entry AS TEXT), 'rita', 'rite') "
        "AS BLOB) WHERE seq = 3")));
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QCOMPARE(describe(*report), QStringLiteral("modified:3"));
}

void TestAuditChain::deletedRowIsMissing()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.sql(QStringLiteral("DELETE FROM audit_log WHERE seq = 4")));
    QCOMPARE(describe(*f.store->verifyAudit()), QStringLiteral("missing:4"));
}

void TestAuditChain::swappedRowsAreReordered()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.sql(QStringLiteral("UPDATE audit_log SET seq = -1 WHERE seq = 4")));
    QVERIFY(f.sql(QStringLiteral("UPDATE audit_log SET seq = 4 WHERE seq = 5")));
    QVERIFY(f.sql(QStringLiteral("UPDATE audit_log SET seq = 5 WHERE seq = -1")));
    QCOMPARE(describe(*f.store->verifyAudit()), QStringLiteral("reordered:4 reordered:5"));
}

void TestAuditChain::insertedForgedRowIsInserted()
{
    StoreFixture f;
    f.addTeam();
    auto entries = f.store->auditEntries(3, 1);
    QVERIFY(entries.ok() && entries->size() == 1);
    const AuditEntry fake = forged(4, entries->front().hash);
    QVERIFY(f.sql(QStringLiteral("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 4")));
    QVERIFY(f.sql(QStringLiteral("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000")));
    QVERIFY(f.sql(
        QStringLiteral("INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (4, ?, ?, ?)"),
        {fake.prevHash, fake.hash, fake.entry}));
    QCOMPARE(describe(*f.store->verifyAudit()), QStringLiteral("inserted:4"));
}

void TestAuditChain::editedDecisionRowIsAMismatch()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    auto decided = f.store->decide(actor(QStringLiteral("rita")),
                                   {id, DecisionAction::Comment, QStringLiteral("hm"), 0});
    QVERIFY(decided.ok());
    QVERIFY(f.sql(QStringLiteral("UPDATE decisions SET reason = 'looks fine' WHERE id = ?"),
                  {decided->decisionId}));
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QCOMPARE(report->problems.size(), size_t(1));
    QCOMPARE(toString(report->problems[0].kind), QStringLiteral("mismatch"));
    QCOMPARE(report->problems[0].seq, f.store->auditEntries(0, 0)->back().seq);
    QVERIFY(
        f.sql(QStringLiteral("UPDATE decisions SET reason = 'hm', action = 'approve' WHERE id = ?"),
              {decided->decisionId}));
    report = f.store->verifyAudit();
    QVERIFY(!report->clean());
    for (const AuditProblem &p : report->problems)
        QCOMPARE(toString(p.kind),
                 QStringLiteral("mismatch")); // the decision and the status it implies
}

void TestAuditChain::editedArtifactBytesAreAMismatch()
{
    StoreFixture f;
    f.addTeam();
    const QString id = f.submitAsBot();
    QVERIFY(
        f.sql(QStringLiteral(
                  "UPDATE artifact_parts SET bytes = CAST('+evil' AS BLOB) WHERE change_id = ?"),
              {id}));
    auto report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QVERIFY(!report->clean());
    for (const AuditProblem &p : report->problems) {
        QCOMPARE(toString(p.kind), QStringLiteral("mismatch"));
        QVERIFY(p.seq > 0);
    }
}

QTEST_GUILESS_MAIN(TestAuditChain)
#include "tst_auditchain.moc"
