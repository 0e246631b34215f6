// Benchmark (DESIGN §10, console at 1M rows) for the Audit table, medians of
// 5 runs, ratios against anchors run on the same data in the same process:
//  - first paint: QTableView over AuditModel, configured as the workspace
//    configures it, against a bare QTableView over a trivial model of the
//    same size (≤ 2×);
//  - a filter keystroke (the principal criterion) against
//    QSortFilterProxyModel filtering the principal column of the same model
//    (≤ 0.05×); the proxy exists only here, as the anchor;
//  - a sort (action column) against std::stable_sort of the same index
//    vector with the same comparator (≤ 1.2×).
//
//   bench_auditview [--scale S] [--runs N]
//
// --scale 0.01 (the smoke run) asserts no timing: it checks that each side
// selects and orders the same rows and prints the ratios. At full size a
// missed target fails.

#include "audit/auditrowdelegate.h"
#include "tablebench.h"
#include "itemmodels/auditmodel.h"

#include <QApplication>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <vector>

using namespace hp;
using hp::bench::report;
using hp::bench::timed;

namespace {

// Rows as the loader makes them (interned strings, typed fields), generated
// directly so the benchmark measures the table, not JSON parsing.
std::vector<AuditIndexRow> generate(int n, StringPool &pool)
{
    const QStringList principals = {QStringLiteral("priya"),    QStringLiteral("tomasz"),
                                    QStringLiteral("amira"),    QStringLiteral("helena"),
                                    QStringLiteral("tf-agent"), QStringLiteral("k8s-agent"),
                                    QStringLiteral("ops-bot"),  QStringLiteral("system")};
    const QStringList actions = {QStringLiteral("change.submit"),    QStringLiteral("assessment"),
                                 QStringLiteral("decision.approve"), QStringLiteral("decision.reject"),
                                 QStringLiteral("review.view"),      QStringLiteral("review.coverage"),
                                 QStringLiteral("check"),            QStringLiteral("change.report")};
    std::uint64_t x = 0x9E3779B97F4A7C15ull;
    auto next = [&x](std::uint64_t mod) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return static_cast<int>(x % mod);
    };
    const int roles[] = {pool.intern(QStringLiteral("reviewer")), pool.intern(QStringLiteral("lead")),
                         pool.intern(QStringLiteral("auditor"))};
    const int denied = pool.intern(QStringLiteral("missing_role"));
    const qint64 t0 = QDateTime(QDate(2025, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    std::vector<AuditIndexRow> rows(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        AuditIndexRow &r = rows[size_t(i)];
        r.seq = i + 1;
        r.timeMs = t0 + qint64(i) * 3000;
        r.principal = pool.intern(principals.at(next(8)));
        r.roles = roles[next(3)];
        r.action = pool.intern(actions.at(next(8)));
        r.change = pool.intern(QStringLiteral("01J%1").arg(next(std::max(1, n / 8)), 23, 10, QLatin1Char('0')));
        r.revision = 1 + next(3);
        r.denied = next(20) == 0;
        r.reasonCode = r.denied ? denied : 0;
        for (size_t b = 0; b < r.hash.size(); ++b)
            r.hash[b] = static_cast<unsigned char>(next(256));
    }
    return rows;
}

// Creates the view, sets the model, lays it out and paints it once.
void firstPaint(QAbstractItemModel *model, bool likeWorkspace)
{
    QTableView view;
    if (likeWorkspace) {
        view.setItemDelegate(new AuditRowDelegate(&view));
        view.setSortingEnabled(true);
        view.sortByColumn(AuditModel::SeqColumn, Qt::DescendingOrder);
        view.setSelectionBehavior(QAbstractItemView::SelectRows);
        view.setAlternatingRowColors(true);
        view.setWordWrap(false);
        view.verticalHeader()->hide();
        view.horizontalHeader()->setStretchLastSection(true);
    }
    bench::paintOnce(view, model, "bench_auditview");
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen")
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each ratio shows as soon as it is measured
    double scale = 1.0;
    int runs = 5;
    const QStringList args = QApplication::arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--scale"))
            scale = args[i + 1].toDouble();
        else if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    const int n = std::max(100, int(1'000'000 * scale));
    const bool full = scale >= 1.0;
    std::printf("bench_auditview: %d entries, %d runs each\n", n, runs);
    StringPool pool;
    std::vector<AuditIndexRow> generated = generate(n, pool);
    AuditModel model;
    model.setRows(std::move(generated), pool);
    bool ok = true;

    bench::TrivialModel trivial(n, AuditModel::ColumnCount);
    const double paintOurs = timed(runs, [] {}, [&] { firstPaint(&model, true); });
    const double paintAnchor = timed(runs, [] {}, [&] { firstPaint(&trivial, false); });
    ok &= report("first paint", paintOurs, paintAnchor, 2.0, full);

    const QString who = QStringLiteral("agent");
    AuditFilter filter;
    filter.principal = who;
    const double filterOurs = timed(runs, [&] { model.setFilter({}); }, [&] { model.setFilter(filter); });
    const int ourCount = model.rowCount();
    model.setFilter({});
    QSortFilterProxyModel proxy;
    proxy.setFilterKeyColumn(AuditModel::PrincipalColumn);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setSourceModel(&model);
    const double filterAnchor = timed(
        runs, [&] { proxy.setFilterFixedString(QString()); }, [&] { proxy.setFilterFixedString(who); });
    const int proxyCount = proxy.rowCount();
    proxy.setSourceModel(nullptr);
    if (ourCount != proxyCount) {
        std::fprintf(stderr, "filter: %d rows vs the proxy's %d\n", ourCount, proxyCount);
        ok = false;
    }
    ok &= report("filter", filterOurs, filterAnchor, 0.05, full);

    const int column = AuditModel::ActionColumn;
    model.sort(AuditModel::SeqColumn, Qt::DescendingOrder);
    std::vector<int> start(size_t(model.rowCount()));
    for (int r = 0; r < model.rowCount(); ++r)
        start[size_t(r)] = int(model.rowAt(r) - model.rows().data());
    const double sortOurs = timed(
        runs, [&] { model.sort(AuditModel::SeqColumn, Qt::DescendingOrder); },
        [&] { model.sort(column, Qt::AscendingOrder); });
    std::vector<int> index;
    model.prepareSort(column);
    const double sortAnchor = timed(
        runs, [&] { index = start; },
        [&] {
            std::stable_sort(index.begin(), index.end(),
                             [&model, column](int a, int b) { return model.compareRows(a, b, column) < 0; });
        });
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.rowAt(r) != &model.rows()[size_t(index[size_t(r)])]) {
            std::fprintf(stderr, "sort: row %d differs from std::stable_sort\n", r);
            ok = false;
            break;
        }
    }
    ok &= report("sort", sortOurs, sortAnchor, 1.2, full);
    return ok ? 0 : 1;
}
