// Benchmarks of the audit trail (DESIGN §10, issue 7 item 7), medians of 5,
// ratios against anchors run on the same data in the same process:
//   verify    Store::verifyAudit over 1,000,000 entries (every link, the
//             sequence, the cross-checks) against `openssl dgst -sha256` over
//             the same canonical entry bytes; throughput ratio, target >= 0.5x.
//   decision  a durable decision (Store::decide: one WAL + synchronous=FULL
//             transaction with its audit entry) against a bare SQLite WAL +
//             synchronous=FULL single-row insert transaction; target <= 1.5x.
// The trail is made of review.coverage entries as the console writes them
// (canonical, chained, with realistic payloads), inserted directly: building
// a million through the API would take the whole run.
// Usage: bench_audit [--scale S]; S = 0.01 under `smoke` (no targets enforced).
#include "audit/auditrecord.h"
#include "domain/sha256.h"
#include "storage/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace hp;

namespace {

Actor actor(const char *login)
{
    return Actor{QString::fromLatin1(login), QStringLiteral("benchhost"), QStringLiteral("bench")};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double timed(int runs, const std::function<void()> &body)
{
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer clock;
        clock.start();
        body();
        t.push_back(static_cast<double>(clock.nsecsElapsed()) / 1e9);
    }
    return median(t);
}

bool fail(const char *what, const QString &why)
{
    std::fprintf(stderr, "bench_audit: %s: %s\n", what, qPrintable(why));
    return false;
}

// Appends `count` chained coverage entries after the store's head and writes
// their canonical bytes, concatenated, to `bytesPath` (openssl's input).
bool appendTrail(const QString &db, const QString &bytesPath, qint64 count)
{
    QFile bytes(bytesPath);
    if (!bytes.open(QIODevice::WriteOnly))
        return fail("open", bytesPath);
    const QString name = QStringLiteral("fill");
    bool ok = true;
    {
        QSqlDatabase conn = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        conn.setDatabaseName(db);
        if (!conn.open())
            return fail("open", conn.lastError().text());
        QSqlQuery head(conn);
        head.exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
        qint64 seq = head.next() ? head.value(0).toLongLong() : 0;
        QByteArray prev = seq > 0 ? head.value(1).toByteArray() : genesisHash();
        conn.transaction();
        QSqlQuery insert(conn);
        insert.prepare(QStringLiteral("INSERT INTO audit_log (seq, prev_hash, hash, entry) VALUES (?, ?, ?, ?)"));
        Sha256 hasher;
        AuditRecord r;
        r.principal = QStringLiteral("rita");
        r.roles = RoleSet::of({Role::Reviewer});
        r.host = QStringLiteral("ws-17.example.net");
        r.appVersion = QStringLiteral("0.1.0");
        r.action = QStringLiteral("review.coverage");
        r.contentHash = Sha256::digest("content");
        const QDateTime start(QDate(2026, 1, 1), QTime(8, 0), Qt::UTC);
        for (qint64 i = 0; i < count && ok; ++i) {
            ++seq;
            r.time = start.addMSecs(i * 250);
            r.changeId = QStringLiteral("01HWSP4D18BYNRNXKCQ1X%1").arg(i % 100000, 5, 10, QLatin1Char('0'));
            r.revision = 1 + static_cast<int>(i % 3);
            r.payload = QJsonObject{
                {QStringLiteral("items"),
                 QJsonArray{QStringLiteral("hunk:0:%1:%2").arg(i % 7).arg(i % 11),
                            QStringLiteral("resource:1:aws_db_instance.billing_%1").arg(i % 13)}},
                {QStringLiteral("new"), 2}};
            const QByteArray entry = canonicalEntry(r, seq);
            const QByteArray hash = chainHash(hasher, prev, entry);
            insert.addBindValue(seq);
            insert.addBindValue(prev);
            insert.addBindValue(hash);
            insert.addBindValue(entry);
            ok = insert.exec() && bytes.write(entry) == entry.size();
            prev = hash;
        }
        ok = ok && conn.commit();
        if (!ok)
            fail("fill", insert.lastError().text());
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

double opensslSeconds(const QString &bytesPath, int runs)
{
    return timed(runs, [&] {
        QProcess p;
        p.setStandardOutputFile(QProcess::nullDevice());
        p.start(QStringLiteral("openssl"), {QStringLiteral("dgst"), QStringLiteral("-sha256"), bytesPath});
        p.waitForFinished(-1);
    });
}

// One single-row insert transaction, committed, per call (the anchor).
double bareInsertSeconds(const QString &path, int decisions, int runs)
{
    const QString name = QStringLiteral("bare");
    double seconds = 0;
    {
        QSqlDatabase conn = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        conn.setDatabaseName(path);
        conn.open();
        QSqlQuery q(conn);
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        q.exec(QStringLiteral("PRAGMA synchronous=FULL"));
        q.exec(QStringLiteral("CREATE TABLE d (id INTEGER PRIMARY KEY, change_id TEXT, principal TEXT, "
                              "action TEXT, reason TEXT, created_at TEXT)"));
        QSqlQuery insert(conn);
        insert.prepare(QStringLiteral("INSERT INTO d (change_id, principal, action, reason, created_at) "
                                      "VALUES (?, ?, ?, ?, ?)"));
        seconds = timed(runs, [&] {
            for (int i = 0; i < decisions; ++i) {
                conn.transaction();
                insert.addBindValue(QStringLiteral("01HWSP4D18BYNRNXKCQ1XX8KCG"));
                insert.addBindValue(QStringLiteral("rita"));
                insert.addBindValue(QStringLiteral("comment"));
                insert.addBindValue(QStringLiteral("looked at the plan"));
                insert.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
                insert.exec();
                conn.commit();
            }
        });
    }
    QSqlDatabase::removeDatabase(name);
    return seconds;
}

bool report(const char *what, double ratio, double target, bool atLeast, bool enforce)
{
    const bool met = atLeast ? ratio >= target : ratio <= target;
    std::printf("%-9s ratio %.3fx (target %s %.2fx) %s\n", what, ratio, atLeast ? ">=" : "<=", target,
                met ? "met" : (enforce ? "MISSED" : "(not enforced)"));
    return met || !enforce;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double scale = 1.0;
    const QStringList args = app.arguments();
    if (const qsizetype at = args.indexOf(QStringLiteral("--scale")); at > 0 && at + 1 < args.size())
        scale = args.at(at + 1).toDouble();
    const bool enforce = scale >= 1.0;
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty()) {
        std::fprintf(stderr, "bench_audit: openssl is not installed\n");
        return 77;
    }
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("bench.db"));
    CreateOptions options;
    options.adminLogin = QStringLiteral("adam");
    auto created = createStore(db, options, actor("root"));
    if (!created)
        return fail("create", created.error().message) ? 0 : 1;
    std::unique_ptr<Store> store = std::move(*created);
    if (!store->addUser(actor("adam"), QStringLiteral("rita"), RoleSet::of({Role::Reviewer})))
        return 1;
    const qint64 entries = std::max<qint64>(1000, static_cast<qint64>(1000000 * scale));
    const QString bytesPath = dir.filePath(QStringLiteral("entries.bin"));
    if (!appendTrail(db, bytesPath, entries))
        return 1;

    bool clean = true;
    const double ours = timed(5, [&] {
        auto verified = store->verifyAudit();
        clean = clean && verified && verified->clean() && verified->entries >= entries;
    });
    if (!clean)
        return fail("verify", QStringLiteral("the generated trail did not verify clean")) ? 0 : 1;
    const double anchor = opensslSeconds(bytesPath, 5);
    std::printf("verify    %lld entries (%.1f MB): ours %.3f s, openssl dgst %.3f s\n",
                static_cast<long long>(entries), static_cast<double>(QFile(bytesPath).size()) / 1e6, ours,
                anchor);
    bool ok = report("verify", anchor / ours, 0.5, true, enforce);

    // Durable decisions: comments by a reviewer on one change, each its own transaction.
    SubmitRequest request;
    request.proposal.title = QStringLiteral("Bench change");
    request.proposal.environment = QStringLiteral("prod");
    Artifact patch;
    patch.kind = ArtifactKind::UnifiedDiff;
    patch.name = QStringLiteral("fix.patch");
    patch.parts = {QByteArrayLiteral("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n")};
    request.proposal.artifacts.push_back(patch);
    auto submitted = store->submit(actor("root"), request);
    if (!submitted)
        return fail("submit", submitted.error().message) ? 0 : 1;
    const int decisions = std::max(20, static_cast<int>(200 * std::min(1.0, scale * 10)));
    bool decided = true;
    const double decide = timed(5, [&] {
        for (int i = 0; i < decisions; ++i)
            decided = decided && store->decide(actor("rita"), DecideRequest{submitted->changeId,
                                                                            DecisionAction::Comment,
                                                                            QStringLiteral("looked at the plan"), 0});
    });
    if (!decided)
        return fail("decide", QStringLiteral("a decision failed")) ? 0 : 1;
    const double bare = bareInsertSeconds(dir.filePath(QStringLiteral("bare.db")), decisions, 5);
    std::printf("decision  %d per run: ours %.2f ms, bare insert %.2f ms each\n", decisions,
                ours > 0 ? decide * 1000 / decisions : 0.0, bare * 1000 / decisions);
    ok = report("decision", decide / bare, 1.5, false, enforce) && ok;
    return ok ? 0 : 1;
}
