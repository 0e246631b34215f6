#include "history/historycharts.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QEvent>
#include <QFont>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace hp {

namespace {

int at(HistoryChart c)
{
    return static_cast<int>(c);
}

// Outcome colours, readable on light and dark backgrounds alike.
QColor outcomeColor(HistoryOutcome o)
{
    switch (o) {
    case HistoryOutcome::Approved:
        return QColor(0x4c, 0x9a, 0xe6);
    case HistoryOutcome::Rejected:
        return QColor(0xe0, 0x8a, 0x1e);
    case HistoryOutcome::Expired:
        return QColor(0x9a, 0x9a, 0x9a);
    case HistoryOutcome::Withdrawn:
        return QColor(0xb0, 0x8c, 0xd8);
    case HistoryOutcome::Applied:
        return QColor(0x3d, 0xb0, 0x6e);
    case HistoryOutcome::Failed:
        return QColor(0xd9, 0x3f, 0x3f);
    }
    return Qt::gray;
}

QColor riskColor(int bucket)
{
    static const QColor colors[kRiskBucketCount] = {
        QColor(0x3d, 0xb0, 0x6e), QColor(0xe6, 0xc2, 0x29), QColor(0xe0, 0x7b, 0x1e),
        QColor(0xd9, 0x3f, 0x3f), QColor(0x9a, 0x9a, 0x9a)};
    return colors[std::clamp(bucket, 0, kRiskBucketCount - 1)];
}

qint64 msecsOf(const QDate &day)
{
    return QDateTime(day, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
}

QString weekLabel(const QDate &week)
{
    return week.toString(QStringLiteral("MM-dd"));
}

// A fresh bar set with its colour and values (the series takes ownership).
QBarSet *barSet(const QString &label, const QColor &color, const QList<qreal> &values)
{
    auto *set = new QBarSet(label);
    set->setColor(color);
    set->setBorderColor(color);
    set->append(values);
    return set;
}

// Replaces a bar chart's sets and categories in one go.
void replaceBars(QAbstractBarSeries *series, QBarCategoryAxis *axis, const QStringList &categories,
                 const QList<QBarSet *> &sets)
{
    series->clear();
    axis->clear();
    axis->append(categories);
    series->append(sets);
}

void setValueRange(QValueAxis *axis, double max)
{
    axis->setRange(0, std::max(1.0, max));
    axis->applyNiceNumbers();
}

QChart *newChart()
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    QFont small = chart->legend()->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    chart->legend()->setFont(small);
    chart->setMargins(QMargins(4, 4, 4, 4));
    return chart;
}

} // namespace

HistoryCharts::HistoryCharts(QWidget *parent)
    : QWidget(parent)
{
    buildCharts();
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(4, 4, 4, 4);
    grid->setSpacing(6);
    for (int i = 0; i < kHistoryChartCount; ++i)
        grid->addWidget(card(static_cast<HistoryChart>(i)), i / 3, i % 3);

    auto *fastest = new QWidget(this);
    m_fastestPanel = fastest;
    auto *layout = new QVBoxLayout(fastest);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(
        QStringLiteral("Fastest approvals of high and critical changes (rubber-stamp watch)"),
        fastest);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("font-weight: bold;"));
    m_fastest = new QTableWidget(0, 5, fastest);
    m_fastest->setObjectName(QStringLiteral("fastestApprovals"));
    m_fastest->setHorizontalHeaderLabels({QStringLiteral("Time"), QStringLiteral("Class"),
                                          QStringLiteral("Reviewer"), QStringLiteral("Agent"),
                                          QStringLiteral("Title")});
    m_fastest->verticalHeader()->hide();
    m_fastest->horizontalHeader()->setStretchLastSection(true);
    m_fastest->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fastest->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(label);
    layout->addWidget(m_fastest, 1);
    applyTheme();
}

QString HistoryCharts::title(HistoryChart chart) const
{
    switch (chart) {
    case HistoryChart::DecisionsPerDay:
        return QStringLiteral("Decisions per day by outcome");
    case HistoryChart::DecisionTime:
        return QStringLiteral("Time to decision per week (hours)");
    case HistoryChart::AgentRates:
        return QStringLiteral("Approval and rejection rate per agent (%)");
    case HistoryChart::RiskMix:
        return QStringLiteral("Risk class mix per week");
    case HistoryChart::SlaWeeks:
        return QStringLiteral("SLA breaches and escalations per week");
    case HistoryChart::AgentFailures:
        return QStringLiteral("Applied, then failed, per agent");
    }
    return {};
}

