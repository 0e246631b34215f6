#include "storage/sqlitestore.h"

#include "audit/auditverifier.h"
#include "intake/contenthash.h"

#include <QByteArrayMatcher>
#include <QJsonArray>
#include <QJsonDocument>

// `audit verify` (DESIGN §7): the chain, then cross-checks of what the trail
// recorded against the tables: every decision row, every artifact and
// revision content hash, every change's status.
// Tables are read NOT INDEXED: SQLite takes indexed columns from the index
// when it can, so a table row corrupted behind an intact index would
// otherwise read as intact here and differently everywhere else.
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
    QString roles; // comma-joined, as the decision row stores them
    QString policyHash; // hex: the policy the decision was judged under
    QString decidedAt;  // the row's created_at as recorded; empty in older entries
};

struct RecordedRevision
{
    qint64 seq = 0;
    QByteArray contentHash;
    QString submitter;
    QJsonObject payload; // the submission payload: title, agent, artifacts…
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
    QHash<QString, int> latestRevision;                    // change → highest recorded
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
        // Only entries about a change that record a decision, a revision or
        // a status are indexed; views and coverage (most of a real trail)
        // skip the parse. Inside JSON strings quotes are escaped, so these
        // raw patterns only match keys (payload keys never use these names).
        // Canonical keys are sorted, so "action" is always the first key of an
        // intact entry; the matchers are built once (QByteArray::contains
        // rebuilds its skip table on every call, which dominated verify).
        static const QByteArrayMatcher emptyChange(QByteArrayLiteral("\"change\":\"\""));
        static const QByteArrayMatcher noStatusAfter(QByteArrayLiteral("\"status_after\":\"\""));
        if (emptyChange.indexIn(row.entry) >= 0)
            return;
        const bool recordsRow = row.entry.startsWith("{\"action\":\"decision.") ||
                                row.entry.startsWith("{\"action\":\"change.submit\"") ||
                                row.entry.startsWith("{\"action\":\"change.revise\"");
        if (!recordsRow && row.entry.startsWith("{\"action\":\"") &&
            noStatusAfter.indexIn(row.entry) >= 0)
            return;
        const QJsonObject o = QJsonDocument::fromJson(row.entry).object();
        if (o.value(u"outcome").toString() != u"ok")
            return;
        const QString action = o.value(u"action").toString();
        const QString change = o.value(u"change").toString();
        const int revision = o.value(u"revision").toInt();
        if (action.startsWith(u"decision.")) {
            const qint64 id = o.value(u"payload").toObject().value(u"decision_id").toInteger();
            QStringList roles;
            for (const QJsonValue &r : o.value(u"roles").toArray())
                roles << r.toString();
            decisions.insert(id, RecordedDecision{row.seq, change, revision,
                                                  o.value(u"principal").toString(), action.mid(9),
                                                  o.value(u"reason").toString(),
                                                  roles.join(u','),
                                                  o.value(u"policy_hash").toString(),
                                                  o.value(u"payload").toObject().value(u"decided_at").toString()});
        } else if (action == u"change.submit" || action == u"change.revise") {
            latestRevision[change] = std::max(latestRevision.value(change), revision);
            revisions.insert(
                change + u'/' + QString::number(revision),
                RecordedRevision{
                    row.seq, QByteArray::fromHex(o.value(u"content_hash").toString().toLatin1()),
                    o.value(u"principal").toString(), o.value(u"payload").toObject()});
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
        std::vector<AuditEntry> rows;
        rows.reserve(static_cast<size_t>(kPage));
        while (page->next()) {
            rows.push_back(AuditEntry{page->value(0).toLongLong(), page->value(1).toByteArray(),
                                      page->value(2).toByteArray(), page->value(3).toByteArray()});
            state.note(rows.back());
            after = rows.back().seq;
            if (!state.step())
                return cancelled();
        }
        more = static_cast<qint64>(rows.size()) == kPage;
        // Links are checked in the pool while this thread reads the next page.
        verifier.addPage(std::move(rows));
    }
    verifier.flush();
    VerifyReport report = verifier.finish();
    for (auto check : {&SqliteStore::crossCheckDecisions, &SqliteStore::crossCheckRecordedRows,
                       &SqliteStore::crossCheckRevisions, &SqliteStore::crossCheckStatuses}) {
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
        "SELECT id, change_id, revision, principal, action, reason, roles, policy_hash, created_at "
        "FROM decisions NOT INDEXED "
        "ORDER BY id"));
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
                                   q->value(5).toString(),
                                   q->value(6).toString(),
                                   q->value(7).toString(),
                                   q->value(8).toString()};
        const auto it = state.decisions.constFind(id);
        if (it == state.decisions.constEnd()) {
            mismatch(0, QStringLiteral("decision %1 (%2 on change %3) has no audit entry")
                            .arg(id)
                            .arg(row.action, row.change));
            continue;
        }
        if (it->change != row.change || it->revision != row.revision ||
            it->principal != row.principal || it->action != row.action || it->reason != row.reason ||
            it->roles != row.roles || it->policyHash != row.policyHash ||
            (!it->decidedAt.isEmpty() && it->decidedAt != row.decidedAt))
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
        "NOT INDEXED ORDER BY change_id, number"));
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
    auto q = exec(QStringLiteral("SELECT id, status FROM changes NOT INDEXED"));
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

