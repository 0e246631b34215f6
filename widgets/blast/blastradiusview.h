#pragma once

#include "risk/riskconfig.h"
#include "risk/riskmodel.h"

#include <QWidget>

#include <optional>

class QLabel;
class QSplitter;
class QStackedWidget;
class QTableView;

// The blast radius beside the diff (DESIGN §9 Review, §4): the score on its
// class colour with the arithmetic a reviewer can redo, the flags with their
// evidence and floors, the agent's intent against the computed impact, the
// factor table, unmapped resources, the impacted-nodes table and the graph.
// Selecting a node in the graph selects its row, and the other way round.
//
// Coverage (DESIGN §5 "seen"): each impacted row is one item,
// coverage::nodeKey(node id), tracked in rows of the table; newly seen keys
// are announced by itemsSeen.
//
// It shows what it is given; loading is the workspace's job. Without an
// assessment it says so ("Not assessed yet") or shows why loading failed.
namespace hp {

class BlastFactorTree;
class BlastFlagsPanel;
class BlastGraphView;
class BlastScoreBadge;
class ImpactedNodesModel;
class SeenTracker;

// What the view shows beside the assessment, from the change itself.
struct BlastSubject
{
    QString intent; // as the agent sent it
    std::optional<Impact> declaredImpact;
    // Identifies the revision whose rows are tracked: seen rows stay seen while it is the same.
    QString coverageScope;
};

class BlastRadiusView : public QWidget
{
    Q_OBJECT

public:
    explicit BlastRadiusView(QWidget *parent = nullptr);

    void setAssessment(const Assessment &assessment, const Topology &topology, const BlastSubject &subject,
                       const RiskConfig &config = {});
    void showNotAssessed();
    void showMessage(const QString &message); // plain text, e.g. why loading failed
    void clear();                             // nothing selected

    bool hasAssessment() const;
    QString messageText() const;
    void markSeen(const QStringList &keys); // seen earlier, from the store
    // Selects and scrolls to the impacted-node row of `nodeId` (the
    // decision bar's "Next unseen"); false when no row has it.
    bool revealNode(const QString &nodeId);

    BlastScoreBadge *scoreBadge() const { return m_badge; }
    QLabel *arithmeticLabel() const { return m_arithmetic; }
    BlastFlagsPanel *flagsPanel() const { return m_flags; }
    BlastFactorTree *factorTree() const { return m_factors; }
    QTableView *impactedView() const { return m_table; }
    ImpactedNodesModel *impactedModel() const { return m_model; }
    BlastGraphView *graphView() const { return m_graph; }
    SeenTracker *seenTracker() const { return m_tracker; }

Q_SIGNALS:
    void itemsSeen(const QStringList &keys);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildHeader();
    QWidget *buildExplanation();
    QWidget *buildImpacted();
    QWidget *buildGraph();
    void fillHeader(const Assessment &a, const RiskConfig &config);
    void fillIntent(const Assessment &a, const Topology &topology, const BlastSubject &subject);
    void fillUnmapped(const Assessment &a, const Topology &topology);
    void exportGraph();
    void onRowSelected();
    void onNodeClicked(const QString &nodeId);
    void trackRows();
    void updateViewport();
    void updateSeenCount();
    void sizePanes();

    QStackedWidget *m_stack = nullptr;
    QSplitter *m_split = nullptr;
    bool m_userSized = false; // the reviewer moved the splitter: leave it
    QLabel *m_message = nullptr;
    BlastScoreBadge *m_badge = nullptr;
    QLabel *m_arithmetic = nullptr;
    QLabel *m_classLine = nullptr;
    BlastFlagsPanel *m_flags = nullptr;
    QLabel *m_intent = nullptr;
    QLabel *m_declared = nullptr;
    QLabel *m_reach = nullptr;
    BlastFactorTree *m_factors = nullptr;
    QLabel *m_unmappedHeading = nullptr;
    QLabel *m_unmapped = nullptr;
    QLabel *m_impactedHeading = nullptr;
    QLabel *m_seenLabel = nullptr;
    QTableView *m_table = nullptr;
    ImpactedNodesModel *m_model = nullptr;
    BlastGraphView *m_graph = nullptr;
    QLabel *m_exportResult = nullptr;
    SeenTracker *m_tracker = nullptr;
    QString m_scope;
};

} // namespace hp
