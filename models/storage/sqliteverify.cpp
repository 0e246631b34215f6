#include "storage/sqlitestore.h"

#include "audit/auditverifier.h"
#include "intake/contenthash.h"

#include <QJsonDocument>

// `audit verify` (DESIGN §7): the chain, then cross-checks of what the trail
// recorded against the tables: every decision row, every artifact and
// revision content hash, every change's status.
namespace hp {

namespace {

struct RecordedDecision
{
    qint64 seq = 0;
    QString change;
    int revision = 0;
    QString principal;
    QString action;
    QString reason;
};

struct RecordedRevision
{
    qint64 seq = 0;
    QByteArray contentHash;
};

constexpr qint64 kPage = 4096;

Error cancelled()
{
    return makeError(ExitCode::StoreProblem, QStringLiteral("cancelled"),
                     QStringLiteral("verification cancelled"));
}

} // namespace

struct SqliteVerifyState
{
    std::function<bool(qint64, qint64)> callback;
    qint64 done = 0;
    qint64 total = 0;
    QHash<qint64, RecordedDecision> decisions;             // by decision id
    QHash<QString, RecordedRevision> revisions;            // by "change/revision"
    QHash<QString, std::pair<qint64, QString>> lastStatus; // change → (seq, status_after)

    // False when the caller cancelled.
    bool step()
    {
        ++done;
        return !callback || (done % 256 != 0 && done != total) || callback(done, total);
    }

    // Indexes what an intact-looking entry says about a change.
    void note(const AuditEntry &row)
    {
        if (row.entry.contains("\"change\":\"\""))
            return;
        const QJsonObject o = QJsonDocument::fromJson(row.entry).object();
        if (o.value(u"outcome").toString() != u"ok")
            return;
        const QString action = o.value(u"action").toString();
        const QString change = o.value(u"change").toString();
        const int revision = o.value(u"revision").toInt();
        if (action.startsWith(u"decision.")) {
            const qint64 id = o.value(u"payload").toObject().value(u"decision_id").toInteger();
            decisions.insert(id, RecordedDecision{row.seq, change, revision,
                                                  o.value(u"principal").toString(), action.mid(9),
                                                  o.value(u"reason").toString()});
        } else if (action == u"change.submit" || action == u"change.revise") {
            revisions.insert(
                change + u'/' + QString::number(revision),
                RecordedRevision{
                    row.seq, QByteArray::fromHex(o.value(u"content_hash").toString().toLatin1())});
        }
        const QString after = o.value(u"status_after").toString();
        if (!after.isEmpty())
            lastStatus.insert(change, {row.seq, after});
    }
};

Result<VerifyReport>
SqliteStore::verifyAudit(const std::function<bool(qint64 done, qint64 total)> &progress)
{
    // A read snapshot (WAL): writers go on, we see one consistent state.
    if (auto q = exec(QStringLiteral("BEGIN")); !q)
        return q.error();
    m_inTransaction = true;
    SqliteVerifyState state;
    state.callback = progress;
    Result<VerifyReport> report = verifySnapshot(state);
    rollback();
    return report;
}

Result<VerifyReport> SqliteStore::verifySnapshot(SqliteVerifyState &state)
{
    auto counts = exec(QStringLiteral(
        "SELECT (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM revisions)"));
    if (!counts)
        return counts.error();
    state.total = counts->next() ? counts->value(0).toLongLong() : 0;

    AuditVerifier verifier;
    qint64 after = std::numeric_limits<qint64>::min();
    for (bool more = true; more;) {
        auto page =
            exec(QStringLiteral("SELECT seq, prev_hash, hash, entry FROM audit_log WHERE seq > ? "
                                "ORDER BY seq LIMIT ?"),
                 {after, kPage});
        if (!page)
            return page.error();
        qint64 rows = 0;
        while (page->next()) {
            const AuditEntry row{page->value(0).toLongLong(), page->value(1).toByteArray(),
                                 page->value(2).toByteArray(), page->value(3).toByteArray()};
            verifier.add(row);
            state.note(row);
            after = row.seq;
            ++rows;
            if (!state.step())
                return cancelled();
        }
        more = rows == kPage;
    }
    VerifyReport report = verifier.finish();
    for (auto check : {&SqliteStore::crossCheckDecisions, &SqliteStore::crossCheckRevisions,
                       &SqliteStore::crossCheckStatuses}) {
        if (Status s = (this->*check)(state, report); !s)
            return s.error();
    }
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const AuditProblem &a, const AuditProblem &b) { return a.seq < b.seq; });
    if (state.callback)
        state.callback(state.total, state.total);
    return report;
}

