#include "storage/sqlitestore.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

// Review coverage (DESIGN §5 "seen"): per reviewer and revision, only on the
// latest revision of a pending change, items in the three key forms of
// store.h. Recording is idempotent; each call that adds items appends one
// `review.coverage` entry listing them. An attestation, not proof.
namespace hp {

namespace {

constexpr qsizetype kMaxItemLength = 512;
constexpr qsizetype kMaxItems = 100000;
constexpr int kInsertChunk = 200; // rows per INSERT: 800 bound values, below SQLite's limit

// The artifact index a hunk or resource key names, -1 for a node key;
// nullopt when the item is malformed.
std::optional<int> itemArtifact(const QString &item)
{
    static const QRegularExpression hunk(QStringLiteral("^hunk:(0|[1-9][0-9]{0,8}):(0|[1-9][0-9]{0,8}):"
                                                        "(0|[1-9][0-9]{0,8})$"));
    static const QRegularExpression resource(QStringLiteral("^resource:(0|[1-9][0-9]{0,8}):\\S.*$"),
                                             QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression node(QStringLiteral("^node:\\S.*$"),
                                         QRegularExpression::DotMatchesEverythingOption);
    if (item.size() > kMaxItemLength)
        return std::nullopt;
    for (QChar c : item) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return std::nullopt;
    }
    if (auto m = hunk.match(item); m.hasMatch())
        return m.captured(1).toInt();
    if (auto m = resource.match(item); m.hasMatch())
        return m.captured(1).toInt();
    if (node.match(item).hasMatch())
        return -1;
    return std::nullopt;
}

Status checkItems(const QStringList &items, int artifacts)
{
    if (items.size() > kMaxItems)
        return makeError(ExitCode::Usage, QStringLiteral("too_many_items"),
                         QStringLiteral("%1 coverage items in one call; at most %2")
                             .arg(items.size())
                             .arg(kMaxItems));
    for (qsizetype i = 0; i < items.size(); ++i) {
        const std::optional<int> artifact = itemArtifact(items[i]);
        const QString where = QStringLiteral("items[%1]").arg(i);
        if (!artifact)
            return makeError(ExitCode::Usage, QStringLiteral("bad_coverage_item"),
                             QStringLiteral("coverage item %1 is not hunk:A:F:H, resource:A:ADDRESS or "
                                            "node:ID of at most %2 printable characters")
                                 .arg(i)
                                 .arg(kMaxItemLength),
                             where);
        if (*artifact >= artifacts)
            return makeError(ExitCode::Usage, QStringLiteral("bad_coverage_item"),
                             QStringLiteral("coverage item %1 names artifact %2; the revision has %3")
                                 .arg(i)
                                 .arg(*artifact)
                                 .arg(artifacts),
                             where);
    }
    return {};
}

// Coverage is kept on the latest revision of a pending change only.
Status checkTarget(const ChangeDetail &change, int revision)
{
    const QString &id = change.summary.id;
    const int latest = change.revisions.back().number;
    if (change.summary.verdict.status != ChangeStatus::Pending)
        return makeError(ExitCode::Denied, QStringLiteral("not_pending"),
                         QStringLiteral("change %1 is %2: coverage is recorded on pending changes only")
                             .arg(id, toString(change.summary.verdict.status)));
    if (revision != 0 && revision != latest)
        return makeError(ExitCode::Mismatch, QStringLiteral("outdated_revision"),
                         QStringLiteral("change %1 is at revision %2, not %3: coverage is recorded on the "
                                        "latest revision")
                             .arg(id)
                             .arg(latest)
                             .arg(revision));
    return {};
}

} // namespace

Result<int> SqliteStore::recordCoverage(const Actor &actor, const QString &changeId, int revision,
                                        const QStringList &items)
{
    if (Status s = tickBeforeWrite(actor); !s)
        return s.error();
    return auditRefusal<int>(actor, QStringLiteral("review.coverage"), changeId, inTransaction<int>([&] {
                                 return recordCoverageInTransaction(actor, changeId, revision, items);
                             }));
}

Result<int> SqliteStore::recordCoverageInTransaction(const Actor &actor, const QString &changeId, int revision,
                                                     const QStringList &items)
{
    auto who = loadPrincipal(actor.login);
    if (!who)
        return who.error();
    if (!who->roles.has(Role::Reviewer))
        return makeError(ExitCode::Denied, QStringLiteral("missing_role"),
                         QStringLiteral("only reviewers record review coverage; %1 is not one").arg(actor.login));
    auto detail = loadChange(changeId, true);
    if (!detail)
        return detail.error();
    const RevisionInfo &latest = detail->revisions.back();
    if (Status s = checkTarget(*detail, revision); !s)
        return s.error();
    if (Status s = checkItems(items, static_cast<int>(latest.artifacts.size())); !s)
        return s.error();
    auto known = coverage(actor.login, changeId, latest.number);
    if (!known)
        return known.error();
    QSet<QString> seen(known->cbegin(), known->cend());
    QStringList fresh;
    for (const QString &item : items) {
        if (!seen.contains(item)) {
            seen.insert(item);
            fresh.append(item);
        }
    }
    if (fresh.isEmpty())
        return 0;
    if (Status s = insertCoverage(actor, *detail, fresh); !s)
        return s.error();
    return static_cast<int>(fresh.size());
}

Status SqliteStore::insertCoverage(const Actor &actor, const ChangeDetail &change, const QStringList &items)
{
    const RevisionInfo &latest = change.revisions.back();
    const QString time = auditTime(now());
    for (qsizetype from = 0; from < items.size(); from += kInsertChunk) {
        const qsizetype n = std::min<qsizetype>(kInsertChunk, items.size() - from);
        QStringList rows;
        QVariantList values;
        for (qsizetype i = from; i < from + n; ++i) {
            rows.append(QStringLiteral("(?, ?, ?, ?, ?)"));
            values << change.summary.id << latest.number << actor.login << items[i] << time;
        }
        if (auto q = exec(QStringLiteral("INSERT INTO coverage (change_id, revision, login, item, seen_at) "
                                         "VALUES ") + rows.join(u','),
                          values);
            !q)
            return q.error();
    }
    AuditRecord record;
    record.action = QStringLiteral("review.coverage");
    record.changeId = change.summary.id;
    record.revision = latest.number;
    record.contentHash = latest.contentHash;
    record.payload = QJsonObject{{QStringLiteral("count"), items.size()},
                                 {QStringLiteral("items"), QJsonArray::fromStringList(items)}};
    return appendAudit(actor, record);
}

Result<QStringList> SqliteStore::coverage(const QString &login, const QString &changeId, int revision)
{
    auto q = exec(QStringLiteral("SELECT item FROM coverage WHERE change_id = ? AND revision = ? AND login = ? "
                                 "ORDER BY item"),
                  {changeId, revision, login});
    if (!q)
        return q.error();
    QStringList out;
    while (q->next())
        out.append(q->value(0).toString());
    return out;
}

} // namespace hp