namespace {

QString artifactFields(const QJsonObject &a)
{
    return QStringLiteral("%1 %2 %3 %4")
        .arg(a.value(u"kind").toString(), a.value(u"name").toString(),
             a.value(u"sha256").toString())
        .arg(a.value(u"size").toInteger());
}

} // namespace

Status SqliteStore::crossCheckRecordedRows(SqliteVerifyState &state, VerifyReport &report)
{
    auto mismatch = [&report](qint64 seq, QString detail) {
        report.problems.push_back(AuditProblem{seq, AuditProblemClass::Mismatch, std::move(detail)});
    };
    auto revisions = exec(QStringLiteral(
        "SELECT change_id, number, submitter, title, coalesce(idempotency_key, ''), created_at "
        "FROM revisions NOT INDEXED"));
    if (!revisions)
        return revisions.error();
    while (revisions->next()) {
        const QString key = revisions->value(0).toString() + u'/' + revisions->value(1).toString();
        const auto it = state.revisions.constFind(key);
        if (it == state.revisions.constEnd())
            continue; // crossCheckRevisions reports it
        if (revisions->value(2).toString() != it->submitter ||
            revisions->value(3).toString() != it->payload.value(u"title").toString() ||
            revisions->value(4).toString() != it->payload.value(u"idempotency_key").toString() ||
            (it->payload.contains(u"created_at") &&
             revisions->value(5).toString() != it->payload.value(u"created_at").toString()))
            mismatch(it->seq, QStringLiteral("revision %1 differs from what entry %2 recorded "
                                             "(submitter, title, idempotency key or time)")
                                  .arg(key)
                                  .arg(it->seq));
    }
    auto artifacts = exec(QStringLiteral(
        "SELECT change_id, revision, idx, kind, name, lower(hex(sha256)), size FROM artifacts "
        "NOT INDEXED"));
    if (!artifacts)
        return artifacts.error();
    while (artifacts->next()) {
        const QString key = artifacts->value(0).toString() + u'/' + artifacts->value(1).toString();
        const auto it = state.revisions.constFind(key);
        if (it == state.revisions.constEnd()) {
            mismatch(0, QStringLiteral("artifact %1 of revision %2 has no audit entry")
                            .arg(artifacts->value(2).toInt())
                            .arg(key));
            continue;
        }
        const int index = artifacts->value(2).toInt();
        const QString stored = QStringLiteral("%1 %2 %3 %4")
                                   .arg(artifacts->value(3).toString(), artifacts->value(4).toString(),
                                        artifacts->value(5).toString())
                                   .arg(artifacts->value(6).toLongLong());
        const QJsonArray recorded = it->payload.value(u"artifacts").toArray();
        if (index >= recorded.size() || artifactFields(recorded.at(index).toObject()) != stored)
            mismatch(it->seq, QStringLiteral("artifact %1 of revision %2 differs from what entry %3 "
                                             "recorded")
                                  .arg(index)
                                  .arg(key)
                                  .arg(it->seq));
    }
    return crossCheckChangeRows(state, report);
}

