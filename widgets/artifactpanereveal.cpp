#include "artifactpane.h"

#include "diff/sidebysidediffview.h"
#include "plan/plantreemodel.h"
#include "plan/planview.h"

#include <QScrollBar>
#include <QStackedWidget>
#include <QTreeView>

#include <algorithm>

// ArtifactPane's jump to one coverage item (the decision bar's "Next
// unseen"): the artifact is selected first; its diff is built and its plan
// read asynchronously, so the move itself waits for the view to be ready.
namespace hp {

bool ArtifactPane::revealItem(const QString &key)
{
    const QStringList parts = key.split(QLatin1Char(':'));
    bool ok = false;
    const int artifact = parts.size() >= 3 ? parts.at(1).toInt(&ok) : -1;
    const bool hunk = parts.first() == QLatin1String("hunk") && parts.size() == 4;
    const bool resource = parts.first() == QLatin1String("resource");
    if (!ok || (!hunk && !resource))
        return false;
    m_pendingReveal = key;
    if (currentArtifact() != artifact && !selectArtifact(artifact)) {
        m_pendingReveal.clear();
        return false;
    }
    applyPendingReveal();
    return true;
}

void ArtifactPane::applyPendingReveal()
{
    if (m_pendingReveal.isEmpty())
        return;
    const QStringList parts = m_pendingReveal.split(QLatin1Char(':'));
    if (parts.first() == QLatin1String("hunk")) {
        if (m_diff->isBuilding() || !m_diff->document())
            return; // SideBySideDiffView::ready calls again
        revealHunk(parts.at(2).toInt(), parts.at(3).toInt());
    } else if (!revealResource(m_pendingReveal)) {
        return; // the plan is still being read: showPlan calls again
    }
    m_pendingReveal.clear();
}

bool ArtifactPane::revealHunk(int file, int hunk)
{
    const std::vector<HunkSpan> &hunks = m_diff->layout().hunks();
    int target = -1;
    for (int i = 0; i < static_cast<int>(hunks.size()); ++i) {
        if (hunks[static_cast<size_t>(i)].file == file && hunks[static_cast<size_t>(i)].hunk == hunk)
            target = i;
    }
    if (target < 0)
        return false;
    // The view's own hunk navigation moves the cursor and scrolls, exactly as
    // n and p do; each step moves one hunk, so the walk is bounded.
    for (size_t step = 0; step <= hunks.size() && m_diff->currentHunk() < target; ++step)
        m_diff->nextHunk();
    for (size_t step = 0; step <= hunks.size() && m_diff->currentHunk() > target; ++step)
        m_diff->previousHunk();
    m_pages->setCurrentWidget(m_diff);
    // Navigation only makes the first changed row visible; a hunk counts as
    // seen when all of it is in view, so bring the whole hunk in when it fits.
    const HunkSpan &span = hunks[static_cast<size_t>(target)];
    DiffPane *pane = m_diff->rightPane();
    const int rows = pane->visibleRows();
    const int first = pane->firstVisibleRow();
    if (span.top < first || span.bottom > first + rows) {
        const int spare = std::max(0, rows - (span.bottom - span.top));
        pane->verticalScrollBar()->setValue(std::max(0, span.top - std::min(3, spare / 2)));
    }
    return m_diff->currentHunk() == target;
}

bool ArtifactPane::revealResource(const QString &key)
{
    PlanTreeModel *model = m_planView->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(PlanTreeModel::CoverageKeyRole).toString() != key)
            continue;
        QTreeView *tree = m_planView->tree();
        tree->setCurrentIndex(index);
        tree->scrollTo(index, QAbstractItemView::PositionAtCenter);
        return true;
    }
    return false;
}

} // namespace hp
