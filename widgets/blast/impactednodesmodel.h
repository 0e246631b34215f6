#pragma once

#include "risk/riskmodel.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>

#include <vector>

// The impacted nodes of one assessment (DESIGN §4: reached, not changed), one
// row each, with the topology attributes a reviewer weighs: kind, tier, owner,
// environment, and both paths that explain the row. Sorting happens here over
// a typed index vector (STYLE model/view 3), stable, on the raw value of the
// column (RawRole); the assessment's order (nearest depth, then id) is the
// default.
namespace hp {

class ImpactedNodesModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        KindColumn,
        DepthColumn,
        NearestPathColumn,
        ScoringSourceColumn,
        DistanceColumn,
        ScoringPathColumn,
        TierColumn,
        OwnerColumn,
        EnvironmentColumn,
        ValueColumn,
        ColumnCount
    };
    enum Role {
        NodeIdRole = Qt::UserRole + 1, // the topology node id
        RawRole,                       // the value sorting uses (int, double or QString)
    };

    explicit ImpactedNodesModel(QObject *parent = nullptr);

    void setAssessment(const Assessment &assessment, const Topology &topology);
    void clear();

    QString nodeAt(int row) const;
    int rowForNode(const QString &nodeId) const; // -1 when not impacted

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    struct Row
    {
        QString nodeId;
        QString name;
        QString kind;
        int depth = 0;
        QString nearestPath;
        QString scoringSource;
        int distance = 0;
        QString scoringPath;
        int tier = 0;
        QString owner;
        QString environment;
        double value = 0;
    };
    QVariant display(const Row &row, int column) const;
    QVariant raw(const Row &row, int column) const;
    void applySort();

    std::vector<Row> m_rows;
    std::vector<int> m_order; // view row → m_rows index
    QHash<QString, int> m_viewRow; // node id → view row
    int m_sortColumn = -1;    // -1: the assessment's order
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace hp
