// Benchmark (DESIGN §10, console at 1M rows) for the History table, medians
// of 5 runs, ratios against anchors run on the same data in the same process:
//  - first paint: QTableView over HistoryModel, configured as the workspace
//    configures it, against a bare QTableView over a trivial model of the same
//    size (≤ 2×);
//  - a filter keystroke (the agent criterion) against QSortFilterProxyModel
//    filtering the agent column of the same model (≤ 0.05×); the proxy exists
//    only here, as the anchor;
//  - a sort (title column) against std::stable_sort of the same index vector
//    with the same comparator (≤ 1.2×).
//
//   bench_history [--scale S] [--runs N]
//   bench_history --store PATH   (times Store::history on an existing store)
//
// --scale 0.01 (the smoke run) asserts no timing: it checks that each side
// selects and orders the same rows and prints the ratios. At full size a
// missed target fails.

#include "tablebench.h"
#include "itemmodels/historymodel.h"
#include "review/historystats.h"
#include "storage/store.h"

#include <QApplication>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <numeric>
#include <vector>

using namespace hp;
using hp::bench::report;
using hp::bench::timed;

namespace {

std::vector<HistoryRow> generate(int n)
{
    const QStringList agents = {QStringLiteral("tf-agent"),   QStringLiteral("k8s-agent"),
                                QStringLiteral("code-agent"), QStringLiteral("ops-bot"),
                                QStringLiteral("db-agent"),   QStringLiteral("net-agent"),
                                QStringLiteral("iam-agent"),  QStringLiteral("cost-agent")};
    const QStringList envs = {QStringLiteral("production"), QStringLiteral("staging"),
                              QStringLiteral("dev")};
    const QStringList reviewers = {QStringLiteral("priya"), QStringLiteral("tomasz"),
                                   QStringLiteral("amira"), QStringLiteral("helena")};
    const QStringList verbs = {QStringLiteral("Scale"), QStringLiteral("Rotate"),
                               QStringLiteral("Replace"), QStringLiteral("Roll"),
                               QStringLiteral("Flush")};
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&x](std::uint64_t mod) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<int>(x % mod);
    };
    const QDateTime start(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC);
    std::vector<HistoryRow> rows(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        HistoryRow &r = rows[size_t(i)];
        r.changeId = QStringLiteral("01J%1").arg(i, 23, 10, QLatin1Char('0'));
        r.agentPrincipal = agents.at(next(8));
        r.agentName = r.agentPrincipal;
        r.title = QStringLiteral("%1 service-%2 (OPS-%3)")
                      .arg(verbs.at(next(5)))
                      .arg(next(5000))
                      .arg(next(100000));
        r.operatorLogin = QStringLiteral("op-") + r.agentPrincipal.left(3);
        r.environment = envs.at(next(3));
        const int cls = next(5);
        if (cls < 4)
            r.riskClass = static_cast<Impact>(cls);
        r.riskScore = cls < 4 ? next(101) : -1;
        r.outcome = static_cast<HistoryOutcome>(next(6));
        r.deciders = QStringList{reviewers.at(next(4))};
        r.createdAt = start.addSecs(qint64(i) * 30);
        r.secondsToDecision = next(200000);
        r.decidedAt = r.createdAt.addSecs(r.secondsToDecision);
        r.outcomeAt = r.decidedAt;
        r.slaMet = next(4) != 0;
    }
    return rows;
}

// Creates the view, sets the model, lays it out and paints it once.
void firstPaint(QAbstractItemModel *model, bool likeWorkspace)
{
    QTableView view;
    if (likeWorkspace) {
        view.setSortingEnabled(true);
        view.sortByColumn(HistoryModel::DecidedColumn, Qt::DescendingOrder);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.setAlternatingRowColors(true);
        view.verticalHeader()->hide();
        view.horizontalHeader()->setStretchLastSection(true);
    }
    bench::paintOnce(view, model, "bench_history");
}

struct Options
{
    double scale = 1.0;
    int runs = 5;
    QString store;
};