Status SqliteStore::crossCheckDecisions(SqliteVerifyState &state, VerifyReport &report)
{
    auto q = exec(QStringLiteral(
        "SELECT id, change_id, revision, principal, action, reason FROM decisions ORDER BY id"));
    if (!q)
        return q.error();
    auto mismatch = [&report](qint64 seq, QString detail) {
        report.problems.push_back(
            AuditProblem{seq, AuditProblemClass::Mismatch, std::move(detail)});
    };
    while (q->next()) {
        const qint64 id = q->value(0).toLongLong();
        const RecordedDecision row{0,
                                   q->value(1).toString(),
                                   q->value(2).toInt(),
                                   q->value(3).toString(),
                                   q->value(4).toString(),
                                   q->value(5).toString()};
        const auto it = state.decisions.constFind(id);
        if (it == state.decisions.constEnd()) {
            mismatch(0, QStringLiteral("decision %1 (%2 on change %3) has no audit entry")
                            .arg(id)
                            .arg(row.action, row.change));
            continue;
        }
        if (it->change != row.change || it->revision != row.revision ||
            it->principal != row.principal || it->action != row.action || it->reason != row.reason)
            mismatch(
                it->seq,
                QStringLiteral("decision %1 reads %2 by %3 on change %4 revision %5, but entry %6 "
                               "recorded %7 by %8 on change %9 revision %10")
                    .arg(QString::number(id), row.action, row.principal, row.change,
                         QString::number(row.revision), QString::number(it->seq), it->action,
                         it->principal, it->change)
                    .arg(it->revision));
        state.decisions.erase(it);
    }
    for (auto it = state.decisions.cbegin(); it != state.decisions.cend(); ++it)
        mismatch(it->seq,
                 QStringLiteral("entry %1 recorded decision %2, which is missing from the store")
                     .arg(it->seq)
                     .arg(it.key()));
    return {};
}

Status SqliteStore::crossCheckRevisions(SqliteVerifyState &state, VerifyReport &report)
{
    auto q = exec(QStringLiteral(
        "SELECT change_id, number, kind, environment, target, content_hash FROM revisions "
        "ORDER BY change_id, number"));
    if (!q)
        return q.error();
    while (q->next()) {
        const QString change = q->value(0).toString();
        const int number = q->value(1).toInt();
        const RevisionMeta meta{parseChangeKind(q->value(2).toString()).value_or(ChangeKind::Infra),
                                q->value(3).toString(), q->value(4).toString()};
        const QByteArray stored = q->value(5).toByteArray();
        const QString key = change + u'/' + QString::number(number);
        const RecordedRevision recorded = state.revisions.take(key);
        auto mismatch = [&](QString detail) {
            report.problems.push_back(
                AuditProblem{recorded.seq, AuditProblemClass::Mismatch, std::move(detail)});
        };
        if (recorded.seq == 0)
            mismatch(
                QStringLiteral("change %1 revision %2 has no audit entry").arg(change).arg(number));
        else if (recorded.contentHash != stored)
            mismatch(QStringLiteral("change %1 revision %2: its content hash differs from the one "
                                    "entry %3 recorded")
                         .arg(change)
                         .arg(number)
                         .arg(recorded.seq));
        const QStringList problems = recheckRevision(change, number, meta, stored);
        for (const QString &problem : problems)
            mismatch(problem);
        if (!state.step())
            return cancelled();
    }
    for (auto it = state.revisions.cbegin(); it != state.revisions.cend(); ++it)
        report.problems.push_back(
            AuditProblem{it->seq, AuditProblemClass::Mismatch,
                         QStringLiteral("entry %1 recorded revision %2, which is missing from "
                                        "the store")
                             .arg(it->seq)
                             .arg(it.key())});
    return {};
}

QStringList SqliteStore::recheckRevision(const QString &change, int number,
                                         const RevisionMeta &meta, const QByteArray &storedHash)
{
    QStringList problems;
    std::vector<Artifact> artifacts;
    std::vector<QByteArray> storedHashes;
    for (int index = 0;; ++index) {
        auto a = artifact(change, number, index);
        if (!a) {
            if (a.error().code != ExitCode::NotFound)
                problems << a.error().message;
            break;
        }
        storedHashes.push_back(a->sha256);
        artifacts.push_back(std::move(*a));
    }
    hashArtifacts(artifacts);
    for (size_t i = 0; i < artifacts.size(); ++i) {
        if (artifacts[i].sha256 != storedHashes[i])
            problems << QStringLiteral(
                            "change %1 revision %2 artifact %3 (%4) no longer matches its SHA-256")
                            .arg(change)
                            .arg(number)
                            .arg(i)
                            .arg(artifacts[i].name);
    }
    if (contentHash(meta, artifacts) != storedHash)
        problems << QStringLiteral("change %1 revision %2 no longer matches its content hash")
                        .arg(change)
                        .arg(number);
    return problems;
}

Status SqliteStore::crossCheckStatuses(SqliteVerifyState &state, VerifyReport &report)
{
    // As written: a timer due but not yet written is no mismatch.
    ListFilter asWritten;
    asWritten.asWritten = true;
    auto changes = listChanges(asWritten);
    if (!changes)
        return changes.error();
    QHash<QString, QString> cached;
    auto q = exec(QStringLiteral("SELECT id, status FROM changes"));
    if (!q)
        return q.error();
    while (q->next())
        cached.insert(q->value(0).toString(), q->value(1).toString());
    for (const ChangeSummary &c : *changes) {
        const QString status = toString(c.verdict.status);
        const auto recorded = state.lastStatus.value(c.id, {0, QString()});
        if (recorded.first != 0 && recorded.second != status)
            report.problems.push_back(
                AuditProblem{recorded.first, AuditProblemClass::Mismatch,
                             QStringLiteral("change %1 is %2 by its decisions, but the trail "
                                            "last recorded it %3 (entry %4)")
                                 .arg(c.id, status, recorded.second)
                                 .arg(recorded.first)});
        if (cached.value(c.id) != status)
            report.problems.push_back(
                AuditProblem{recorded.first, AuditProblemClass::Mismatch,
                             QStringLiteral("change %1 is stored as %2 but is %3 by its "
                                            "decisions")
                                 .arg(c.id, cached.value(c.id), status)});
    }
    return {};
}

} // namespace hp
