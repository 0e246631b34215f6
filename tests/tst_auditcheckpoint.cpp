#include "storefixture.h"

#include "audit/auditrecord.h"
#include "audit/checkpoint.h"
#include "domain/sha256.h"

#include <QFile>

#include <sys/stat.h>

using namespace hp;
using namespace hp::testing;

namespace {

mode_t modeOf(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return st.st_mode & 0777;
}

// Rewrites the entry at `seq` and re-chains everything after it, as an
// attacker with write access to the file would: the chain stays consistent.
bool rewriteConsistently(const QString &path, qint64 seq)
{
    bool ok = true;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("rewrite"));
        db.setDatabaseName(path);
        ok = db.open();
        QSqlQuery q(db);
        ok = ok && q.exec(QStringLiteral("SELECT seq, prev_hash, entry FROM audit_log ORDER BY seq"));
        std::vector<std::pair<qint64, QByteArray>> rows;
        QByteArray prev;
        while (ok && q.next()) {
            if (q.value(0).toLongLong() == seq)
                prev = q.value(1).toByteArray();
            rows.emplace_back(q.value(0).toLongLong(), q.value(2).toByteArray());
        }
        q.finish();
        Sha256 hasher;
        for (auto &[s, entry] : rows) {
            if (s < seq)
                continue;
            if (s == seq)
                entry.replace("testhost", "evilhost");
            const QByteArray hash = chainHash(hasher, prev, entry);
            QSqlQuery u(db);
            u.prepare(QStringLiteral("UPDATE audit_log SET prev_hash = ?, hash = ?, entry = ? WHERE seq = ?"));
            u.addBindValue(prev);
            u.addBindValue(hash);
            u.addBindValue(entry);
            u.addBindValue(s);
            ok = ok && u.exec();
            prev = hash;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("rewrite"));
    return ok;
}

} // namespace

class TstAuditCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void keygenWritesPrivateKeyOnceWithMode0600();
    void privateKeyReadableByOthersIsRefused();
    void checkpointNeedsAnAuditorOrALeadAndIsAudited();
    void signatureVerifiesAndCatchesAlteration();
    void cleanChainMatchesItsCheckpoint();
    void truncatedChainIsDetected();
    void consistentRewriteIsDetectedOnlyWithACheckpoint();
    void restoredBackupIsDetectedAsARollback();

private:
    QTemporaryDir m_keys;
    QString key() const { return m_keys.filePath(QStringLiteral("audit.key")); }
};

void TstAuditCheckpoint::keygenWritesPrivateKeyOnceWithMode0600()
{
    QVERIFY(checkpoint::generateKeyPair(key()).ok());
    QCOMPARE(modeOf(key()), mode_t(0600));
    QCOMPARE(modeOf(key() + QStringLiteral(".pub")), mode_t(0644));
    const QByteArray before = [&] {
        QFile f(key());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    Status again = checkpoint::generateKeyPair(key());
    QVERIFY(!again.ok());
    QVERIFY(again.error().message.contains(QStringLiteral("exists")));
    QFile f(key());
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before); // never overwritten
    QCOMPARE(checkpoint::privateKeyId(key())->size(), 64);
}

void TstAuditCheckpoint::privateKeyReadableByOthersIsRefused()
{
    const QString loose = m_keys.filePath(QStringLiteral("loose.key"));
    QVERIFY(checkpoint::generateKeyPair(loose).ok());
    QVERIFY(::chmod(QFile::encodeName(loose).constData(), 0644) == 0);
    Result<QByteArray> id = checkpoint::privateKeyId(loose);
    QVERIFY(!id.ok());
    QVERIFY(id.error().message.contains(QStringLiteral("readable by others")));
    // A public key is not a private key.
    QVERIFY(!checkpoint::privateKeyId(key() + QStringLiteral(".pub")).ok());
}