Options parse(const QStringList &args)
{
    Options o;
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scale"))
            o.scale = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--runs"))
            o.runs = std::max(1, args[i + 1].toInt());
        else if (args[i] == QLatin1String("--store"))
            o.store = args[i + 1];
    }
    return o;
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen")
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const Options o = parse(QApplication::arguments());
    if (!o.store.isEmpty()) {
        Result<std::unique_ptr<Store>> store = openStore(o.store);
        if (!store) {
            std::fprintf(stderr, "%s\n", qPrintable(store.error().message));
            return 1;
        }
        QElapsedTimer clock;
        clock.start();
        Result<std::vector<HistoryRow>> rows = (*store)->history(HistoryQuery{});
        std::printf("Store::history: %zu rows in %.2f s\n", rows ? rows->size() : size_t(0),
                    double(clock.elapsed()) / 1000.0);
        return rows ? 0 : 1;
    }
    const int n = std::max(100, int(1'000'000 * o.scale));
    const bool full = o.scale >= 1.0;
    std::printf("bench_history: %d rows, %d runs each\n", n, o.runs);
    HistoryModel model;
    model.setRows(generate(n));
    bool ok = true;

    // First paint.
    bench::TrivialModel trivial(n, HistoryModel::ColumnCount);
    const double paintOurs = timed(o.runs, [] {}, [&] { firstPaint(&model, true); });
    const double paintAnchor = timed(o.runs, [] {}, [&] { firstPaint(&trivial, false); });
    ok &= report("first paint", paintOurs, paintAnchor, 2.0, full);

    // Filter keystroke: the agent criterion vs the proxy on the agent column.
    const QString agent = QStringLiteral("k8s-agent");
    HistoryFilter filter;
    filter.agent = agent;
    const double filterOurs =
        timed(o.runs, [&] { model.setFilter({}); }, [&] { model.setFilter(filter); });
    const int ourCount = model.rowCount();
    model.setFilter({});
    QSortFilterProxyModel proxy;
    proxy.setFilterKeyColumn(HistoryModel::AgentColumn);
    proxy.setSourceModel(&model);
    const double filterAnchor = timed(
        o.runs, [&] { proxy.setFilterFixedString(QString()); },
        [&] { proxy.setFilterFixedString(agent); });
    const int proxyCount = proxy.rowCount();
    proxy.setSourceModel(nullptr);
    if (ourCount != proxyCount) {
        std::fprintf(stderr, "filter: %d rows vs the proxy's %d\n", ourCount, proxyCount);
        ok = false;
    }
    ok &= report("filter", filterOurs, filterAnchor, 0.05, full);

    // Sort on the title, from the same starting order on both sides.
    const int column = HistoryModel::TitleColumn;
    model.sort(HistoryModel::DecidedColumn, Qt::DescendingOrder);
    std::vector<int> start(size_t(model.rowCount()));
    for (int r = 0; r < model.rowCount(); ++r)
        start[size_t(r)] = int(model.rowAt(r) - model.rows().data());
    const std::vector<HistoryRow> &rows = model.rows();
    const double sortOurs = timed(
        o.runs, [&] { model.sort(HistoryModel::DecidedColumn, Qt::DescendingOrder); },
        [&] { model.sort(column, Qt::AscendingOrder); });
    std::vector<int> index;
    const double sortAnchor = timed(
        o.runs, [&] { index = start; },
        [&] {
            const HistoryRow *data = rows.data();
            std::stable_sort(index.begin(), index.end(), [data, column](int a, int b) {
                return HistoryModel::compareRows(data[a], data[b], column) < 0;
            });
        });
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.rowAt(r) != &rows[size_t(index[size_t(r)])]) {
            std::fprintf(stderr, "sort: row %d differs from std::stable_sort\n", r);
            ok = false;
            break;
        }
    }
    ok &= report("sort", sortOurs, sortAnchor, 1.2, full);

    // Every statistic the charts show, for one filter (no anchor: printed so
    // the cost of a filter change in the workspace is known).
    size_t points = 0;
    const double stats = timed(o.runs, [] {}, [&] {
        points = decisionsPerDay(rows, filter).size() + decisionTimePerWeek(rows, filter).size() +
                 ratesPerAgent(rows, filter).size() + riskMixPerWeek(rows, filter).size() +
                 slaPerWeek(rows, filter).size() + fastestApprovals(rows, filter, 10).size() +
                 failuresPerAgent(rows, filter).size();
    });
    std::printf("statistics   %.4f s for every chart of one filter (%zu points)\n", stats, points);
    return ok ? 0 : 1;
}
