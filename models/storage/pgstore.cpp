#include "storage/pgstore.h"

#include "risk/assessmentjson.h"
#include "storage/pgsetup.h"

namespace hp {

PgStore::PgStore(PgLocation location, Clock clock)
    : m_db(std::move(location)), m_clock(std::move(clock))
{
}

PgStore::~PgStore()
{
    QObject::disconnect(m_notifications);
}

Result<std::unique_ptr<Store>> PgStore::open(const QString &location, Clock clock)
{
    auto parsed = parsePgLocation(location);
    if (!parsed)
        return parsed.error();
    std::unique_ptr<PgStore> store(new PgStore(*parsed, std::move(clock)));
    if (Status s = store->m_db.open(); !s)
        return s.error();
    if (Status s = store->m_db.refusePrivileged(); !s)
        return s.error();
    auto who = store->m_db.identity();
    if (!who)
        return who.error();
    store->m_sessionUser = who->sessionUser;
    if (Status s = store->loadInfo(); !s)
        return s.error();
    return std::unique_ptr<Store>(std::move(store));
}

Status PgStore::loadInfo()
{
    auto q = m_db.exec(QStringLiteral(
        "SELECT m.store_id, m.demo, (SELECT max(version) FROM schema_version) FROM meta m "
        "WHERE m.id = 1"));
    if (!q)
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_store"),
                         QStringLiteral("%1 holds no Holdpoint store readable by this login (%2); "
                                        "the owner creates one with `holdpointctl db init`, and "
                                        "an admin adds you with `holdpointctl users add`")
                             .arg(m_db.location().uri, q.error().message));
    if (!q->next())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_meta"),
                         QStringLiteral("%1 has no meta record: `db init` did not finish")
                             .arg(m_db.location().uri));
    m_info.location = m_db.location().uri;
    m_info.backend = QStringLiteral("postgresql");
    m_info.storeId = q->value(0).toString();
    m_info.demo = q->value(1).toBool();
    m_info.schemaVersion = q->value(2).toInt();
    if (m_info.schemaVersion != pgLatestSchemaVersion())
        return makeError(ExitCode::StoreProblem, QStringLiteral("schema_version"),
                         QStringLiteral("%1 has schema %2 but this Holdpoint needs %3: the owner "
                                        "runs `holdpointctl db migrate`, or upgrade Holdpoint")
                             .arg(m_info.location)
                             .arg(m_info.schemaVersion)
                             .arg(pgLatestSchemaVersion()));
    return {};
}

StoreInfo PgStore::info() const
{
    return m_info;
}

// Every write appends to the trail, so the head's seq changes with every
// commit of any connection.
qint64 PgStore::dataVersion()
{
    auto q = m_db.exec(QStringLiteral("SELECT seq FROM audit_head WHERE id = 1"));
    if (!q || !q->next())
        return -1;
    return q->value(0).toLongLong();
}

Status PgStore::call(const QString &sql, const QVariantList &values,
                     const std::function<Status(QSqlQuery &)> &read)
{
    return m_db.inTransaction([&]() -> Status {
        auto q = m_db.exec(sql, values);
        if (!q)
            return q.error();
        return read ? read(*q) : Status{};
    });
}

Status PgStore::auditRefusal(const Actor &actor, const QString &action, const QString &changeId,
                             Status result)
{
    if (!result &&
        (result.error().code == ExitCode::Denied || result.error().code == ExitCode::Mismatch)) {
        // A login outside every holdpoint role cannot write the trail at all;
        // it still gets the refusal it earned, not that second one.
        (void)recordDenied(actor, action, changeId, result.error());
    }
    return result;
}

Status PgStore::recordDenied(const Actor &actor, const QString &action, const QString &changeId,
                             const Error &why)
{
    return call(QStringLiteral("SELECT hp_record_denied(?, ?, ?, ?, ?, ?)"),
                {action, changeId, why.reason, why.message, actor.host, actor.appVersion});
}

Result<qint64> PgStore::auditHeadSeq()
{
    auto q = m_db.exec(QStringLiteral("SELECT seq FROM audit_head WHERE id = 1"));
    if (!q)
        return q.error();
    if (!q->next())
        return makeError(ExitCode::StoreProblem, QStringLiteral("no_audit_head"),
                         QStringLiteral("the audit_head row is missing: run `holdpointctl db migrate` "
                                        "as the database owner"));
    return q->value(0).toLongLong();
}

// Every revision has the assessment its submitter's client computed, then
// one more for each confirmation by a reviewer's client (pgassess.cpp).
Result<std::vector<StoredAssessment>> PgStore::readAssessments(const QString &changeId, int revision)
{
    QString sql = QStringLiteral("SELECT change_id, revision, sequence, topology_hash, policy_hash, "
                                 "computed_at, body FROM assessments WHERE change_id = ?");
    QVariantList values{changeId};
    if (revision > 0) {
        sql += QStringLiteral(" AND revision = ?");
        values << revision;
    }
    auto q = m_db.exec(sql + QStringLiteral(" ORDER BY revision, sequence"), values);
    if (!q)
        return q.error();
    std::vector<StoredAssessment> out;
    while (q->next()) {
        StoredAssessment a;
        a.changeId = q->value(0).toString();
        a.revision = q->value(1).toInt();
        a.sequence = q->value(2).toInt();
        a.topologyHash = q->value(3).toString().toLatin1();
        a.policyHash = q->value(4).toString().toLatin1();
        a.computedAt = QDateTime::fromString(q->value(5).toString(), Qt::ISODateWithMs);
        a.json = q->value(6).toByteArray();
        auto body = assessmentFromBytes(a.json);
        if (!body)
            return makeError(ExitCode::StoreProblem, QStringLiteral("bad_assessment"),
                             QStringLiteral("the stored assessment %1 of change %2 is unreadable: %3")
                                 .arg(a.sequence)
                                 .arg(a.changeId, body.error().message));
        a.assessment = *body;
        out.push_back(std::move(a));
    }
    return out;
}

Result<std::optional<StoredAssessment>> PgStore::assessment(const QString &changeId, int revision)
{
    auto all = readAssessments(changeId, revision);
    if (!all)
        return all.error();
    if (all->empty())
        return std::optional<StoredAssessment>{};
    return std::optional<StoredAssessment>{all->back()};
}

Result<std::vector<StoredAssessment>> PgStore::assessments(const QString &changeId)
{
    return readAssessments(changeId, 0);
}

} // namespace hp