QWidget *HistoryCharts::card(HistoryChart chart)
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(title(chart), box);
    label->setTextFormat(Qt::PlainText);
    label->setStyleSheet(QStringLiteral("font-weight: bold;"));
    auto *exportButton = new QPushButton(QStringLiteral("Export PNG…"), box);
    exportButton->setObjectName(QStringLiteral("exportPng%1").arg(at(chart)));
    exportButton->setToolTip(QStringLiteral("Save this chart as a PNG image"));
    connect(exportButton, &QPushButton::clicked, this, [this, chart] {
        Q_EMIT exportRequested(chart);
    });
    header->addWidget(label, 1);
    header->addWidget(exportButton);
    layout->addLayout(header);
    QChartView *view = m_views[size_t(at(chart))];
    view->setParent(box);
    view->setMinimumSize(320, 220);
    layout->addWidget(view, 1);
    return box;
}

void HistoryCharts::buildCharts()
{
    for (int i = 0; i < kHistoryChartCount; ++i) {
        m_views[size_t(i)] = new QChartView(newChart(), this);
        m_views[size_t(i)]->setRenderHint(QPainter::Antialiasing);
        m_valueAxes[size_t(i)] = new QValueAxis;
        m_valueAxes[size_t(i)]->setLabelFormat(QStringLiteral("%d"));
    }
    buildDecisionsPerDay();
    buildDecisionTime();
    const std::pair<HistoryChart, bool> bars[] = {{HistoryChart::AgentRates, false},
                                                  {HistoryChart::RiskMix, true},
                                                  {HistoryChart::SlaWeeks, false},
                                                  {HistoryChart::AgentFailures, true}};
    for (const auto &[kind, stacked] : bars)
        buildBars(kind, stacked);
}

// Decisions per day: stacked areas, one per outcome, on a date axis.
void HistoryCharts::buildDecisionsPerDay()
{
    QChart *c = chart(HistoryChart::DecisionsPerDay);
    m_dateAxes[0] = new QDateTimeAxis;
    m_dateAxes[0]->setFormat(QStringLiteral("MMM d"));
    m_dateAxes[0]->setTickCount(6);
    c->addAxis(m_dateAxes[0], Qt::AlignBottom);
    c->addAxis(m_valueAxes[0], Qt::AlignLeft);
    for (int o = 0; o < kHistoryOutcomeCount; ++o) {
        auto *upper = new QLineSeries(c);
        auto *lower = o == 0 ? nullptr : new QLineSeries(c);
        auto *area = new QAreaSeries(upper, lower);
        area->setName(toString(static_cast<HistoryOutcome>(o)));
        c->addSeries(area);
        area->attachAxis(m_dateAxes[0]);
        area->attachAxis(m_valueAxes[0]);
    }
}

// Time to decision: median and p90 lines per week.
void HistoryCharts::buildDecisionTime()
{
    QChart *c = chart(HistoryChart::DecisionTime);
    m_dateAxes[1] = new QDateTimeAxis;
    m_dateAxes[1]->setFormat(QStringLiteral("MMM d"));
    m_dateAxes[1]->setTickCount(5);
    c->addAxis(m_dateAxes[1], Qt::AlignBottom);
    c->addAxis(m_valueAxes[1], Qt::AlignLeft);
    for (const char *name : {"median", "p90"}) {
        auto *line = new QLineSeries(c);
        line->setName(QString::fromLatin1(name));
        line->setPointsVisible(true);
        c->addSeries(line);
        line->attachAxis(m_dateAxes[1]);
        line->attachAxis(m_valueAxes[1]);
    }
}

// A bar chart over categories (agents or weeks); sets come with each update.
void HistoryCharts::buildBars(HistoryChart kind, bool stacked)
{
    QChart *c = chart(kind);
    QAbstractBarSeries *series = stacked
                                     ? static_cast<QAbstractBarSeries *>(new QStackedBarSeries(c))
                                     : static_cast<QAbstractBarSeries *>(new QBarSeries(c));
    auto *axis = new QBarCategoryAxis;
    m_categoryAxes[size_t(at(kind))] = axis;
    c->addAxis(axis, Qt::AlignBottom);
    c->addAxis(m_valueAxes[size_t(at(kind))], Qt::AlignLeft);
    c->addSeries(series);
    series->attachAxis(axis);
    series->attachAxis(m_valueAxes[size_t(at(kind))]);
}

namespace {

// Axis labels a little smaller than the UI font, so agent names and week
// labels fit under their bars.
void shrinkAxisLabels(QChart *chart)
{
    const QList<QAbstractAxis *> axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        QFont f = axis->labelsFont();
        f.setPointSizeF(std::max(7.0, QFont().pointSizeF() * 0.85));
        axis->setLabelsFont(f);
    }
}

} // namespace

QChartView *HistoryCharts::view(HistoryChart c) const
{
    return m_views[size_t(at(c))];
}

QChart *HistoryCharts::chart(HistoryChart c) const
{
    return m_views[size_t(at(c))]->chart();
}

