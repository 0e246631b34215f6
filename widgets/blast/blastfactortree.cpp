#include "blast/blastfactortree.h"

#include "blast/blastnodes.h"
#include "diff/dangeroustext.h"

#include <QHeaderView>
#include <QScrollBar>

namespace hp {

BlastFactorTree::BlastFactorTree(QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(ValueColumn + 1);
    setHeaderLabels({QStringLiteral("Resource / node"), QStringLiteral("Node / scored from"),
                     QStringLiteral("Action"), QStringLiteral("a"), QStringLiteral("decay"),
                     QStringLiteral("e"), QStringLiteral("t"), QStringLiteral("value")});
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    setFocusPolicy(Qt::NoFocus);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    header()->setSectionsMovable(false);
}

QTreeWidgetItem *BlastFactorTree::addGroup(const QString &label, const QString &value)
{
    auto *group = new QTreeWidgetItem(this);
    group->setText(ItemColumn, label);
    group->setText(ValueColumn, value);
    group->setFirstColumnSpanned(false);
    QFont bold = font();
    bold.setBold(true);
    for (int c = 0; c <= ValueColumn; ++c)
        group->setFont(c, bold);
    return group;
}

void BlastFactorTree::setAssessment(const Assessment &a, const Topology &topology, const RiskConfig &config)
{
    clear();
    const auto alignNumbers = [](QTreeWidgetItem *item) {
        for (int c = AColumn; c <= ValueColumn; ++c)
            item->setTextAlignment(c, Qt::AlignRight | Qt::AlignVCenter);
    };
    QTreeWidgetItem *changed = addGroup(QStringLiteral("Changed term (Σ a·e·t)"), formatTerm(a.changedTerm));
    alignNumbers(changed);
    for (const ChangedContribution &c : a.changed) {
        auto *row = new QTreeWidgetItem(changed);
        row->setText(ItemColumn, diff::DangerousText::escapedString(c.address));
        row->setText(NodeColumn, blastNodeInfo(c.nodeId, topology).name);
        row->setText(ActionColumn, toString(c.action));
        row->setText(AColumn, formatFactor(c.a));
        row->setText(EColumn, formatFactor(c.e));
        row->setText(TColumn, formatFactor(c.t));
        row->setText(ValueColumn, formatTerm(c.value));
        alignNumbers(row);
    }
    double sum = 0;
    for (const ImpactedNode &n : a.impacted)
        sum += n.value;
    QTreeWidgetItem *impact = addGroup(
        QStringLiteral("Impact term (%1 × %2)").arg(formatFactor(config.impactFactor), formatTerm(sum)),
        formatTerm(a.impactTerm));
    alignNumbers(impact);
    for (const ImpactedNode &n : a.impacted) {
        auto *row = new QTreeWidgetItem(impact);
        row->setText(ItemColumn, blastNodeInfo(n.nodeId, topology).name);
        row->setText(NodeColumn, QStringLiteral("%1 (distance %2)")
                                     .arg(blastNodeInfo(n.scoringSource, topology).name)
                                     .arg(n.scoringDistance));
        row->setText(AColumn, formatFactor(n.a));
        row->setText(DecayColumn, formatFactor(n.decay));
        row->setText(EColumn, formatFactor(n.e));
        row->setText(TColumn, formatFactor(n.t));
        row->setText(ValueColumn, formatTerm(n.value));
        alignNumbers(row);
    }
    expandAll();
    updateGeometry();
}

QSize BlastFactorTree::sizeHint() const
{
    int rows = 0;
    for (int i = 0; i < topLevelItemCount(); ++i)
        rows += 1 + topLevelItem(i)->childCount();
    const int rowHeight = std::max(fontMetrics().height() + 6, rows > 0 ? sizeHintForRow(0) : 0);
    // Room for the horizontal scroll bar, which shows in a narrow column.
    const int scrollBar = horizontalScrollBar()->sizeHint().height();
    const int height = header()->sizeHint().height() + rows * rowHeight + 2 * frameWidth() + scrollBar + 2;
    return QSize(QTreeWidget::sizeHint().width(), height);
}

} // namespace hp
