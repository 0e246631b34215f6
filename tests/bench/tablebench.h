#pragma once

// What the console-table benchmarks (bench_history, bench_auditview) share:
// the trivial anchor model, the median-of-runs timer, one paint of a view and
// the ratio line. Each benchmark keeps its own data and view configuration.

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QPixmap>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace hp::bench {

// The anchor model: the same size, a number per cell, nothing else.
class TrivialModel : public QAbstractTableModel
{
public:
    TrivialModel(int rows, int columns) : m_rows(rows), m_columns(columns) {}
    int rowCount(const QModelIndex &p = {}) const override { return p.isValid() ? 0 : m_rows; }
    int columnCount(const QModelIndex &p = {}) const override { return p.isValid() ? 0 : m_columns; }
    QVariant data(const QModelIndex &i, int role) const override
    {
        return role == Qt::DisplayRole ? QVariant(QString::number(i.row())) : QVariant();
    }

private:
    int m_rows;
    int m_columns;
};

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Runs `prepare` (untimed) then `body` (timed), `runs` times; median seconds.
inline double timed(int runs, const std::function<void()> &prepare, const std::function<void()> &body)
{
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        prepare();
        QElapsedTimer clock;
        clock.start();
        body();
        t.push_back(double(clock.nsecsElapsed()) / 1e9);
    }
    return median(t);
}

// Sets the model on a configured view, lays it out and paints it once.
inline void paintOnce(QTableView &view, QAbstractItemModel *model, const char *bench)
{
    view.setModel(model);
    view.resize(1200, 700);
    const QPixmap painted = view.grab();
    if (painted.isNull())
        std::fprintf(stderr, "%s: the view did not paint\n", bench);
}

// Prints one ratio line; false only when an enforced target is missed.
inline bool report(const char *what, double ours, double anchor, double target, bool enforce)
{
    const double ratio = ours / anchor;
    const bool met = ratio <= target;
    std::printf("%-12s ours %.4f s  anchor %.4f s  ratio %.4fx  (target <= %.2fx) %s\n", what, ours, anchor,
                ratio, target, met ? "met" : (enforce ? "MISSED" : "(not enforced)"));
    return met || !enforce;
}

} // namespace hp::bench
