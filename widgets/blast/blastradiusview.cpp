#include "blast/blastradiusview.h"

#include "blast/blastfactortree.h"
#include "blast/blastflagspanel.h"
#include "blast/blastgraphview.h"
#include "blast/blastnodes.h"
#include "blast/blastscorebadge.h"
#include "blast/blaststyle.h"
#include "blast/impactednodesmodel.h"
#include "coverage/seentracker.h"
#include "diff/dangeroustext.h"
#include "statusstyle.h"
#include "storage/store.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace hp {

namespace {

QLabel *plainLabel(QWidget *parent, bool wrap = true)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *heading(const QString &text, QWidget *parent)
{
    QLabel *label = plainLabel(parent, false);
    label->setText(text);
    label->setFont(StatusStyle::scaled(parent->font(), 1.05, true));
    return label;
}

void setMuted(QLabel *label)
{
    QPalette p = label->palette();
    p.setColor(QPalette::WindowText, StatusStyle::muted());
    label->setPalette(p);
}

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

// The class the score alone gives, and what raised it: "74 → critical (score ≥ 70)".
QString classLine(const Assessment &a, const RiskConfig &config)
{
    QString line = QStringLiteral("%1 → %2 by score").arg(a.score).arg(toString(a.scoreClass));
    switch (a.scoreClass) {
    case Impact::Low: line += QStringLiteral(" (< %1)").arg(config.thresholdMedium); break;
    case Impact::Medium: line += QStringLiteral(" (%1–%2)").arg(config.thresholdMedium).arg(config.thresholdHigh - 1); break;
    case Impact::High: line += QStringLiteral(" (%1–%2)").arg(config.thresholdHigh).arg(config.thresholdCritical - 1); break;
    case Impact::Critical: line += QStringLiteral(" (≥ %1)").arg(config.thresholdCritical); break;
    }
    if (a.riskClass > a.scoreClass) {
        QStringList raisers;
        for (const RiskFlag &f : a.flags) {
            if (f.floor && *f.floor == a.riskClass)
                raisers << f.code;
        }
        line += QStringLiteral("; raised to %1 by the floor of %2")
                    .arg(toString(a.riskClass), raisers.join(QStringLiteral(", ")));
    }
    line += QStringLiteral(" · effective environment: %1")
                .arg(a.effectiveEnvironment.isEmpty() ? QStringLiteral("(none)") : a.effectiveEnvironment);
    return line;
}

// "a, b, c" — a long list names the first few and counts the rest (all are in the table).
QString nameList(const QStringList &names)
{
    constexpr int kShown = 12;
    if (names.isEmpty())
        return QStringLiteral("none");
    if (names.size() <= kShown)
        return names.join(QStringLiteral(", "));
    return names.mid(0, kShown).join(QStringLiteral(", ")) +
           QStringLiteral(" and %1 more").arg(names.size() - kShown);
}

} // namespace

BlastRadiusView::BlastRadiusView(QWidget *parent)
    : QWidget(parent)
    , m_model(new ImpactedNodesModel(this))
{
    m_stack = new QStackedWidget(this);
    m_message = plainLabel(m_stack);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setMargin(24);
    setMuted(m_message);
    m_stack->addWidget(m_message);

    auto *content = new QWidget(m_stack);
    m_split = new QSplitter(Qt::Vertical, content);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(buildExplanation());
    m_split->addWidget(buildImpacted());
    m_split->addWidget(buildGraph());
    m_split->setStretchFactor(0, 4);
    m_split->setStretchFactor(1, 2);
    m_split->setStretchFactor(2, 4);
    connect(m_split, &QSplitter::splitterMoved, this, [this] { m_userSized = true; });
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(6, 6, 6, 6);
    contentLayout->setSpacing(6);
    contentLayout->addWidget(buildHeader());
    contentLayout->addWidget(m_split, 1);
    m_stack->addWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_tracker = new SeenTracker(m_table, this);
    connect(m_tracker, &SeenTracker::seen, this, [this](const QStringList &keys) {
        updateSeenCount();
        Q_EMIT itemsSeen(keys);
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, &BlastRadiusView::updateViewport);
    connect(m_model, &QAbstractItemModel::layoutChanged, this, &BlastRadiusView::trackRows);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &BlastRadiusView::onRowSelected);
    connect(m_graph, &BlastGraphView::nodeClicked, this, &BlastRadiusView::onNodeClicked);
    m_table->viewport()->installEventFilter(this);
    m_split->installEventFilter(this);
    clear();
}

