#include "storage/pgstore.h"

#include "audit/auditverifier.h"

#include <QSqlDatabase>

// Reading and verifying the trail. The chain is written only by
// hp_append_audit (server-side hash under the audit_head lock) and the table
// refuses UPDATE, DELETE and TRUNCATE, so verification here checks every link
// and that audit_head names the last row.
namespace hp {

namespace {

AuditEntry entryFrom(const QSqlQuery &q)
{
    return AuditEntry{q.value(0).toLongLong(), q.value(1).toByteArray(), q.value(2).toByteArray(),
                      q.value(3).toByteArray()};
}

} // namespace

Result<std::vector<AuditEntry>> PgStore::auditEntries(qint64 fromSeq, qint64 limit)
{
    QString sql = QStringLiteral(
        "SELECT seq, prev_hash, hash, entry FROM audit_log WHERE seq >= ? ORDER BY seq");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(limit);
    auto q = m_db.exec(sql, {fromSeq});
    if (!q)
        return q.error();
    std::vector<AuditEntry> out;
    while (q->next())
        out.push_back(entryFrom(*q));
    return out;
}

Result<VerifyReport>
PgStore::verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress)
{
    VerifyReport report;
    // One snapshot: the rows and the head are read as of the same instant.
    const Status done = m_db.inTransaction([&]() -> Status {
        if (auto iso = m_db.exec(QStringLiteral(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
            !iso)
            return iso.error();
        auto head = m_db.exec(QStringLiteral("SELECT seq, hash FROM audit_head WHERE id = 1"));
        if (!head)
            return head.error();
        if (!head->next())
            return makeError(ExitCode::StoreProblem, QStringLiteral("no_head"),
                             QStringLiteral("the audit head row is missing"));
        const qint64 headSeq = head->value(0).toLongLong();
        const QByteArray headHash = head->value(1).toByteArray();
        auto rows = m_db.exec(
            QStringLiteral("SELECT seq, prev_hash, hash, entry FROM audit_log ORDER BY seq"));
        if (!rows)
            return rows.error();
        AuditVerifier verifier;
        while (rows->next()) {
            verifier.add(entryFrom(*rows));
            if (progress && !progress(verifier.count(), headSeq))
                return makeError(ExitCode::StoreProblem, QStringLiteral("cancelled"),
                                 QStringLiteral("verification cancelled"));
        }
        report = verifier.finish();
        if (report.entries != headSeq || (headSeq > 0 && report.headHash != headHash))
            report.problems.push_back(AuditProblem{
                headSeq, AuditProblemClass::Truncated,
                QStringLiteral("the audit head names seq %1 but the trail ends at %2")
                    .arg(headSeq)
                    .arg(report.entries)});
        return {};
    });
    if (!done)
        return done.error();
    return report;
}

Result<AuditEntry> PgStore::checkpointHead(const Actor &actor, const QByteArray &keyId)
{
    AuditEntry head;
    head.prevHash = QByteArray(32, '\0');
    head.hash = QByteArray(32, '\0');
    const Status done = call(QStringLiteral("SELECT r_seq, r_prev, r_hash, r_entry FROM "
                                            "hp_checkpoint(?, ?, ?)"),
                             {QString::fromLatin1(keyId), actor.host, actor.appVersion},
                             [&](QSqlQuery &q) -> Status {
                                 if (q.next())
                                     head = entryFrom(q);
                                 return {};
                             });
    if (Status s = auditRefusal(actor, QStringLiteral("audit.checkpoint"), {}, done); !s)
        return s.error();
    return head;
}

} // namespace hp
