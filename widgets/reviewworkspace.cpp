#include "reviewworkspace.h"

#include "report/evidenceexporter.h"

#include "artifactpane.h"
#include "blast/blastradiusview.h"
#include "changedetailspane.h"
#include "decisionbar.h"
#include "domain/log.h"
#include "itemmodels/changequeuemodel.h"
#include "queuedelegate.h"
#include "review/reviewservice.h"
#include "statusstyle.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace hp {

namespace {

constexpr int kAgeRefreshMs = 30 * 1000;

// Escape in a text field hands the keyboard back to the queue.
void escapeTo(QLineEdit *field, ReviewWorkspace *workspace)
{
    auto *escape =
        new QShortcut(QKeySequence(Qt::Key_Escape), field, nullptr, nullptr, Qt::WidgetShortcut);
    QObject::connect(escape, &QShortcut::activated, workspace, &ReviewWorkspace::focusQueue);
}

} // namespace

ReviewWorkspace::ReviewWorkspace(ReviewService &service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_model(new ChangeQueueModel(this))
{
    m_artifacts = new ArtifactPane(service, this);
    m_details = new ChangeDetailsPane(this);
    m_exporter = new EvidenceExporter(service, this);
    connect(m_details, &ChangeDetailsPane::evidenceReportRequested, m_exporter,
            &EvidenceExporter::exportReport);
    m_blast = new BlastRadiusView(this);
    m_bar = new DecisionBar(service, this);

    // The blast radius sits beside the diff (DESIGN §9); the details share its
    // column as a second tab, so both keep a readable width on a laptop.
    m_side = new QTabWidget(this);
    m_side->setDocumentMode(true);
    m_side->addTab(m_blast, QStringLiteral("Blast radius"));
    m_side->addTab(m_details, QStringLiteral("Details"));
    // Impacted rows the reviewer has seen count for full review (DESIGN §5).
    connect(m_blast, &BlastRadiusView::itemsSeen, this, [this](const QStringList &keys) {
        const QString id = m_blastKey.section(u'/', 0, 0);
        const int revision = m_blastKey.section(u'/', 1, 1).toInt();
        if (id.isEmpty())
            return;
        if (Result<int> recorded = m_service.recordCoverage(id, revision, keys); !recorded) {
            log::ui()->warn("recording review coverage failed: {}", recorded.error().message.toStdString());
            return;
        }
        noteSeen(id, revision, keys);
    });
    connect(m_artifacts, &ArtifactPane::itemsSeen, this, &ReviewWorkspace::noteSeen);
    connect(&service, &ReviewService::requiredCoverageReady, this, [this](const QString &id, int revision) {
        if (id == m_coverageChange && revision == m_coverageRevision)
            updateUnseen();
    });

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(false);
    m_split->addWidget(buildQueuePanel());
    m_split->addWidget(m_artifacts);
    m_split->addWidget(m_side);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 4);
    m_split->setStretchFactor(2, 4);
    m_split->setSizes({600, 430, 410});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_split, 1);
    layout->addWidget(m_bar);

    connect(&service, &ReviewService::changesUpdated, this, &ReviewWorkspace::onChangesUpdated);
    connect(&service, &ReviewService::principalChanged, m_bar, &DecisionBar::applyPrincipal);
    connect(m_bar, &DecisionBar::decisionRequested, this, &ReviewWorkspace::decide);
    connect(m_bar, &DecisionBar::nextUnseenRequested, this, [this] { (void)showNextUnseen(); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ReviewWorkspace::onCurrentRowChanged);
    // A reset (a large filter change) drops the selection; put it back by id.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!m_currentId.isEmpty())
            selectChange(m_currentId);
    });
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setFilterText(text);
        updateCounts();
    });
    m_ageTimer = new QTimer(this);
    connect(m_ageTimer, &QTimer::timeout, m_model, &ChangeQueueModel::refreshAges);
    m_ageTimer->start(kAgeRefreshMs);
    installShortcuts();
    onChangesUpdated(service.changes());
}

