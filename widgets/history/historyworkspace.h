#pragma once

#include "domain/result.h"
#include "history/historycharts.h"
#include "review/historystats.h"

#include <QFutureWatcher>
#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QDateEdit;
class QLabel;
class QTableView;

// The History workspace for team leads (DESIGN §9 History): a filter bar
// (time range, agent, environment, outcome, reviewer, class — combinable),
// the charts of every statistic following the filters, and the table of
// decided changes. Rows load off the GUI thread through `Loader` (which opens
// its own store connection); a newer reload supersedes an older one. The
// table filters at once (a typed scan); the statistics behind the charts are
// computed off the GUI thread over the model's shared rows, and only the
// result for the latest filter is shown.
// Activating a row (double-click, Enter) asks to open the change in Review.
namespace hp {

class HistoryModel;

class HistoryWorkspace : public QWidget
{
    Q_OBJECT

public:
    using Loader = std::function<Result<std::vector<HistoryRow>>()>;

    explicit HistoryWorkspace(Loader loader, QWidget *parent = nullptr);
    ~HistoryWorkspace() override;

    void reload();                               // asynchronous
    void setRows(std::vector<HistoryRow> rows); // synchronous (tests, after loading)
    HistoryFilter currentFilter() const;

    HistoryModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    HistoryCharts *charts() const { return m_charts; }

    bool exportCsv(const QString &path, QString *error = nullptr) const;
    // The charts are being recomputed for the latest filter.
    bool chartsPending() const { return m_chartsPending; }

Q_SIGNALS:
    void openChangeRequested(const QString &changeId);
    void loaded(int rows);
    void loadFailed(const hp::Error &error);
    void chartsUpdated(); // the charts show the current filter

private:
    QWidget *buildFilterBar();
    void fillChoices();
    void applyFilter();
    void resetFilters();
    void chooseCsvFile();
    void chooseChartFile(HistoryChart chart);

    Loader m_loader;
    QFutureWatcher<Result<std::vector<HistoryRow>>> m_watcher;
    bool m_reloadAgain = false;
    QFutureWatcher<HistoryChartData> m_chartsWatcher;
    bool m_chartsPending = false;
    HistoryModel *m_model = nullptr;
    HistoryCharts *m_charts = nullptr;
    QTableView *m_table = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QComboBox *m_agent = nullptr;
    QComboBox *m_environment = nullptr;
    QComboBox *m_outcome = nullptr;
    QComboBox *m_reviewer = nullptr;
    QComboBox *m_class = nullptr;
    QLabel *m_count = nullptr;
    bool m_filling = false; // setting up choices: no filter per widget change
};

} // namespace hp
