#pragma once

#include "domain/types.h"
#include "itemmodels/changequeuefilter.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

#include <functional>
#include <vector>

// The review queue: one row per change, over a typed index vector (STYLE
// model/view 3). `m_changes` holds the changes as the store listed them;
// `m_rows` holds, in display order, the indexes into `m_changes` of the rows
// the filter lets through. Text stays exactly as received: the view decides
// how to show it (always as plain text) and how to colour it.
//
// Default order (DESIGN §9): pending changes first, by risk class (critical
// first; never assessed last), then review deadline (earliest first; none
// last), then id; then everything else, youngest first (a decided change
// needs no triage, and recent history is what a reviewer looks back on).
// sort(column) re-sorts stably on the column's raw value; sort(-1) restores
// the default order.
//
// setChanges() and setFilterText() move rows with remove / move / insert
// signals, so selections and persistent indexes follow their change by id.
// Only when the set of ids changes in too many places at once does the model
// reset (a reset is never used for a mere re-order or an update in place).
namespace hp {

class ChangeQueueModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RiskColumn,
        StatusColumn,
        TitleColumn,
        AgentColumn,
        EnvironmentColumn,
        ApprovalsColumn,
        AgeColumn,
        DueColumn, // SLA countdown of a pending change
        ColumnCount
    };

    enum Role
    {
        IdRole = Qt::UserRole + 1, // QString: the change id
        RawValueRole,              // the column's raw value (see rawValue())
        StatusRole,                // int: ChangeStatus
        EscalatedRole,             // bool
        CountedApprovalsRole,      // int
        RequiredApprovalsRole,     // int
        ImpactRole,                // int: Impact, or an invalid QVariant when not declared
        NeedsRole,                 // QString: what the verdict still needs
        CreatedAtRole,             // QDateTime (UTC)
        RiskClassRole,             // int: Impact of the latest assessment, or invalid when none
        RiskScoreRole,             // int: 0..100, -1 when never assessed
        RiskFlagsRole,             // QStringList: the assessment's flag codes
        DeadlineRole,              // QDateTime (UTC): review deadline, invalid when unknown
        OverdueRole,               // bool: pending and past its deadline
    };
    Q_ENUM(Role)

    using Clock = std::function<QDateTime()>;

    // `clock` gives "now" for the age column; empty: the system clock.
    explicit ChangeQueueModel(QObject *parent = nullptr, Clock clock = {});

    void setChanges(std::vector<ChangeSummary> changes);
    void setFilterText(const QString &text);
    QString filterText() const { return m_filter.text(); }

    int rowForId(const QString &id) const; // -1 when not shown
    QString idAt(int row) const;
    const ChangeSummary *changeAt(int row) const; // nullptr when out of range
    int firstPendingRow() const;                  // -1 when none is shown

    int totalCount() const { return static_cast<int>(m_changes.size()); }
    int pendingCount() const;
    int escalatedCount() const; // pending and escalated
    // "3 pending (1 escalated) · 12 changes" or "… · 4 of 12 shown".
    QString countsText() const;

    // Ages and countdowns move with the clock: tells views those columns changed.
    void refreshAges();

    static QString approvalsText(const Verdict &verdict); // "counted/required"
    // The review deadline: the verdict's SLA deadline (the policy's rule,
    // computed by the store on every read), else the summary's interim one.
    static QDateTime deadlineOf(const ChangeSummary &change);
    // Pending and past its deadline (or the store says the SLA is breached).
    static bool isOverdue(const ChangeSummary &change, const QDateTime &now);
    static QString ageText(qint64 seconds);               // "<1m", "12m", "3h", "5d"
    static QString riskText(const ChangeSummary &change); // "74 critical", "" when never assessed
    // The SLA countdown: "12m" left, "-3h" overdue; "" when not pending or no deadline.
    static QString dueText(const ChangeSummary &change, const QDateTime &now);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QVariant displayValue(const ChangeSummary &change, int column) const;
    QVariant rawValue(const ChangeSummary &change, int column) const;
    std::vector<int> computeRows(const std::vector<ChangeSummary> &changes) const;
    // Moves from the current rows to `rows` (indexes into `changes`, or into
    // the current changes when `changes` is null) with fine-grained signals.
    void transition(std::vector<ChangeSummary> *changes, std::vector<int> rows);
    void removeVanishedRows(const QHash<QString, int> &target);
    // Takes the new data, and the survivors (the rows both before and after,
    // as indexes into it) in their new order, with a layout change if moved.
    void adoptSurvivors(std::vector<ChangeSummary> *changes, std::vector<int> survivors);
    void insertNewRows(std::vector<int> &&rows, const std::vector<bool> &isNew);

    Clock m_clock;
    std::vector<ChangeSummary> m_changes;
    std::vector<int> m_rows;
    ChangeQueueFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace hp
