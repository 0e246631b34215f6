#include "storage/sqlitestore.h"

// The audit entries the Audit workspace and exports write: a change revision
// opened in the console (`review.view`) and an export (`audit.export`).
namespace hp {

Status SqliteStore::recordView(const Actor &actor, const QString &changeId, int revision)
{
    return inTransaction<void>([&]() -> Status {
        auto q = revision > 0
                     ? exec(QStringLiteral("SELECT number, content_hash FROM revisions "
                                           "WHERE change_id = ? AND number = ?"),
                            {changeId, revision})
                     : exec(QStringLiteral("SELECT r.number, r.content_hash FROM changes c JOIN revisions r "
                                           "ON r.change_id = c.id AND r.number = c.latest_revision "
                                           "WHERE c.id = ?"),
                            {changeId});
        if (!q)
            return q.error();
        if (!q->next())
            return makeError(ExitCode::NotFound, QStringLiteral("unknown_revision"),
                             revision > 0 ? QStringLiteral("change %1 has no revision %2").arg(changeId).arg(revision)
                                          : QStringLiteral("no change %1").arg(changeId));
        AuditRecord entry;
        entry.action = QStringLiteral("review.view");
        entry.changeId = changeId;
        entry.revision = q->value(0).toInt();
        entry.contentHash = q->value(1).toByteArray();
        return appendAudit(actor, entry);
    });
}

Status SqliteStore::recordAuditExport(const Actor &actor, const QJsonObject &what)
{
    const QString action = QStringLiteral("audit.export");
    return auditRefusal<void>(actor, action, {}, inTransaction<void>([&]() -> Status {
        auto who = loadPrincipal(actor.login);
        if (!who)
            return who.error();
        if (!who->roles.has(Role::Auditor) && !who->roles.holds(Role::Lead))
            return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                             QStringLiteral("only auditors and leads can export the audit trail"));
        AuditRecord entry;
        entry.action = action;
        entry.payload = what;
        return appendAudit(actor, entry);
    }));
}

Result<qint64> SqliteStore::auditHeadSeq()
{
    auto q = exec(QStringLiteral("SELECT coalesce(max(seq), 0) FROM audit_log"));
    if (!q)
        return q.error();
    return q->next() ? q->value(0).toLongLong() : qint64(0);
}

} // namespace hp
