#include "storage/pgstore.h"

#include "storage/historyrow.h"

#include <QHash>

// The History rows (DESIGN §9) in team mode: five set queries (decided
// changes, their revisions, decisions, events and latest assessments), each
// read to the end before the next runs (QPSQL reads forward-only results row
// by row, so two cannot be open at once), merged by change id. The verdict
// is the one the functions keep in the change row under its lock; decision
// `counts` are as hp_decide judged them.
namespace hp {

namespace {

RoleSet rolesFrom(const QString &text)
{
    RoleSet roles;
    for (QStringView name : QStringView(text).split(u',', Qt::SkipEmptyParts)) {
        if (const auto r = parseRole(name))
            roles.add(*r);
    }
    return roles;
}

// A decision is never before its change was created, so changes created
// after `to` cannot have been decided in the range.
QString decidedFilter(const HistoryQuery &query, QVariantList &values)
{
    QString where = QStringLiteral(" WHERE c.status <> 'pending'");
    if (query.to.isValid()) {
        where += QStringLiteral(" AND c.created_at <= ?");
        values << query.to.toUTC().toString(Qt::ISODateWithMs);
    }
    return where;
}

void readDecision(const QSqlQuery &q, ChangeDetail &d)
{
    DecisionRecord r;
    r.id = q.value(1).toLongLong();
    r.revision = q.value(2).toInt();
    r.principal = q.value(3).toString();
    r.roles = rolesFrom(q.value(4).toString());
    r.action = parseDecisionAction(q.value(5).toString()).value_or(DecisionAction::Comment);
    r.at = parseStoreTime(q.value(6).toString());
    r.counts = q.value(7).toBool();
    d.decisions.push_back(std::move(r));
}

void readRevision(const QSqlQuery &q, ChangeDetail &d)
{
    RevisionInfo r;
    r.number = q.value(1).toInt();
    r.submitter = q.value(2).toString();
    r.createdAt = parseStoreTime(q.value(3).toString());
    d.revisions.push_back(std::move(r));
}

void readEvent(const QSqlQuery &q, ChangeDetail &d)
{
    ChangeEvent e;
    e.kind = parseChangeEventKind(q.value(1).toString()).value_or(ChangeEventKind::Withdrawn);
    e.revision = q.value(2).toInt();
    e.principal = q.value(3).toString();
    e.at = parseStoreTime(q.value(4).toString());
    d.events.push_back(std::move(e));
}

ChangeDetail decidedChange(const QSqlQuery &q)
{
    ChangeDetail d;
    d.summary.id = q.value(0).toString();
    d.summary.title = q.value(1).toString();
    d.summary.agentPrincipal = q.value(2).toString();
    d.summary.agentName = q.value(3).toString();
    d.summary.operatorLogin = q.value(4).toString();
    d.summary.environment = q.value(5).toString();
    d.summary.createdAt = parseStoreTime(q.value(6).toString());
    d.summary.updatedAt = parseStoreTime(q.value(7).toString());
    d.summary.verdict.status =
        parseChangeStatus(q.value(8).toString()).value_or(ChangeStatus::Pending);
    d.summary.verdict.escalated = q.value(9).toBool();
    d.summary.latestRevision = q.value(10).toInt();
    return d;
}

} // namespace

// The decided changes (ascending by id) with their revisions, decisions,
// events and latest assessment.
struct PgStore::Decided
{
    std::vector<ChangeDetail> changes;
    std::vector<HistoryAssessment> assessed;
    QHash<QString, size_t> at; // change id -> index
};

Status PgStore::loadDecidedParts(Decided &decided, const QString &of, const QVariantList &values)
{
    using Reader = void (*)(const QSqlQuery &, ChangeDetail &);
    const std::pair<QString, Reader> parts[] = {
        {QStringLiteral("SELECT x.change_id, x.number, x.submitter, x.created_at FROM revisions x") +
             of + QStringLiteral(" ORDER BY x.change_id, x.number"),
         &readRevision},
        {QStringLiteral("SELECT x.change_id, x.id, x.revision, x.principal, x.roles, x.action, "
                        "x.created_at, x.counts FROM decisions x") +
             of + QStringLiteral(" ORDER BY x.change_id, x.id"),
         &readDecision},
        {QStringLiteral("SELECT x.change_id, x.kind, x.revision, x.principal, x.created_at FROM "
                        "change_events x") +
             of + QStringLiteral(" ORDER BY x.change_id, x.id"),
         &readEvent},
    };
    for (const auto &[sql, read] : parts) {
        auto rows = m_db.exec(sql, values);
        if (!rows)
            return rows.error();
        while (rows->next()) {
            if (auto found = decided.at.constFind(rows->value(0).toString()); found != decided.at.cend())
                read(*rows, decided.changes[*found]);
        }
    }
    auto latest = m_db.exec(QStringLiteral("SELECT DISTINCT ON (x.change_id) x.change_id, x.revision, "
                                           "x.score, x.class FROM assessments x") +
                                of + QStringLiteral(" ORDER BY x.change_id, x.revision DESC, x.sequence DESC"),
                            values);
    if (!latest)
        return latest.error();
    while (latest->next()) {
        if (auto found = decided.at.constFind(latest->value(0).toString()); found != decided.at.cend())
            decided.assessed[*found] = HistoryAssessment{
                latest->value(1).toInt(), latest->value(2).toInt(), parseImpact(latest->value(3).toString())};
    }
    return {};
}

Result<std::vector<HistoryRow>> PgStore::history(const HistoryQuery &query)
{
    QVariantList values;
    const QString where = decidedFilter(query, values);
    Decided decided;
    auto q = m_db.exec(QStringLiteral("SELECT c.id, c.title, c.agent_principal, c.agent_name, "
                                      "c.operator, c.environment, c.created_at, c.updated_at, "
                                      "c.status, c.escalated, c.latest_revision FROM changes c") +
                           where + QStringLiteral(" ORDER BY c.id"),
                       values);
    if (!q)
        return q.error();
    while (q->next()) {
        decided.at.insert(q->value(0).toString(), decided.changes.size());
        decided.changes.push_back(decidedChange(*q));
    }
    decided.assessed.resize(decided.changes.size());
    if (Status s = loadDecidedParts(decided, QStringLiteral(" JOIN changes c ON c.id = x.change_id") + where,
                                    values);
        !s)
        return s.error();
    std::vector<HistoryRow> out;
    for (size_t i = 0; i < decided.changes.size(); ++i) {
        std::optional<HistoryRow> row = historyRowOf(decided.changes[i], decided.assessed[i]);
        if (row && inHistoryRange(query, row->decidedAt))
            out.push_back(std::move(*row));
    }
    return out;
}

} // namespace hp
