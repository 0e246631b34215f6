#pragma once

#include "audit/auditindex.h"

#include <QAbstractTableModel>
#include <QHash>

#include <vector>

// The Audit table (DESIGN §9 Audit, §10): the trail as AuditIndexRows over a
// typed index. `m_order` is every row in the current sort order, `m_visible`
// the rows of `m_order` the filter lets through: a filter is one linear scan
// of integers (AuditMatcher), a sort one std::stable_sort with a typed
// comparator over per-column ranks of the interned strings. Rows stream in
// by chunk (appendChunk) while the user already works with the first ones.
// No QSortFilterProxyModel, no QVariant in a scan or comparison.
namespace hp {

class AuditModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        SeqColumn,
        TimeColumn,
        PrincipalColumn,
        KindColumn,
        RolesColumn,
        ActionColumn,
        ChangeColumn,
        RevisionColumn,
        OutcomeColumn,
        ReasonCodeColumn,
        StatusColumn,
        HashColumn,
        ColumnCount
    };

    enum Role
    {
        SeqRole = Qt::UserRole + 1, // qint64
        ChangeRole,                 // QString: the change id ("" for none)
        ProblemRole,                // QString: the verify problem class, "" when none
    };

    explicit AuditModel(QObject *parent = nullptr);

    // Replaces everything with the rows of `builder`'s pool (tests, benches).
    void setRows(std::vector<AuditIndexRow> rows, const StringPool &pool);
    void clear();
    // Appends a loaded chunk (its strings extend the mirror pool first).
    void appendChunk(AuditChunk chunk);
    qint64 loadedCount() const { return static_cast<qint64>(m_rows.size()); }

    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_matcher.filter(); }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    const StringPool &pool() const { return m_pool; }
    const std::vector<AuditIndexRow> &rows() const { return m_rows; }
    const AuditIndexRow *rowAt(int row) const; // shown row; nullptr when out of range
    int rowOfSeq(qint64 seq) const;            // shown row, -1 when not shown
    // Every loaded row of `changeId`, ascending seq (the timeline).
    std::vector<const AuditIndexRow *> rowsOfChange(const QString &changeId) const;

    // Verify problems by seq (highlighted through ProblemRole).
    void setProblems(const std::vector<AuditProblem> &problems);

    // Typed comparison of two loaded rows (indices into rows()) on `column`;
    // call prepareSort(column) first for the string ranks.
    int compareRows(int a, int b, int column) const;
    void prepareSort(int column) const;

    QString text(const AuditIndexRow &row, int column) const;
    static QString statusText(qint8 status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void sortIndex(std::vector<int> &order) const;
    void refilter();
    const std::vector<int> &ranks() const;

    StringPool m_pool;
    std::vector<AuditIndexRow> m_rows;
    std::vector<int> m_order;
    std::vector<int> m_visible;
    AuditMatcher m_matcher;
    QHash<qint64, QString> m_problems;
    int m_sortColumn = SeqColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    // Rank of each pool id in string order; rebuilt when the pool grew.
    mutable std::vector<int> m_ranks;
};

} // namespace hp
