// Benchmark (issue 9, DESIGN §10): durable decision latency in team mode
// against pgbench's single-row INSERT on the same throwaway PostgreSQL 15 in
// the same run (fsync and synchronous_commit on, as shipped). One decision
// is PgStore::decide: BEGIN, hp_decide (lock the change and the audit head,
// insert, recompute, append the hashed entry), read the verdict, COMMIT.
// Target: mean decision latency <= 1.2x pgbench's mean INSERT latency.
//
//   bench_pgdecide [--scale S]
//
// Full size: 2,000 decisions against 2,000 pgbench transactions; a missed
// target fails. --scale 0.01 (smoke) asserts nothing about time, only that
// every decision succeeded and the trail verifies, and prints the ratio.
// Without PostgreSQL it is skipped (77).

#include "../pgharness.h"
#include "storage/pgsetup.h"
#include "storage/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QProcess>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

using namespace hp;
using namespace hp::testing;

namespace {

Actor benchActor(const QString &login)
{
    return Actor{login, QStringLiteral("bench"), QStringLiteral("bench")};
}

bool prepare(PgHarness &pg, int changes)
{
    if (!initTeamStore(pg.uri(QStringLiteral("hp_owner")), QStringLiteral("adm"),
                       benchActor(QStringLiteral("hp_owner"))))
        return false;
    const PsqlRun users = pg.psql(
        QStringLiteral("adm"),
        QStringLiteral("SELECT holdpoint.hp_add_user('rev', ARRAY['reviewer'], '', '');\n"
                       "SELECT holdpoint.hp_add_user('op', ARRAY['lead'], '', '');\n"
                       "SELECT holdpoint.hp_add_agent('bot', 'op', '', '');\n"));
    if (users.exitCode != 0)
        return false;
    QString submits;
    for (int i = 0; i < changes; ++i)
        submits += QStringLiteral("SELECT 1 FROM holdpoint.hp_submit('B%1', '', 'infra', 'b', NULL, NULL, "
                                  "NULL, NULL, NULL, NULL, 'prod', '', NULL, decode('%2', 'hex'), "
                                  "ARRAY['command'], ARRAY['b.sh'], ARRAY[1], "
                                  "ARRAY[convert_to('%1', 'UTF8')], '\\x7b7d'::bytea, 10, 'low', '', 0, "
                                  "'prod', '', '', 1, false, false, '{}', 0, 259200, 86400, true, 1, "
                                  "'{}', '', '');\n")
                       .arg(i)
                       .arg(QString::fromLatin1(commandContentHash(QStringLiteral("prod"), QStringLiteral("b.sh"),
                                                                   QByteArray::number(i))));
    return pg.psql(QStringLiteral("bot"), submits).exitCode == 0;
}

// CPU time of this process (not of the server or of pgbench), in ms.
double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Mean milliseconds per decision over changes [from, from + count); -1 on
// any failure. `clientCpuMs` gets the client's own CPU time per decision
// (QPSQL and PgStore: what a client-side change could save).
double timeDecisions(Store &store, int from, int count, double &clientCpuMs)
{
    const double cpuStart = processCpuMs();
    QElapsedTimer t;
    t.start();
    for (int i = from; i < from + count; ++i) {
        auto decided = store.decide(benchActor(QStringLiteral("rev")),
                                        DecideRequest{QStringLiteral("B%1").arg(i),
                                                      DecisionAction::Approve,
                                                      QStringLiteral("bench"), 0});
        if (!decided || decided->verdict.status != ChangeStatus::Approved)
            return -1;
    }
    const double wall = static_cast<double>(t.nsecsElapsed()) / 1e6 / count;
    clientCpuMs = (processCpuMs() - cpuStart) / count;
    return wall;
}

bool prepareAnchor(PgHarness &pg)
{
    return pg.psql(QStringLiteral("postgres"),
                QStringLiteral("CREATE DATABASE anchor;\n"), true, QStringLiteral("postgres"))
               .exitCode == 0 &&
           pg.psql(QStringLiteral("postgres"),
                   QStringLiteral("CREATE TABLE t (id bigserial PRIMARY KEY, v integer NOT NULL);\n"),
                   true, QStringLiteral("anchor"))
                   .exitCode == 0;
}

// pgbench's "latency average" for single-row INSERTs, one client.
double timePgbench(PgHarness &pg, int transactions)
{
    QProcess p;
    p.start(PgHarness::binDir() + QStringLiteral("/pgbench"),
            {QStringLiteral("-n"), QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-t"),
             QString::number(transactions), QStringLiteral("-f"), QStringLiteral("-"),
             QStringLiteral("-h"), pg.socketDir(), QStringLiteral("-U"), QStringLiteral("postgres"),
             QStringLiteral("anchor")});
    p.write("INSERT INTO t (v) VALUES (1);\n");
    p.closeWriteChannel();
    if (!p.waitForFinished(600000) || p.exitCode() != 0)
        return -1;
    static const QRegularExpression latency(QStringLiteral("latency average = ([0-9.]+) ms"));
    const auto m = latency.match(QString::fromUtf8(p.readAllStandardOutput()));
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    double scale = 1.0;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--scale")
            scale = args[i + 1].toDouble();
    }
    const bool smoke = scale < 1.0;
    const int n = std::max(25, static_cast<int>(2000 * scale));
    PgHarness pg;
    const QString why = pg.start();
    if (!why.isEmpty()) {
        std::fprintf(stderr, "bench_pgdecide: %s\n", qPrintable(why));
        return pg.binariesMissing() ? 77 : 1;
    }
    if (!prepare(pg, n)) {
        std::fprintf(stderr, "bench_pgdecide: preparing the team store failed\n");
        return 1;
    }
    auto store = openStore(pg.uri(QStringLiteral("rev")));
    if (!store || !prepareAnchor(pg)) {
        std::fprintf(stderr, "bench_pgdecide: cannot open the store or the anchor database\n");
        return 1;
    }
    // The reviewer reads each change before deciding, as the console does:
    // that read confirms the agent's assessment with the reviewer's own
    // client (hp_reassess), so the timed decide is the one round trip.
    for (int i = 0; i < n; ++i) {
        if (!(*store)->change(QStringLiteral("B%1").arg(i))) {
            std::fprintf(stderr, "bench_pgdecide: reading change B%d failed\n", i);
            return 1;
        }
    }
    // Alternating rounds, so load from other processes hits both sides alike;
    // the ratio is the median of the rounds' ratios.
    constexpr int kRounds = 5;
    const int per = n / kRounds;
    std::vector<double> ratios;
    double anchorSum = 0;
    double decideSum = 0;
    for (int round = 0; round < kRounds; ++round) {
        const double anchor = timePgbench(pg, per);
        double clientCpu = 0;
        const double decide = timeDecisions(**store, round * per, per, clientCpu);
        if (anchor <= 0 || decide <= 0) {
            std::fprintf(stderr, "bench_pgdecide: a run failed (pgbench %.3f ms, decide %.3f ms)\n",
                         anchor, decide);
            return 1;
        }
        ratios.push_back(decide / anchor);
        std::printf("round %d: decide %.3f ms (client CPU %.3f ms), pgbench INSERT %.3f ms, "
                    "ratio %.2fx\n",
                    round + 1, decide, clientCpu, anchor, decide / anchor);
        anchorSum += anchor;
        decideSum += decide;
    }
    auto report = (*store)->verifyAudit({});
    if (!report || !report->clean()) {
        std::fprintf(stderr, "bench_pgdecide: the audit trail does not verify\n");
        return 1;
    }
    std::sort(ratios.begin(), ratios.end());
    const double ratio = ratios[kRounds / 2];
    std::printf("team-mode decision: %.3f ms mean over %d; pgbench single-row INSERT: %.3f ms; "
                "ratio %.2fx, median of %d rounds (target <= 1.2x)\n",
                decideSum / kRounds, per * kRounds, anchorSum / kRounds, ratio, kRounds);
    if (!smoke && ratio > 1.2) {
        std::printf("target missed\n");
        return 1;
    }
    return 0;
}
