#include "storage/pgstore.h"

#include <QJsonDocument>

// What a reviewer, an executor and an auditor record besides decisions:
// review coverage, views, the executor's report, audit exports and evidence
// reports, through the SECURITY DEFINER functions of 0005_review.sql. The
// functions check the role of session_user and every rule themselves; a
// refusal is audited here as SqliteStore audits it (same action and reason).
namespace hp {

Result<int> PgStore::recordCoverage(const Actor &actor, const QString &changeId, int revision,
                                    const QStringList &items)
{
    int added = 0;
    const Status done = call(QStringLiteral("SELECT hp_record_coverage(?, ?, ?::text[], ?, ?)"),
                             {changeId, revision, pgTextArray(items), actor.host, actor.appVersion},
                             [&](QSqlQuery &q) -> Status {
                                 added = q.next() ? q.value(0).toInt() : 0;
                                 return {};
                             });
    if (Status s = auditRefusal(actor, QStringLiteral("review.coverage"), changeId, done); !s)
        return s.error();
    return added;
}

Result<QStringList> PgStore::coverage(const QString &login, const QString &changeId, int revision)
{
    auto q = m_db.exec(QStringLiteral("SELECT item FROM coverage WHERE change_id = ? AND revision = ? "
                                      "AND login = ? ORDER BY item COLLATE \"C\""),
                       {changeId, revision, login});
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out.append(q->value(0).toString());
    return out;
}

// Once per login and revision (the server keeps who viewed what), so two
// consoles and every refresh add nothing after the first.
Status PgStore::recordView(const Actor &actor, const QString &changeId, int revision)
{
    return call(QStringLiteral("SELECT hp_record_view(?, ?, ?, ?)"),
                {changeId, revision, actor.host, actor.appVersion});
}

Status PgStore::recordAuditExport(const Actor &actor, const QJsonObject &what)
{
    const QString payload =
        QString::fromUtf8(QJsonDocument(what).toJson(QJsonDocument::Compact));
    const Status done = call(QStringLiteral("SELECT hp_record_audit_export(?::jsonb, ?, ?)"),
                             {payload, actor.host, actor.appVersion});
    return auditRefusal(actor, QStringLiteral("audit.export"), {}, done);
}

Status PgStore::recordEvidenceReport(const Actor &actor, const QString &changeId,
                                     const QByteArray &reportSha256)
{
    const Status done = call(QStringLiteral("SELECT hp_record_evidence_report(?, ?, ?, ?)"),
                             {changeId, reportSha256, actor.host, actor.appVersion});
    return auditRefusal(actor, QStringLiteral("audit.report"), changeId, done);
}

// Reporting on a rejected, expired or withdrawn change is refused with exit
// 3 or 4, and audited like every refusal (DESIGN §7), as in local mode.
Result<Verdict> PgStore::reportOutcome(const Actor &actor, const QString &changeId, bool applied,
                                       const QString &reason)
{
    const QString action = QStringLiteral("change.report");
    Verdict after;
    const Status done = call(QStringLiteral("SELECT hp_report(?, ?, ?, ?, ?)"),
                             {changeId, applied, reason, actor.host, actor.appVersion},
                             [&](QSqlQuery &) -> Status {
                                 auto verdict = loadVerdict(changeId);
                                 if (!verdict)
                                     return verdict.error();
                                 after = *verdict;
                                 return {};
                             });
    if (!done && (done.error().code == ExitCode::Rejected ||
                  done.error().code == ExitCode::ExpiredOrWithdrawn)) {
        if (Status recorded = recordDenied(actor, action, changeId, done.error()); !recorded)
            return recorded.error();
        return done.error();
    }
    if (Status s = auditRefusal(actor, action, changeId, done); !s)
        return s.error();
    return after;
}

} // namespace hp
