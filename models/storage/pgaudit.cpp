#include "storage/pgstore.h"

#include "audit/auditverifier.h"
#include "intake/contenthash.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>

// Reading and verifying the trail. The chain is written only by
// hp_append_audit (server-side hash under the audit_head lock) and the table
// refuses UPDATE, DELETE and TRUNCATE, so verification checks every link and
// that audit_head names the last row. Application roles cannot write any
// table, but the owner or a superuser can: verify also cross-checks the rows
// that decide outcomes against what the entries recorded (every decision has
// its entry and reads as recorded; every change's status is the last one an
// entry recorded for it).
namespace hp {

// What the trail says about decisions and statuses, gathered while the links
// are checked.
struct RecordedRows
{
    struct Decision
    {
        qint64 seq = 0;
        QString text; // change revision principal action roles reason, one per line
    };
    QHash<qint64, Decision> decisions;               // by decision id
    QHash<QString, std::pair<qint64, QString>> last; // change -> (seq, status_after)
    QHash<QString, std::pair<qint64, QByteArray>> revisions; // change/number -> (seq, content hash hex)

    void note(qint64 seq, const QByteArray &bytes)
    {
        // Entries that change no status and record no decision need no parse.
        if (bytes.contains("\"status_after\":\"\"") && !bytes.contains("\"decision_id\"") &&
            !bytes.contains("\"action\":\"change."))
            return;
        const QJsonObject e = QJsonDocument::fromJson(bytes).object();
        const QString change = e.value(u"change").toString();
        const QString after = e.value(u"status_after").toString();
        if (e.value(u"outcome").toString() != u"ok")
            return;
        const QString action = e.value(u"action").toString();
        if (action == u"change.submit" || action == u"change.revise")
            revisions.insert(change + u'/' + QString::number(e.value(u"revision").toInt()),
                             {seq, e.value(u"content_hash").toString().toLatin1()});
        if (!change.isEmpty() && !after.isEmpty())
            last.insert(change, {seq, after});
        const QJsonValue id = e.value(u"payload").toObject().value(u"decision_id");
        if (id.isDouble() && action.startsWith(u"decision.")) {
            QStringList roles;
            const QJsonArray names = e.value(u"roles").toArray();
            for (const QJsonValue &r : names)
                roles << r.toString();
            decisions.insert(static_cast<qint64>(id.toDouble()),
                             Decision{seq, rowText(change, e.value(u"revision").toInt(),
                                                   e.value(u"principal").toString(), action.mid(9),
                                                   roles.join(u','), e.value(u"reason").toString())});
        }
    }

    static QString rowText(const QString &change, int revision, const QString &principal,
                           const QString &action, const QString &roles, const QString &reason)
    {
        return QStringList{change, QString::number(revision), principal, action, roles, reason}.join(
            u'\n');
    }
};

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
        RecordedRows recorded;
        while (rows->next()) {
            AuditEntry e = entryFrom(*rows);
            recorded.note(e.seq, e.entry);
            verifier.add(std::move(e));
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
        return crossCheckRows(recorded, report);
    });
    if (!done)
        return done.error();
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const AuditProblem &a, const AuditProblem &b) { return a.seq < b.seq; });
    return report;
}