QWidget *ReviewWorkspace::buildQueuePanel()
{
    auto *panel = new QWidget(this);
    auto *heading = new QLabel(QStringLiteral("Review queue"), panel);
    heading->setFont(StatusStyle::scaled(font(), 1.1, true));
    m_counts = new QLabel(panel);
    m_counts->setTextFormat(Qt::PlainText);
    QPalette muted = m_counts->palette();
    muted.setColor(QPalette::WindowText, StatusStyle::muted());
    m_counts->setPalette(muted);
    auto *top = new QHBoxLayout;
    top->addWidget(heading);
    top->addStretch(1);
    top->addWidget(m_counts);

    m_filter = new QLineEdit(panel);
    m_filter->setPlaceholderText(
        QStringLiteral("Filter: title, agent, environment, status…   [/]"));
    m_filter->setClearButtonEnabled(true);
    escapeTo(m_filter, this);
    escapeTo(m_bar->reasonEdit(), this);

    m_view = new QTableView(panel);
    m_view->setModel(m_model);
    m_view->setItemDelegate(new QueueDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 14);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ChangeQueueModel::TitleColumn, QHeaderView::Stretch);
    // Agent and environment names are the agents' own words and can be long:
    // fixed widths (elided, resizable) leave the title room to be read.
    const int em = m_view->fontMetrics().horizontalAdvance(u'M');
    header->setSectionResizeMode(ChangeQueueModel::AgentColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(ChangeQueueModel::EnvironmentColumn, QHeaderView::Interactive);
    header->resizeSection(ChangeQueueModel::AgentColumn, 7 * em);
    header->resizeSection(ChangeQueueModel::EnvironmentColumn, 6 * em);
    header->setMinimumSectionSize(36);
    // No indicator: the model's default order (urgency, then age) until a
    // header is clicked.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->setSortingEnabled(true);

    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(6, 6, 0, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    return panel;
}

void ReviewWorkspace::installShortcuts()
{
    // WindowShortcut: active wherever the focus is in this window, except in
    // text fields, which take printable keys first (ShortcutOverride).
    auto add = [this](QChar key, auto slot) {
        auto *shortcut = new QShortcut(QKeySequence(QString(key)), this);
        shortcut->setContext(Qt::WindowShortcut);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    add(QLatin1Char('j'), [this] { selectNext(); });
    add(QLatin1Char('k'), [this] { selectPrevious(); });
    add(QLatin1Char('a'), [this] { m_bar->trigger(DecisionAction::Approve); });
    add(QLatin1Char('r'), [this] { m_bar->trigger(DecisionAction::Reject); });
    add(QLatin1Char('e'), [this] { m_bar->trigger(DecisionAction::Escalate); });
    add(QLatin1Char('/'), [this] { focusFilter(); });
    add(QLatin1Char('s'), [this] { (void)showNextUnseen(); });
}

void ReviewWorkspace::onChangesUpdated(const std::vector<ChangeSummary> &changes)
{
    m_model->setChanges(changes);
    updateCounts();
    if (!m_populated && m_model->rowCount() > 0) {
        m_populated = true;
        if (m_currentId.isEmpty())
            selectFirstPending();
    }
    reloadCurrent();
}

void ReviewWorkspace::updateCounts()
{
    m_counts->setText(m_model->countsText());
}

void ReviewWorkspace::onCurrentRowChanged()
{
    const QString id = m_model->idAt(m_view->currentIndex().row());
    if (id.isEmpty() || id == m_currentId)
        return;
    m_currentId = id;
    reloadCurrent();
}

void ReviewWorkspace::reloadCurrent()
{
    if (m_currentId.isEmpty()) {
        m_artifacts->clear();
        m_details->clear();
        m_blast->clear();
        m_blastKey.clear();
        m_bar->clear();
        m_coverageChange.clear();
        m_seen.clear();
        return;
    }
    Result<ChangeDetail> detail = m_service.loadChange(m_currentId);
    if (!detail) {
        m_details->clear();
        m_artifacts->clear();
        m_blast->clear();
        m_blastKey.clear();
        m_bar->clear();
        m_bar->showResult(DecisionAction::Comment, detail.error());
        return;
    }
    const int shown = detail->revisions.empty() ? 0 : detail->revisions.back().number;
    if (Status viewed = m_service.recordView(m_currentId, shown); !viewed)
        log::ui()->warn("recording the view of {} failed: {}", m_currentId.toStdString(),
                        viewed.error().message.toStdString());
    m_artifacts->setChange(*detail);
    m_details->setChange(*detail);
    showAssessment(*detail);
    m_bar->setChange(*detail);
    refreshReviewState(*detail);
}

void ReviewWorkspace::showAssessment(const ChangeDetail &change)
{
    const QString id = change.summary.id;
    const int revision = change.summary.latestRevision;
    // A queue refresh every 500 ms must not re-read and parse the same
    // assessment: the summary already names its sequence.
    if (change.summary.assessmentSequence > 0
        && QStringLiteral("%1/%2/%3").arg(id).arg(revision).arg(change.summary.assessmentSequence) == m_blastKey)
        return;
    Result<std::optional<StoredAssessment>> stored = m_service.loadAssessment(id, revision);
    if (!stored) {
        m_blastKey.clear();
        m_blast->showMessage(QStringLiteral("The blast radius of revision %1 could not be loaded: %2")
                                 .arg(revision)
                                 .arg(stored.error().message));
        return;
    }
    if (!stored->has_value()) {
        m_blastKey.clear();
        m_blast->showNotAssessed();
        return;
    }
    const StoredAssessment &assessment = **stored;
    const QString key = QStringLiteral("%1/%2/%3").arg(id).arg(revision).arg(assessment.sequence);
    if (key == m_blastKey)
        return; // the queue refreshed; the reviewer's place in the view stays
    // The catalog only names and describes nodes: without it every number
    // and path is still shown, under the nodes' ids.
    Result<Topology> topology = m_service.currentTopology();
    if (!topology)
        log::ui()->warn("reading the topology in force failed: {}", topology.error().message.toStdString());
    BlastSubject subject{change.intent, change.summary.declaredImpact,
                         QStringLiteral("%1/%2").arg(id).arg(revision)};
    m_blast->setAssessment(assessment.assessment, topology ? *topology : Topology(), subject);
    m_blastKey = key;
    if (Result<QStringList> seen = m_service.coverage(id, revision))
        m_blast->markSeen(*seen);
    else
        log::ui()->warn("reading review coverage failed: {}", seen.error().message.toStdString());
}

bool ReviewWorkspace::selectChange(const QString &id)
{
    const int row = m_model->rowForId(id);
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, ChangeQueueModel::RiskColumn);
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
    return true;
}

bool ReviewWorkspace::selectFirstPending()
{
    const int row = m_model->firstPendingRow();
    return selectChange(m_model->idAt(row >= 0 ? row : 0));
}

void ReviewWorkspace::selectNext()
{
    const int row = m_model->rowForId(m_currentId);
    selectChange(m_model->idAt(row < 0 ? 0 : std::min(row + 1, m_model->rowCount() - 1)));
}

void ReviewWorkspace::selectPrevious()
{
    const int row = m_model->rowForId(m_currentId);
    selectChange(m_model->idAt(row < 0 ? 0 : std::max(row - 1, 0)));
}

void ReviewWorkspace::focusQueue()
{
    m_view->setFocus(Qt::ShortcutFocusReason);
}

void ReviewWorkspace::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void ReviewWorkspace::decide(const QString &changeId, DecisionAction action, const QString &reason)
{
    // The service refreshes after recording, which reloads this change (and
    // its decision bar) before the result is shown.
    const Result<DecideResult> result = m_service.decide(changeId, action, reason);
    m_bar->showResult(action, result);
    if (result)
        focusQueue();
}

} // namespace hp
