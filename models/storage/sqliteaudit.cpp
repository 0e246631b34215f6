#include "storage/sqlitestore.h"

#include "audit/auditverifier.h"

// Appending to and reading the trail. Verification (with the cross-checks
// against decisions, artifacts and statuses) lives in sqliteverify.cpp.
namespace hp {

Status SqliteStore::appendAudit(const Actor &actor, AuditRecord record)
{
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    record.principal = actor.login;
    record.host = actor.host;
    record.appVersion = actor.appVersion;
    record.time = now();
    record.roles = who->roles;
    if (who->kind == PrincipalKind::Agent)
        record.principalKind = PrincipalKind::Agent;
    // Every entry names the policy in force (DESIGN §7), once one is stored.
    if (record.policyHash.isEmpty()) {
        auto policy = exec(QStringLiteral("SELECT hash FROM policies ORDER BY version DESC LIMIT 1"));
        if (!policy)
            return policy.error();
        if (policy->next())
            record.policyHash = QByteArray::fromHex(policy->value(0).toString().toLatin1());
    }

    qint64 seq = 1;
    QByteArray prev = genesisHash();
    {
        auto head =
            exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
        if (!head)
            return head.error();
        if (head->next()) {
            seq = head->value(0).toLongLong() + 1;
            prev = head->value(1).toByteArray();
        }
    }
    const QByteArray entry = canonicalEntry(record, seq);
    const QByteArray hash = chainHash(m_hasher, prev, entry);
    auto q = exec(
        QStringLiteral("INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (?, ?, ?, ?)"),
        {seq, prev, hash, entry});
    if (!q)
        return q.error();
    return {};
}

Result<std::vector<AuditEntry>> SqliteStore::auditEntries(qint64 fromSeq, qint64 limit)
{
    auto q = exec(QStringLiteral("SELECT seq, prev_hash, hash, entry FROM audit_log WHERE seq >= ? "
                                 "ORDER BY seq LIMIT ?"),
                  {fromSeq, limit > 0 ? limit : qint64(-1)});
    if (!q)
        return q.error();
    std::vector<AuditEntry> out;
    while (q->next()) {
        out.push_back(AuditEntry{q->value(0).toLongLong(), q->value(1).toByteArray(),
                                 q->value(2).toByteArray(), q->value(3).toByteArray()});
    }
    return out;
}

Result<AuditEntry> SqliteStore::checkpointHead(const Actor &actor, const QByteArray &keyId)
{
    return auditRefusal<AuditEntry>(actor, QStringLiteral("audit.checkpoint"), {},
                                    inTransaction<AuditEntry>([&]() -> Result<AuditEntry> {
        auto who = loadPrincipal(actor.login);
        if (!who)
            return who.error();
        if (!who->roles.has(Role::Auditor) && !who->roles.holds(Role::Lead))
            return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                             QStringLiteral("only auditors and leads can write checkpoints"));
        AuditEntry head;
        head.hash = genesisHash();
        auto q = exec(QStringLiteral("SELECT seq, prev_hash, hash, entry FROM audit_log ORDER BY seq DESC LIMIT 1"));
        if (!q)
            return q.error();
        if (q->next())
            head = AuditEntry{q->value(0).toLongLong(), q->value(1).toByteArray(), q->value(2).toByteArray(),
                              q->value(3).toByteArray()};
        AuditRecord record;
        record.action = QStringLiteral("audit.checkpoint");
        record.payload = QJsonObject{{QStringLiteral("checkpoint_seq"), head.seq},
                                     {QStringLiteral("head_hash"), QString::fromLatin1(head.hash.toHex())},
                                     {QStringLiteral("key_id"), QString::fromLatin1(keyId)}};
        if (Status s = appendAudit(actor, record); !s)
            return s.error();
        return head;
    }));
}

Status SqliteStore::recordEvidenceReport(const Actor &actor, const QString &changeId,
                                         const QByteArray &reportSha256)
{
    const QString action = QStringLiteral("audit.report");
    return auditRefusal<void>(actor, action, changeId, inTransaction<void>([&]() -> Status {
        auto who = loadPrincipal(actor.login);
        if (!who)
            return who.error();
        if (!who->roles.has(Role::Auditor) && !who->roles.holds(Role::Lead))
            return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                             QStringLiteral("only auditors and leads can produce evidence reports"));
        auto latest = exec(QStringLiteral(
                               "SELECT r.number, r.content_hash FROM changes c "
                               "JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision "
                               "WHERE c.id = ?"),
                           {changeId});
        if (!latest)
            return latest.error();
        if (!latest->next())
            return makeError(ExitCode::NotFound, QStringLiteral("unknown_change"),
                             QStringLiteral("no change %1").arg(changeId));
        AuditRecord record;
        record.action = action;
        record.changeId = changeId;
        record.revision = latest->value(0).toInt();
        record.contentHash = latest->value(1).toByteArray();
        record.payload = QJsonObject{
            {QStringLiteral("report_sha256"), QString::fromLatin1(reportSha256.toHex())}};
        return appendAudit(actor, record);
    }));
}

Status SqliteStore::recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                                 const Error &why)
{
    return inTransaction<void>([&]() -> Status {
        AuditRecord record;
        record.action = action;
        record.changeId = changeId;
        record.denied = true;
        record.reasonCode = why.reason;
        record.reason = why.message;
        if (!changeId.isEmpty()) {
            auto latest =
                exec(QStringLiteral(
                         "SELECT r.number, r.content_hash FROM changes c "
                         "JOIN revisions r ON r.change_id = c.id AND r.number = c.latest_revision "
                         "WHERE c.id = ?"),
                     {changeId});
            if (!latest)
                return latest.error();
            if (latest->next()) {
                record.revision = latest->value(0).toInt();
                record.contentHash = latest->value(1).toByteArray();
            }
        }
        return appendAudit(actor, record);
    });
}

} // namespace hp
