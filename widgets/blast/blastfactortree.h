#pragma once

#include "risk/riskconfig.h"
#include "risk/riskmodel.h"

#include <QTreeWidget>

// The factor table (DESIGN §4): every number behind the two terms, so a
// reviewer can redo the arithmetic. Two groups: the changed term (one row per
// changed resource: address, node, action, a, e, t, a·e·t) and the impact term
// (one row per impacted node: scored from which changed node at which
// distance, a(s), decay^(d−1), e, t, the product). Group rows carry the sums.
// Item views paint text as plain text; names are escaped for dangerous
// characters.
namespace hp {

class BlastFactorTree : public QTreeWidget
{
    Q_OBJECT

public:
    enum Column { ItemColumn, NodeColumn, ActionColumn, AColumn, DecayColumn, EColumn, TColumn, ValueColumn };

    explicit BlastFactorTree(QWidget *parent = nullptr);

    void setAssessment(const Assessment &assessment, const Topology &topology, const RiskConfig &config);

    QTreeWidgetItem *changedGroup() const { return topLevelItemCount() > 0 ? topLevelItem(0) : nullptr; }
    QTreeWidgetItem *impactGroup() const { return topLevelItemCount() > 1 ? topLevelItem(1) : nullptr; }

    // Tall enough for every row: the tree sits in a scroll area and never scrolls itself.
    QSize sizeHint() const override;

private:
    QTreeWidgetItem *addGroup(const QString &label, const QString &value);
};

} // namespace hp