void TstAuditCheckpoint::checkpointNeedsAnAuditorOrALeadAndIsAudited()
{
    StoreFixture f;
    f.addTeam();
    Result<AuditEntry> denied = f.store->checkpointHead(actor(QStringLiteral("rita")), "ab");
    QVERIFY(!denied.ok());
    QVERIFY(denied.error().code == ExitCode::Denied);
    QCOMPARE(lastEntry(*f.store).value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));

    Result<std::vector<AuditEntry>> before = f.store->auditEntries(0, 0);
    Result<AuditEntry> head = f.store->checkpointHead(actor(QStringLiteral("aria")), "ab");
    QVERIFY(head.ok());
    QCOMPARE(head->seq, before->back().seq);
    QCOMPARE(head->hash, before->back().hash);
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(QStringLiteral("action")).toString(), QStringLiteral("audit.checkpoint"));
    QCOMPARE(entry.value(QStringLiteral("payload")).toObject().value(QStringLiteral("checkpoint_seq")).toInteger(),
             head->seq);
    QVERIFY(f.store->checkpointHead(actor(QStringLiteral("lena")), "ab").ok());
}

void TstAuditCheckpoint::signatureVerifiesAndCatchesAlteration()
{
    AuditEntry head;
    head.seq = 42;
    head.hash = QByteArray(32, '\x5a');
    const QDateTime t(QDate(2026, 11, 1), QTime(12, 0), Qt::UTC);
    Result<Checkpoint> cp = checkpoint::sign(key(), QStringLiteral("01STORE"), head, t);
    QVERIFY(cp.ok());
    const QByteArray json = checkpoint::toJson(*cp);
    Result<Checkpoint> back = checkpoint::parse(json, QStringLiteral("cp.json"));
    QVERIFY2(back.ok(), back.ok() ? "" : qPrintable(back.error().message));
    QCOMPARE(back->seq, 42);
    QVERIFY(checkpoint::verifySignature(*back, key() + QStringLiteral(".pub")).ok());

    QByteArray altered = json;
    altered.replace("\"seq\":42", "\"seq\":41");
    Result<Checkpoint> forged = checkpoint::parse(altered, QStringLiteral("cp.json"));
    QVERIFY(forged.ok());
    Status bad = checkpoint::verifySignature(*forged, key() + QStringLiteral(".pub"));
    QVERIFY(!bad.ok());
    QVERIFY(bad.error().message.contains(QStringLiteral("does not verify")));

    const QString other = m_keys.filePath(QStringLiteral("other.key"));
    QVERIFY(checkpoint::generateKeyPair(other).ok());
    QVERIFY(!checkpoint::verifySignature(*back, other + QStringLiteral(".pub")).ok());
    QVERIFY(!checkpoint::parse("{\"schema\":\"holdpoint.checkpoint/1\",\"extra\":1}", QStringLiteral("x")).ok());
    // Hostile numbers and duplicate keys are refused, not cast or merged.
    QByteArray huge = json;
    huge.replace("\"seq\":42", "\"seq\":1e300");
    QVERIFY(!checkpoint::parse(huge, QStringLiteral("cp.json")).ok());
    QByteArray twice = json;
    twice.replace("\"seq\":42", "\"seq\":41,\"seq\":42");
    Result<Checkpoint> dup = checkpoint::parse(twice, QStringLiteral("cp.json"));
    QVERIFY(!dup.ok());
    QVERIFY(dup.error().message.contains(QStringLiteral("exactly once")));
}

void TstAuditCheckpoint::cleanChainMatchesItsCheckpoint()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(!f.submitAsBot().isEmpty());
    Result<AuditEntry> head = f.store->checkpointHead(actor(QStringLiteral("aria")), "ab");
    QVERIFY(head.ok());
    Result<Checkpoint> cp = checkpoint::sign(key(), f.store->info().storeId, *head, QDateTime::currentDateTimeUtc());
    QVERIFY(cp.ok());
    QVERIFY(!f.submitAsBot("--- a/y\n+++ b/y\n@@ -1 +1 @@\n-c\n+d\n").isEmpty()); // the chain grows after it
    Result<std::vector<AuditEntry>> rows = f.store->auditEntries(head->seq, 1);
    Result<VerifyReport> report = f.store->verifyAudit();
    QVERIFY(report.ok() && report->clean());
    QVERIFY(checkpoint::compare(*cp, report->entries, rows->front()).empty());
}

