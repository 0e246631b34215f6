#pragma once

#include "plan/plandata.h"
#include "risk/riskmodel.h"

#include <QHash>
#include <QRectF>
#include <QString>

#include <vector>

// Where BlastGraphView puts each node: one column per depth, changed nodes
// (depth 0) on the left, impacted nodes in the column of their nearest depth.
// Within a column nodes are stacked at a fixed pitch (so none overlap) and
// grouped under the node their nearest path continues to, which keeps most
// edges short and uncrossed. Pure geometry, no widgets: testable on its own.
namespace hp {

struct BlastGraphNode
{
    QString id;
    bool changed = false;
    int depth = 0;
    int slot = 0;             // position in its column, from the top
    QRectF rect;              // scene coordinates
    PlanAction action = PlanAction::Update; // changed: the action of its heaviest resource
    int resources = 0;        // changed: how many changed resources map to it
    double value = 0;         // impacted: a·decay·e·t
    QString next;             // impacted: the next node of its nearest path (the edge's dependency)
    QStringList scoringPath;  // impacted: from the node to its scoring source
};

class BlastGraphLayout
{
public:
    static constexpr double kNodeWidth = 170;
    static constexpr double kNodeHeight = 46;
    static constexpr double kColumnGap = 80;
    static constexpr double kRowGap = 16;

    static BlastGraphLayout compute(const Assessment &assessment);

    const std::vector<BlastGraphNode> &nodes() const { return m_nodes; }
    const BlastGraphNode *node(const QString &id) const;
    int columns() const { return m_columns; }
    QRectF bounds() const { return m_bounds; }

private:
    void place();

    std::vector<BlastGraphNode> m_nodes; // column by column, top to bottom
    QHash<QString, int> m_index;
    int m_columns = 0;
    QRectF m_bounds;
};

} // namespace hp