Status PgStore::crossCheckRows(RecordedRows &recorded, VerifyReport &report)
{
    auto mismatch = [&report](qint64 seq, QString detail) {
        report.problems.push_back(AuditProblem{seq, AuditProblemClass::Mismatch, std::move(detail)});
    };
    auto decisions = m_db.exec(QStringLiteral(
        "SELECT id, change_id, revision, principal, action, roles, reason FROM decisions ORDER BY id"));
    if (!decisions)
        return decisions.error();
    while (decisions->next()) {
        const qint64 id = decisions->value(0).toLongLong();
        const QString row = RecordedRows::rowText(
            decisions->value(1).toString(), decisions->value(2).toInt(), decisions->value(3).toString(),
            decisions->value(4).toString(), decisions->value(5).toString(), decisions->value(6).toString());
        const auto it = recorded.decisions.constFind(id);
        if (it == recorded.decisions.constEnd()) {
            mismatch(0, QStringLiteral("decision %1 (%2 on change %3) has no audit entry")
                            .arg(id)
                            .arg(decisions->value(4).toString(), decisions->value(1).toString()));
            continue;
        }
        if (it->text != row)
            mismatch(it->seq, QStringLiteral("decision %1 differs from what entry %2 recorded (change, "
                                             "revision, principal, action, roles or reason)")
                                  .arg(id)
                                  .arg(it->seq));
        recorded.decisions.erase(it);
    }
    for (auto it = recorded.decisions.cbegin(); it != recorded.decisions.cend(); ++it)
        mismatch(it->seq, QStringLiteral("entry %1 recorded decision %2, which is missing from the store")
                              .arg(it->seq)
                              .arg(it.key()));
    if (Status s = crossCheckRevisions(recorded, report); !s)
        return s;
    auto statuses = m_db.exec(QStringLiteral("SELECT id, status FROM changes ORDER BY id"));
    if (!statuses)
        return statuses.error();
    while (statuses->next()) {
        const QString id = statuses->value(0).toString();
        const QString status = statuses->value(1).toString();
        const auto last = recorded.last.value(id, {0, QString()});
        if (last.first == 0)
            mismatch(0, QStringLiteral("change %1 has no audit entry").arg(id));
        else if (last.second != status)
            mismatch(last.first, QStringLiteral("change %1 is %2, but the last entry about it (%3) "
                                                "left it %4")
                                     .arg(id, status)
                                     .arg(last.first)
                                     .arg(last.second));
    }
    return {};
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

// Every revision has its submission entry with the same content hash, and
// the stored bytes still give each artifact's SHA-256 and that content hash
// (when this login may read artifact bytes: reviewers, leads, auditors).
Status PgStore::crossCheckRevisions(RecordedRows &recorded, VerifyReport &report)
{
    auto readable = m_db.exec(QStringLiteral("SELECT has_table_privilege('holdpoint.artifact_parts', 'SELECT')"));
    if (!readable)
        return readable.error();
    const bool bytes = readable->next() && readable->value(0).toBool();
    if (!bytes)
        report.notChecked << QStringLiteral("artifact bytes against their hashes (this login may not read "
                                            "artifacts; an auditor can)");
    auto q = m_db.exec(QStringLiteral("SELECT change_id, number, kind, environment, target, content_hash "
                                      "FROM revisions ORDER BY change_id, number"));
    if (!q)
        return q.error();
    // Read every row first: QPSQL streams a result, and the artifact reads
    // below are queries of their own.
    struct Row
    {
        QString change;
        int number = 0;
        RevisionMeta meta;
        QByteArray stored;
    };
    std::vector<Row> rows;
    while (q->next())
        rows.push_back(Row{q->value(0).toString(), q->value(1).toInt(),
                           RevisionMeta{parseChangeKind(q->value(2).toString()).value_or(ChangeKind::Infra),
                                        q->value(3).toString(), q->value(4).toString()},
                           q->value(5).toByteArray()});
    for (const Row &row : rows) {
        const QString &change = row.change;
        const int number = row.number;
        const QByteArray &stored = row.stored;
        const auto entry = recorded.revisions.take(change + u'/' + QString::number(number));
        auto mismatch = [&](QString detail) {
            report.problems.push_back(AuditProblem{entry.first, AuditProblemClass::Mismatch, std::move(detail)});
        };
        if (entry.first == 0) {
            mismatch(QStringLiteral("change %1 revision %2 has no audit entry").arg(change).arg(number));
            continue;
        }
        if (entry.second != stored.toHex())
            mismatch(QStringLiteral("change %1 revision %2: its content hash differs from the one entry %3 "
                                    "recorded")
                         .arg(change)
                         .arg(number)
                         .arg(entry.first));
        if (!bytes)
            continue;
        auto loaded = loadArtifacts(change, number);
        if (!loaded)
            return loaded.error();
        std::vector<Artifact> &artifacts = *loaded;
        std::vector<QByteArray> hashes;
        for (const Artifact &a : artifacts)
            hashes.push_back(a.sha256);
        hashArtifacts(artifacts);
        for (size_t i = 0; i < artifacts.size(); ++i) {
            if (artifacts[i].sha256 != hashes[i])
                mismatch(QStringLiteral("change %1 revision %2 artifact %3 (%4) no longer matches its SHA-256")
                             .arg(change)
                             .arg(number)
                             .arg(i)
                             .arg(artifacts[i].name));
        }
        if (contentHash(row.meta, artifacts) != stored)
            mismatch(QStringLiteral("change %1 revision %2 no longer matches its content hash")
                         .arg(change)
                         .arg(number));
    }
    for (auto it = recorded.revisions.cbegin(); it != recorded.revisions.cend(); ++it)
        report.problems.push_back(AuditProblem{
            it->first, AuditProblemClass::Mismatch,
            QStringLiteral("entry %1 recorded revision %2, which is missing from the store").arg(it->first).arg(it.key())});
    return {};
}

} // namespace hp