void TstAuditCheckpoint::truncatedChainIsDetected()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(!f.submitAsBot().isEmpty());
    Result<AuditEntry> head = f.store->checkpointHead(actor(QStringLiteral("aria")), "ab");
    Result<Checkpoint> cp = checkpoint::sign(key(), f.store->info().storeId, *head, QDateTime::currentDateTimeUtc());
    QVERIFY(cp.ok());
    // Cut the tail back to before the submission: the chain is still
    // self-consistent, so only the checkpoint can tell.
    QVERIFY(f.sql(QStringLiteral("DELETE FROM audit_log WHERE seq >= ?"), {head->seq - 1}));
    Result<VerifyReport> report = f.store->verifyAudit();
    QVERIFY(report.ok());
    const std::vector<AuditProblem> problems = checkpoint::compare(*cp, report->entries, std::nullopt);
    QCOMPARE(problems.size(), size_t(1));
    COMPARE_NAME(problems[0].kind, AuditProblemClass::Truncated);
    QCOMPARE(problems[0].seq, head->seq - 1);
}

void TstAuditCheckpoint::consistentRewriteIsDetectedOnlyWithACheckpoint()
{
    StoreFixture f;
    f.addTeam();
    Result<AuditEntry> head = f.store->checkpointHead(actor(QStringLiteral("aria")), "ab");
    Result<Checkpoint> cp = checkpoint::sign(key(), f.store->info().storeId, *head, QDateTime::currentDateTimeUtc());
    QVERIFY(cp.ok());
    QVERIFY(rewriteConsistently(f.path, 3));
    Result<VerifyReport> report = f.store->verifyAudit();
    QVERIFY(report.ok());
    QVERIFY2(report->clean(), "a consistent rewrite of user entries is invisible to the chain alone");
    Result<std::vector<AuditEntry>> rows = f.store->auditEntries(head->seq, 1);
    const std::vector<AuditProblem> problems = checkpoint::compare(*cp, report->entries, rows->front());
    QCOMPARE(problems.size(), size_t(1));
    COMPARE_NAME(problems[0].kind, AuditProblemClass::Modified);
    QCOMPARE(problems[0].seq, head->seq);
}

// A backup from before the checkpoint put back in place, then written to
// again so the chain is as long as before: a clean chain on its own, but
// another entry at the checkpoint's seq.
void TstAuditCheckpoint::restoredBackupIsDetectedAsARollback()
{
    StoreFixture f;
    f.addTeam();
    const QString backup = f.path + QStringLiteral(".backup");
    QVERIFY(f.sql(QStringLiteral("VACUUM INTO '%1'").arg(backup)));
    QVERIFY(!f.submitAsBot().isEmpty());
    Result<AuditEntry> head = f.store->checkpointHead(actor(QStringLiteral("aria")), "ab");
    QVERIFY(head.ok());
    Result<Checkpoint> cp = checkpoint::sign(key(), f.store->info().storeId, *head, QDateTime::currentDateTimeUtc());
    QVERIFY(cp.ok());
    f.store.reset();
    for (const char *suffix : {"", "-wal", "-shm"})
        QFile::remove(f.path + QString::fromLatin1(suffix));
    QVERIFY(QFile::rename(backup, f.path));
    auto reopened = openStore(f.path, steppingClock());
    QVERIFY(reopened.ok());
    f.store = std::move(*reopened);
    Result<VerifyReport> rolledBack = f.store->verifyAudit();
    QVERIFY(rolledBack.ok() && rolledBack->clean());
    std::vector<AuditProblem> problems = checkpoint::compare(*cp, rolledBack->entries, std::nullopt);
    QCOMPARE(problems.size(), size_t(1));
    COMPARE_NAME(problems[0].kind, AuditProblemClass::Truncated);
    while (f.store->auditEntries(head->seq, 1)->empty())
        QVERIFY(!f.submitAsBot("--- a/z\n+++ b/z\n@@ -1 +1 @@\n-e\n+f\n").isEmpty());
    Result<VerifyReport> rewritten = f.store->verifyAudit();
    QVERIFY(rewritten.ok() && rewritten->clean());
    problems = checkpoint::compare(*cp, rewritten->entries, f.store->auditEntries(head->seq, 1)->front());
    QCOMPARE(problems.size(), size_t(1));
    COMPARE_NAME(problems[0].kind, AuditProblemClass::Modified);
    QCOMPARE(problems[0].seq, head->seq);
}

QTEST_GUILESS_MAIN(TstAuditCheckpoint)
#include "tst_auditcheckpoint.moc"