QWidget *BlastRadiusView::buildHeader()
{
    auto *header = new QWidget(this);
    m_badge = new BlastScoreBadge(header);
    m_arithmetic = plainLabel(header);
    m_arithmetic->setFont(StatusStyle::scaled(font(), 1.05, true));
    m_classLine = plainLabel(header);
    setMuted(m_classLine);
    auto *text = new QVBoxLayout;
    text->setSpacing(4);
    text->addStretch(1);
    text->addWidget(m_arithmetic);
    text->addWidget(m_classLine);
    text->addStretch(1);
    auto *layout = new QHBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    layout->addWidget(m_badge, 0, Qt::AlignTop);
    layout->addLayout(text, 1);
    return header;
}

QWidget *BlastRadiusView::buildExplanation()
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *body = new QWidget(scroll);
    m_flags = new BlastFlagsPanel(body);
    m_intent = plainLabel(body);
    m_declared = plainLabel(body);
    m_reach = plainLabel(body);
    m_factors = new BlastFactorTree(body);
    m_unmappedHeading = heading(QStringLiteral("Unmapped resources (scored as their own node)"), body);
    m_unmapped = plainLabel(body);

    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(0, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(heading(QStringLiteral("Flags"), body));
    layout->addWidget(m_flags);
    layout->addSpacing(4);
    layout->addWidget(heading(QStringLiteral("Intent against impact"), body));
    layout->addWidget(m_intent);
    layout->addWidget(m_declared);
    layout->addWidget(m_reach);
    layout->addSpacing(4);
    layout->addWidget(heading(QStringLiteral("Factors"), body));
    layout->addWidget(m_factors);
    layout->addWidget(m_unmappedHeading);
    layout->addWidget(m_unmapped);
    layout->addStretch(1);
    scroll->setWidget(body);
    return scroll;
}

QWidget *BlastRadiusView::buildImpacted()
{
    auto *panel = new QWidget(this);
    m_impactedHeading = heading(QString(), panel);
    m_seenLabel = plainLabel(panel, false);
    setMuted(m_seenLabel);
    auto *top = new QHBoxLayout;
    top->addWidget(m_impactedHeading);
    top->addStretch(1);
    top->addWidget(m_seenLabel);

    m_table = new QTableView(panel);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 10);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setHighlightSections(false);
    // No indicator: the assessment's order (nearest depth, then id) until a header is clicked.
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);

    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    return panel;
}

QWidget *BlastRadiusView::buildGraph()
{
    auto *panel = new QWidget(this);
    m_graph = new BlastGraphView(panel);
    m_exportResult = plainLabel(panel, false);
    setMuted(m_exportResult);
    QToolButton *out = toolButton(QStringLiteral("−"), QStringLiteral("Zoom out (−)"), panel);
    QToolButton *in = toolButton(QStringLiteral("+"), QStringLiteral("Zoom in (+, Ctrl+wheel)"), panel);
    QToolButton *fit = toolButton(QStringLiteral("Fit"), QStringLiteral("Fit the graph to the view (0)"), panel);
    QToolButton *png = toolButton(QStringLiteral("Export PNG…"), QStringLiteral("Save the graph as a PNG image"), panel);
    connect(out, &QToolButton::clicked, m_graph, &BlastGraphView::zoomOut);
    connect(in, &QToolButton::clicked, m_graph, &BlastGraphView::zoomIn);
    connect(fit, &QToolButton::clicked, m_graph, &BlastGraphView::fitAll);
    connect(png, &QToolButton::clicked, this, &BlastRadiusView::exportGraph);

    auto *top = new QHBoxLayout;
    top->setSpacing(2);
    top->addWidget(heading(QStringLiteral("Graph"), panel));
    // Under the graph, wrapping in a narrow column.
    QLabel *legend = plainLabel(panel);
    legend->setText(QStringLiteral("▭ changed (action)   ◯ impacted (depth · a·decay·e·t)   → depends on   "
                                   "┄ scoring path of the selected node"));
    setMuted(legend);
    m_exportResult->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    top->addSpacing(8);
    top->addWidget(m_exportResult, 1);
    top->addWidget(out);
    top->addWidget(in);
    top->addWidget(fit);
    top->addWidget(png);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(m_graph, 1);
    layout->addWidget(legend);
    return panel;
}