bool HistoryCharts::exportPng(HistoryChart c, const QString &path, QString *error) const
{
    if (view(c)->grab().save(path, "PNG"))
        return true;
    if (error)
        *error = QStringLiteral("could not write the chart to %1").arg(path);
    return false;
}

void HistoryCharts::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyTheme();
}

// The chart theme follows the window colour; a theme resets series colours,
// so the series are rebuilt with ours afterwards.
void HistoryCharts::applyTheme()
{
    m_dark = palette().color(QPalette::Window).lightness() < 128;
    for (QChartView *v : m_views) {
        v->chart()->setTheme(m_dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
        v->chart()->setBackgroundBrush(palette().color(QPalette::Base));
        v->chart()->legend()->setLabelColor(palette().color(QPalette::Text));
        v->setBackgroundBrush(palette().color(QPalette::Window));
        shrinkAxisLabels(v->chart());
    }
    for (QValueAxis *a : m_valueAxes)
        a->setLabelFormat(QStringLiteral("%d"));
    display(std::move(m_data));
}

HistoryChartData HistoryChartData::compute(std::span<const HistoryRow> rows,
                                           const HistoryFilter &filter)
{
    constexpr int kFastest = 10;
    HistoryChartData d;
    d.days = decisionsPerDay(rows, filter);
    d.times = decisionTimePerWeek(rows, filter);
    d.rates = ratesPerAgent(rows, filter);
    d.riskMix = riskMixPerWeek(rows, filter);
    d.sla = slaPerWeek(rows, filter);
    d.failures = failuresPerAgent(rows, filter);
    d.fastest = fastestApprovals(rows, filter, kFastest);
    return d;
}

void HistoryCharts::update(std::span<const HistoryRow> rows, const HistoryFilter &filter)
{
    display(HistoryChartData::compute(rows, filter));
}

void HistoryCharts::display(HistoryChartData chartData)
{
    m_data = std::move(chartData);
    updateDecisionsPerDay();
    updateDecisionTime();
    updateAgentRates();
    updateRiskMix();
    updateSlaWeeks();
    updateFailures();
    updateFastest();
}

void HistoryCharts::updateDecisionsPerDay()
{
    const std::vector<DayOutcomes> &days = m_data.days;
    const QList<QAbstractSeries *> series = chart(HistoryChart::DecisionsPerDay)->series();
    std::vector<int> stacked(days.size(), 0);
    QList<QPointF> below;
    int max = 0;
    for (int o = 0; o < kHistoryOutcomeCount; ++o) {
        QList<QPointF> points;
        points.reserve(qsizetype(days.size()));
        for (size_t d = 0; d < days.size(); ++d) {
            stacked[d] += days[d].count[size_t(o)];
            points.append(QPointF(double(msecsOf(days[d].day)), stacked[d]));
            max = std::max(max, stacked[d]);
        }
        auto *area = static_cast<QAreaSeries *>(series.at(o));
        area->upperSeries()->replace(points);
        if (area->lowerSeries())
            area->lowerSeries()->replace(below);
        const QColor color = outcomeColor(static_cast<HistoryOutcome>(o));
        area->setColor(color);
        area->setBorderColor(color.darker(115));
        below = points;
    }
    if (!days.empty())
        m_dateAxes[0]->setRange(QDateTime(days.front().day, QTime(0, 0), Qt::UTC),
                                QDateTime(days.back().day, QTime(0, 0), Qt::UTC));
    setValueRange(m_valueAxes[0], max);
}

void HistoryCharts::updateDecisionTime()
{
    const std::vector<WeekDecisionTime> &weeks = m_data.times;
    QList<QPointF> median, p90;
    double max = 0;
    for (const WeekDecisionTime &w : weeks) {
        if (w.count == 0)
            continue; // no decision that week: no point rather than a false zero
        const double x = double(msecsOf(w.week));
        median.append(QPointF(x, w.medianSeconds / 3600.0));
        p90.append(QPointF(x, w.p90Seconds / 3600.0));
        max = std::max(max, w.p90Seconds / 3600.0);
    }
    const QList<QAbstractSeries *> series = chart(HistoryChart::DecisionTime)->series();
    static_cast<QLineSeries *>(series.at(0))->replace(median);
    static_cast<QLineSeries *>(series.at(0))->setColor(QColor(0x4c, 0x9a, 0xe6));
    static_cast<QLineSeries *>(series.at(1))->replace(p90);
    static_cast<QLineSeries *>(series.at(1))->setColor(QColor(0xd9, 0x3f, 0x3f));
    if (!weeks.empty())
        m_dateAxes[1]->setRange(QDateTime(weeks.front().week, QTime(0, 0), Qt::UTC),
                                QDateTime(weeks.back().week, QTime(0, 0), Qt::UTC));
    m_valueAxes[1]->setLabelFormat(max < 10 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    setValueRange(m_valueAxes[1], max);
}

void HistoryCharts::updateAgentRates()
{
    QStringList agents;
    QList<qreal> approval, rejection;
    for (const AgentRates &a : m_data.rates) {
        agents << a.agent;
        approval << 100.0 * a.approvalRate();
        rejection << 100.0 * a.rejectionRate();
    }
    auto *series =
        static_cast<QAbstractBarSeries *>(chart(HistoryChart::AgentRates)->series().at(0));
    replaceBars(series, m_categoryAxes[size_t(at(HistoryChart::AgentRates))], agents,
                {barSet(QStringLiteral("approved"), outcomeColor(HistoryOutcome::Approved), approval),
                 barSet(QStringLiteral("rejected"), outcomeColor(HistoryOutcome::Rejected),
                        rejection)});
    m_valueAxes[size_t(at(HistoryChart::AgentRates))]->setRange(0, 100);
}

void HistoryCharts::updateRiskMix()
{
    const std::vector<WeekRiskMix> &weeks = m_data.riskMix;
    QStringList labels;
    std::array<QList<qreal>, kRiskBucketCount> values;
    int max = 0;
    for (const WeekRiskMix &w : weeks) {
        labels << weekLabel(w.week);
        int total = 0;
        for (int b = 0; b < kRiskBucketCount; ++b) {
            values[size_t(b)] << w.count[size_t(b)];
            total += w.count[size_t(b)];
        }
        max = std::max(max, total);
    }
    QList<QBarSet *> sets;
    for (int b = 0; b < kRiskBucketCount; ++b)
        sets << barSet(riskBucketName(b), riskColor(b), values[size_t(b)]);
    auto *series = static_cast<QAbstractBarSeries *>(chart(HistoryChart::RiskMix)->series().at(0));
    replaceBars(series, m_categoryAxes[size_t(at(HistoryChart::RiskMix))], labels, sets);
    setValueRange(m_valueAxes[size_t(at(HistoryChart::RiskMix))], max);
}

void HistoryCharts::updateSlaWeeks()
{
    QStringList labels;
    QList<qreal> breaches, escalations;
    int max = 0;
    for (const WeekSla &w : m_data.sla) {
        labels << weekLabel(w.week);
        breaches << w.breaches;
        escalations << w.escalations;
        max = std::max({max, w.breaches, w.escalations});
    }
    auto *series = static_cast<QAbstractBarSeries *>(chart(HistoryChart::SlaWeeks)->series().at(0));
    replaceBars(series, m_categoryAxes[size_t(at(HistoryChart::SlaWeeks))], labels,
                {barSet(QStringLiteral("SLA breached"), QColor(0xd9, 0x3f, 0x3f), breaches),
                 barSet(QStringLiteral("escalated"), QColor(0xb0, 0x8c, 0xd8), escalations)});
    setValueRange(m_valueAxes[size_t(at(HistoryChart::SlaWeeks))], max);
}

void HistoryCharts::updateFailures()
{
    QStringList agents;
    QList<qreal> applied, failed;
    int max = 0;
    for (const AgentFailures &a : m_data.failures) {
        agents << a.agent;
        applied << a.applied;
        failed << a.failed;
        max = std::max(max, a.applied + a.failed);
    }
    auto *series =
        static_cast<QAbstractBarSeries *>(chart(HistoryChart::AgentFailures)->series().at(0));
    replaceBars(series, m_categoryAxes[size_t(at(HistoryChart::AgentFailures))], agents,
                {barSet(QStringLiteral("applied"), outcomeColor(HistoryOutcome::Applied), applied),
                 barSet(QStringLiteral("failed"), outcomeColor(HistoryOutcome::Failed), failed)});
    setValueRange(m_valueAxes[size_t(at(HistoryChart::AgentFailures))], max);
}

void HistoryCharts::updateFastest()
{
    const std::vector<FastApproval> &fast = m_data.fastest;
    m_fastest->setRowCount(int(fast.size()));
    for (size_t i = 0; i < fast.size(); ++i) {
        const FastApproval &f = fast[i];
        const QStringList cells{
            f.seconds < 60 ? QStringLiteral("%1 s").arg(f.seconds)
                           : QStringLiteral("%1 min").arg(f.seconds / 60),
            toString(f.riskClass), f.reviewer, f.agent, f.title};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c)); // plain text: titles are untrusted
            if (c == 0 && f.seconds < 60)
                item->setForeground(QColor(0xd9, 0x3f, 0x3f));
            m_fastest->setItem(int(i), c, item);
        }
    }
    m_fastest->resizeColumnsToContents();
}

} // namespace hp
