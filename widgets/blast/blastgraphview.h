#pragma once

#include "blast/blastgraphlayout.h"
#include "domain/result.h"
#include "risk/riskmodel.h"

#include <QGraphicsView>
#include <QHash>

class QGraphicsPathItem;

// The blast radius as a graph (DESIGN §9): changed nodes in the left column as
// rectangles filled with their action's colour and naming the action;
// impacted nodes as blue ellipses in the column of their nearest depth; one
// arrow per impacted node along its nearest path (dependent → dependency).
// Shape and colour both tell the two apart. Selecting a node outlines it and
// draws its scoring path dashed, so the path behind its score is visible.
//
// Zoom: Ctrl+wheel, + and −, 0 (or Fit) for the whole graph. A new graph is
// shown whole when that stays readable, else at a readable zoom that fits its
// width where it can, centred on the changed nodes; until the reviewer zooms,
// that choice is re-applied on every resize. Never enlarged beyond 100 %.
namespace hp {

class BlastNodeItem;

class BlastGraphView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit BlastGraphView(QWidget *parent = nullptr);

    void setAssessment(const Assessment &assessment, const Topology &topology);
    void clear();

    // Outlines `nodeId` and draws its scoring path; an empty or unknown id clears the selection.
    void selectNode(const QString &nodeId);
    QString selectedNode() const { return m_selected; }
    int nodeCount() const { return static_cast<int>(m_layout.nodes().size()); }
    const BlastGraphLayout &layout() const { return m_layout; }

    void zoomIn();
    void zoomOut();
    void fitAll(); // the whole graph, however small
    double zoom() const;
    static constexpr double kReadableZoom = 0.6; // below this, labels are hard to read

    // The PNG is the whole graph at up to twice its scene size, on white.
    QSize exportSize() const;
    Status exportPng(const QString &path) const;

Q_SIGNALS:
    void nodeClicked(const QString &nodeId);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    enum class Fit { Readable, Whole, Manual };
    void addEdges();
    void scaleBy(double factor);
    void applyFit();
    void fitReadable();
    double exportScale() const;

    BlastGraphLayout m_layout;
    QHash<QString, BlastNodeItem *> m_items;
    QGraphicsPathItem *m_scoringPath = nullptr;
    QString m_selected;
    Fit m_fit = Fit::Readable;
};

} // namespace hp