void BlastRadiusView::setAssessment(const Assessment &assessment, const Topology &topology,
                                    const BlastSubject &subject, const RiskConfig &config)
{
    if (subject.coverageScope.isEmpty() || subject.coverageScope != m_scope)
        m_tracker->reset();
    m_scope = subject.coverageScope;
    fillHeader(assessment, config);
    m_flags->setFlags(assessment, subject.declaredImpact);
    fillIntent(assessment, topology, subject);
    m_factors->setAssessment(assessment, topology, config);
    fillUnmapped(assessment, topology);
    m_model->setAssessment(assessment, topology);
    m_impactedHeading->setText(QStringLiteral("Impacted nodes (%1)").arg(assessment.impacted.size()));
    m_graph->setAssessment(assessment, topology);
    m_exportResult->clear();
    m_stack->setCurrentIndex(1);
    sizePanes();
    trackRows();
}

void BlastRadiusView::sizePanes()
{
    // The table as tall as its rows (within bounds), the rest shared by the
    // explanation and the graph, which needs height to stay readable.
    const int total = m_split->height();
    if (m_userSized || total <= 0)
        return;
    const int rowsHeight = m_table->horizontalHeader()->sizeHint().height() +
                           m_model->rowCount() * m_table->verticalHeader()->defaultSectionSize() +
                           m_table->horizontalScrollBar()->sizeHint().height() + 2 * m_table->frameWidth() +
                           m_impactedHeading->sizeHint().height() + 8;
    const int table = std::clamp(rowsHeight, 110, total / 3);
    const int rest = total - table - 2 * m_split->handleWidth();
    m_split->setSizes({rest * 9 / 20, table, rest - rest * 9 / 20});
}

void BlastRadiusView::fillHeader(const Assessment &a, const RiskConfig &config)
{
    m_badge->setScore(a.score, a.riskClass);
    m_arithmetic->setText(QStringLiteral("changed %1 + impact %2 → score = round(100·(1−e^(−%3/%4))) = %5")
                              .arg(formatTerm(a.changedTerm), formatTerm(a.impactTerm),
                                   formatTerm(a.changedTerm + a.impactTerm), formatFactor(config.divisor))
                              .arg(a.score));
    m_classLine->setText(classLine(a, config));
}

void BlastRadiusView::fillIntent(const Assessment &a, const Topology &topology, const BlastSubject &subject)
{
    const QString intent = subject.intent.trimmed();
    m_intent->setText(QStringLiteral("Agent's intent: ") +
                      (intent.isEmpty() ? QStringLiteral("(none given)")
                                        : diff::DangerousText::escapedString(intent)));
    const QString declared = subject.declaredImpact ? toString(*subject.declaredImpact)
                                                    : QStringLiteral("(not declared)");
    const bool mismatch = subject.declaredImpact && a.riskClass > *subject.declaredImpact;
    m_declared->setText(QStringLiteral("Declared impact: %1   ·   computed: %2 (%3)%4")
                            .arg(declared, toString(a.riskClass))
                            .arg(a.score)
                            .arg(mismatch ? QStringLiteral("   — the agent understated it") : QString()));
    QPalette p = m_declared->palette();
    p.setColor(QPalette::WindowText, mismatch ? BlastStyle::riskClass(Impact::Critical).background
                                              : palette().color(QPalette::WindowText));
    m_declared->setPalette(p);
    m_declared->setFont(StatusStyle::scaled(font(), 1.0, mismatch));

    QStringList changed;
    for (const QString &id : a.changedNodes)
        changed << blastNodeInfo(id, topology).name;
    QStringList impacted;
    for (const ImpactedNode &n : a.impacted)
        impacted << blastNodeInfo(n.nodeId, topology).name;
    m_reach->setText(QStringLiteral("Changes: %1\nImpacted beyond the change: %2")
                         .arg(nameList(changed), nameList(impacted)));
}