namespace {

// The optional proposal fields (columns 10–13) and the creation time (14) of
// a change row against its submissions: a revision that leaves a field out
// keeps the earlier value, so the recorded values are folded in order.
// Entries written before these were recorded carry none of them and vouch
// for nothing here.
bool optionalFieldsMatch(const SqliteVerifyState &state, const QString &id, int latest, const QSqlQuery &q)
{
    static const char16_t *const keys[] = {u"intent", u"agent_version", u"run_id", u"declared_impact"};
    QString values[4];
    bool recorded[4] = {false, false, false, false};
    bool anyTimed = false;
    QString createdAt;
    for (int number = 1; number <= latest; ++number) {
        const auto it = state.revisions.constFind(id + u'/' + QString::number(number));
        if (it == state.revisions.constEnd())
            continue;
        if (it->payload.contains(u"created_at")) {
            anyTimed = true;
            if (number == 1)
                createdAt = it->payload.value(u"created_at").toString();
        }
        for (int k = 0; k < 4; ++k) {
            if (it->payload.contains(QStringView(keys[k]))) {
                values[k] = it->payload.value(QStringView(keys[k])).toString();
                recorded[k] = true;
            }
        }
    }
    if (!anyTimed)
        return true;
    for (int k = 0; k < 4; ++k) {
        if (q.value(10 + k).toString() != (recorded[k] ? values[k] : QString()))
            return false;
    }
    return createdAt.isEmpty() || q.value(14).toString() == createdAt;
}

} // namespace

// Each change row against its latest recorded submission (title, kind,
// where, who; a revision updates all but the agent's name and the operator).
Status SqliteStore::crossCheckChangeRows(SqliteVerifyState &state, VerifyReport &report)
{
    auto q = exec(QStringLiteral(
        "SELECT id, kind, title, agent_principal, agent_name, operator, environment, target, "
        "unregistered, latest_revision, coalesce(intent, ''), coalesce(agent_version, ''), "
        "coalesce(agent_run_id, ''), coalesce(declared_impact, ''), created_at FROM changes NOT INDEXED"));
    if (!q)
        return q.error();
    while (q->next()) {
        const QString id = q->value(0).toString();
        const int latest = state.latestRevision.value(id);
        const auto it = state.revisions.constFind(id + u'/' + QString::number(latest));
        if (it == state.revisions.constEnd()) {
            report.problems.push_back(
                AuditProblem{0, AuditProblemClass::Mismatch,
                             QStringLiteral("change %1 has no recorded submission").arg(id)});
            continue;
        }
        const QJsonObject &p = it->payload;
        // The agent's name is the first submission's: a revision never changes it.
        const auto first = state.revisions.constFind(id + QStringLiteral("/1"));
        const QJsonObject &named = first == state.revisions.constEnd() ? p : first->payload;
        const bool same = q->value(1).toString() == p.value(u"kind").toString() &&
                          q->value(2).toString() == p.value(u"title").toString() &&
                          q->value(3).toString() == p.value(u"agent").toString() &&
                          q->value(4).toString() == named.value(u"agent_name").toString() &&
                          q->value(5).toString() == p.value(u"operator").toString() &&
                          q->value(6).toString() == p.value(u"environment").toString() &&
                          q->value(7).toString() == p.value(u"target").toString() &&
                          (q->value(8).toInt() != 0) == p.value(u"unregistered").toBool() &&
                          q->value(9).toInt() == latest &&
                          optionalFieldsMatch(state, id, latest, *q);
        if (!same)
            report.problems.push_back(AuditProblem{
                it->seq, AuditProblemClass::Mismatch,
                QStringLiteral("change %1 differs from what entry %2 recorded (title, agent, "
                               "operator, environment, target, intent, agent version, run, "
                               "declared impact, creation time or latest revision)")
                    .arg(id)
                    .arg(it->seq)});
    }
    return {};
}

} // namespace hp
