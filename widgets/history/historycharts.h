#pragma once

#include "review/historystats.h"

#include <QWidget>

#include <array>
#include <span>

class QBarCategoryAxis;
class QChart;
class QChartView;
class QDateTimeAxis;
class QTableWidget;
class QValueAxis;

// The History charts (DESIGN §9): one card per statistic of
// review/historystats, each a Qt Charts view with a title and "Export PNG",
// three to a row; plus the rubber-stamp table (fastestPanel()), which the
// workspace places beside its table.
// Every update REPLACES whole series (QXYSeries::replace, fresh QBarSet
// lists): Qt Charts appends point by point in quadratic time (DESIGN §10).
// Colours follow the application palette (light or dark theme), re-applied
// when the palette changes.
namespace hp {

enum class HistoryChart
{
    DecisionsPerDay,
    DecisionTime,
    AgentRates,
    RiskMix,
    SlaWeeks,
    AgentFailures,
};
constexpr int kHistoryChartCount = 6;

// Every statistic the charts show, for one filter: computed anywhere (it is
// pure, so off the GUI thread), shown by HistoryCharts::display().
struct HistoryChartData
{
    std::vector<DayOutcomes> days;
    std::vector<WeekDecisionTime> times;
    std::vector<AgentRates> rates;
    std::vector<WeekRiskMix> riskMix;
    std::vector<WeekSla> sla;
    std::vector<AgentFailures> failures;
    std::vector<FastApproval> fastest;

    static HistoryChartData compute(std::span<const HistoryRow> rows, const HistoryFilter &filter);
};

class HistoryCharts : public QWidget
{
    Q_OBJECT

public:
    explicit HistoryCharts(QWidget *parent = nullptr);

    // Replaces every series with `chartData` (kept: a palette change redraws it).
    void display(HistoryChartData chartData);
    // display(HistoryChartData::compute(rows, filter)), on this thread.
    void update(std::span<const HistoryRow> rows, const HistoryFilter &filter);

    QChartView *view(HistoryChart chart) const;
    QChart *chart(HistoryChart chart) const;
    QTableWidget *fastestTable() const { return m_fastest; }
    // The rubber-stamp watch (title and table), for the workspace to place.
    QWidget *fastestPanel() const { return m_fastestPanel; }
    QString title(HistoryChart chart) const;
    // Saves the chart as PNG; false with a message when it cannot be written.
    bool exportPng(HistoryChart chart, const QString &path, QString *error = nullptr) const;

Q_SIGNALS:
    void exportRequested(hp::HistoryChart chart); // the card's "Export PNG…" button

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *card(HistoryChart chart);
    void buildCharts();
    void buildDecisionsPerDay();
    void buildDecisionTime();
    void buildBars(HistoryChart kind, bool stacked);
    void applyTheme();
    void updateDecisionsPerDay();
    void updateDecisionTime();
    void updateAgentRates();
    void updateRiskMix();
    void updateSlaWeeks();
    void updateFailures();
    void updateFastest();

    std::array<QChartView *, kHistoryChartCount> m_views{};
    std::array<QDateTimeAxis *, 2> m_dateAxes{}; // per-day and decision-time charts
    std::array<QValueAxis *, kHistoryChartCount> m_valueAxes{};
    std::array<QBarCategoryAxis *, kHistoryChartCount> m_categoryAxes{};
    QTableWidget *m_fastest = nullptr;
    QWidget *m_fastestPanel = nullptr;
    HistoryChartData m_data;
    bool m_dark = false;
};

} // namespace hp