void BlastRadiusView::fillUnmapped(const Assessment &a, const Topology &topology)
{
    QStringList lines;
    for (const ChangedContribution &c : a.changed) {
        if (isOwnNode(c.nodeId))
            lines << QStringLiteral("• %1 (%2) → %3")
                         .arg(diff::DangerousText::escapedString(c.address), toString(c.action),
                              blastNodeInfo(c.nodeId, topology).id);
    }
    m_unmapped->setText(lines.join(u'\n'));
    m_unmappedHeading->setVisible(!lines.isEmpty());
    m_unmapped->setVisible(!lines.isEmpty());
}

void BlastRadiusView::showNotAssessed()
{
    clear();
    m_message->setText(QStringLiteral("Not assessed yet.\n\nThis revision has no risk assessment: it is computed "
                                      "at submission and again whenever the topology or the policy changes."));
}

void BlastRadiusView::showMessage(const QString &message)
{
    clear();
    m_message->setText(message);
}

void BlastRadiusView::clear()
{
    m_tracker->reset();
    m_scope.clear();
    m_model->clear();
    m_graph->clear();
    m_flags->clear();
    m_factors->clear();
    m_message->setText(QStringLiteral("No change selected."));
    m_stack->setCurrentIndex(0);
}

bool BlastRadiusView::hasAssessment() const
{
    return m_stack->currentIndex() == 1;
}

QString BlastRadiusView::messageText() const
{
    return hasAssessment() ? QString() : m_message->text();
}

void BlastRadiusView::markSeen(const QStringList &keys)
{
    m_tracker->markSeen(keys);
    updateSeenCount();
}

void BlastRadiusView::exportGraph()
{
    const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export the graph"),
                                                      QStringLiteral("blast-radius.png"),
                                                      QStringLiteral("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    const Status done = m_graph->exportPng(path);
    m_exportResult->setText(done ? QStringLiteral("Saved.") : done.error().message);
}

void BlastRadiusView::onRowSelected()
{
    m_graph->selectNode(m_model->nodeAt(m_table->currentIndex().row()));
}

bool BlastRadiusView::revealNode(const QString &nodeId)
{
    if (m_model->rowForNode(nodeId) < 0)
        return false;
    onNodeClicked(nodeId);
    return true;
}

void BlastRadiusView::onNodeClicked(const QString &nodeId)
{
    const int row = m_model->rowForNode(nodeId);
    if (row < 0) { // a changed node: no row of its own
        m_table->clearSelection();
        return;
    }
    const QModelIndex index = m_model->index(row, ImpactedNodesModel::NameColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
}

void BlastRadiusView::trackRows()
{
    // Rows are the units; a sort moves items, so they are given again (seen keys stay seen).
    std::vector<TrackedItem> items;
    items.reserve(static_cast<size_t>(m_model->rowCount()));
    for (int row = 0; row < m_model->rowCount(); ++row)
        items.push_back(TrackedItem{coverage::nodeKey(m_model->nodeAt(row)), row, row + 1});
    m_tracker->setItems(std::move(items));
    updateSeenCount();
    updateViewport();
}

void BlastRadiusView::updateViewport()
{
    const int rows = m_model->rowCount();
    const int height = m_table->viewport()->height();
    if (rows == 0 || height <= 0 || !m_table->isVisible())
        return;
    // Only rows entirely inside the viewport count: [first, last].
    int first = m_table->rowAt(0);
    if (first >= 0 && m_table->rowViewportPosition(first) < 0)
        ++first;
    int last = m_table->rowAt(height - 1);
    if (last < 0)
        last = rows - 1;
    if (m_table->rowViewportPosition(last) + m_table->rowHeight(last) > height)
        --last;
    if (first < 0 || last < first)
        m_tracker->setViewport(0, 0);
    else
        m_tracker->setViewport(first, last + 1);
}

void BlastRadiusView::updateSeenCount()
{
    const int total = m_tracker->total();
    m_seenLabel->setText(total == 0 ? QString()
                                    : QStringLiteral("seen %1 of %2").arg(m_tracker->seenCount()).arg(total));
}

bool BlastRadiusView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        updateViewport();
    if (watched == m_split && event->type() == QEvent::Resize && hasAssessment())
        sizePanes();
    return QWidget::eventFilter(watched, event);
}

} // namespace hp
