#pragma once

#include "review/historystats.h"
#include "storage/store.h"

#include <QAbstractTableModel>
#include <QHash>

#include <memory>
#include <vector>

// The History table (DESIGN §9 History): decided changes over a typed index
// (STYLE model/view; DESIGN §10: no QSortFilterProxyModel, no QVariant in a
// comparison). `m_rows` holds the rows as loaded (shared, immutable); `m_order`
// is every row index in the current sort order; `m_visible` is `m_order`
// cut to the rows the filter lets through, so a filter change is one linear
// scan and a sort is one std::stable_sort of `m_order` with a typed
// per-column comparator. Text stays exactly as received; views show it as
// plain text.
namespace hp {

class HistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        DecidedColumn,
        TitleColumn,
        AgentColumn,
        OperatorColumn,
        EnvironmentColumn,
        ClassColumn,
        ScoreColumn,
        OutcomeColumn,
        DecidersColumn,
        TimeToDecisionColumn,
        SlaColumn,
        ColumnCount
    };

    enum Role
    {
        IdRole = Qt::UserRole + 1, // QString: the change id
        OutcomeRole,               // int: HistoryOutcome
    };

    explicit HistoryModel(QObject *parent = nullptr);

    void setRows(std::vector<HistoryRow> rows);
    const std::vector<HistoryRow> &rows() const { return *m_rows; }
    // The same rows, shared: work off the GUI thread keeps them alive while
    // the model moves on to newer ones.
    std::shared_ptr<const std::vector<HistoryRow>> sharedRows() const { return m_rows; }
    void setFilter(const HistoryFilter &filter);
    const HistoryFilter &filter() const { return m_filter; }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    const HistoryRow *rowAt(int row) const; // nullptr when out of range
    int shownCount() const { return static_cast<int>(m_visible.size()); }

    // Typed comparison of two rows on `column`: negative, zero or positive.
    static int compareRows(const HistoryRow &a, const HistoryRow &b, int column);
    // "2h 05m", "45s", "3d 4h": a duration for people.
    static QString durationText(qint64 seconds);

    // The shown rows, in the shown order, as RFC 4180 CSV with a header
    // (csv.h: formula-safe). Times ISO 8601 UTC, durations in seconds.
    QString toCsv() const;
    static QStringList csvHeader();
    static QStringList csvFields(const HistoryRow &row);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    QString displayText(const HistoryRow &row, int column) const;
    void refilter();
    void sortOrder(std::vector<int> &order, int column, Qt::SortOrder direction) const;

    // The filterable fields of each row, compact and typed, so a filter is a
    // sequential scan of small records instead of a walk over whole rows:
    // agent and environment as ids into the tables below.
    struct FilterKey
    {
        qint64 decidedMs = 0;
        int agent = 0;
        int environment = 0;
        qint8 outcome = 0;
        qint8 riskClass = -1; // -1: unassessed
    };
    void buildKeys();

    std::shared_ptr<const std::vector<HistoryRow>> m_rows =
        std::make_shared<const std::vector<HistoryRow>>();
    std::vector<FilterKey> m_keys;
    QHash<QString, int> m_agentIds;
    QHash<QString, int> m_environmentIds;
    std::vector<int> m_order;
    std::vector<int> m_visible;
    HistoryFilter m_filter;
    int m_sortColumn = DecidedColumn;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
};

} // namespace hp
