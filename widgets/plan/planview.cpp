#include "plan/planview.h"

#include "coverage/seentracker.h"
#include "plan/planbadgedelegate.h"
#include "plan/plantreemodel.h"
#include "review/reviewservice.h"
#include "statusstyle.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QEvent>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace hp {

namespace {

constexpr int kMaxCascadeLines = 6;

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QString cascadeLine(const CascadeLink &link)
{
    const auto join = [](const QString &address, const QString &attribute) {
        return attribute.isEmpty() ? address : address + QLatin1Char('.') + attribute;
    };
    return QStringLiteral("CASCADE  %1 (%2) → %3 (forced %4)")
        .arg(join(link.upstreamAddress, link.upstreamAttribute), toString(link.upstreamAction),
             join(link.dependentAddress, link.dependentAttribute), toString(link.dependentAction));
}

} // namespace

PlanView::PlanView(QWidget *parent)
    : QWidget(parent)
    , m_model(new PlanTreeModel(this))
    , m_tracker(new SeenTracker(this, this))
    , m_itemsTimer(new QTimer(this))
{
    m_planPage = new QWidget(this);
    auto *planLayout = new QVBoxLayout(m_planPage);
    planLayout->setContentsMargins(0, 0, 0, 0);
    planLayout->setSpacing(4);
    planLayout->addWidget(buildHeader());
    planLayout->addWidget(buildFilters());
    planLayout->addWidget(buildTree(), 1);

    m_busyPage = new QWidget(this);
    auto *busyLayout = new QVBoxLayout(m_busyPage);
    m_busyText = plainLabel(m_busyPage);
    m_busyBar = new QProgressBar(m_busyPage);
    m_busyBar->setRange(0, 0); // parsing reports no steps: a busy bar, never a frozen window
    m_busyButton = new QPushButton(m_busyPage);
    m_busyButton->hide();
    connect(m_busyButton, &QPushButton::clicked, this, [this] {
        if (!m_reading) {
            Q_EMIT readingRequested();
            return;
        }
        m_reading = false;
        m_busyBar->hide();
        m_busyText->setText(QStringLiteral("Not shown: reading the plan was cancelled."));
        m_busyButton->setText(QStringLiteral("Show the plan"));
        Q_EMIT readingCancelled();
    });
    busyLayout->addWidget(m_busyText);
    busyLayout->addWidget(m_busyBar);
    busyLayout->addWidget(m_busyButton, 0, Qt::AlignLeft);
    busyLayout->addStretch(1);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(m_planPage);
    m_pages->addWidget(m_busyPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);

    // Coverage: items move when rows open, close or filter; the viewport on scroll.
    m_itemsTimer->setSingleShot(true);
    m_itemsTimer->setInterval(0);
    connect(m_itemsTimer, &QTimer::timeout, this, &PlanView::updateItems);
    connect(m_tree, &QTreeView::expanded, this, &PlanView::scheduleItems);
    connect(m_tree, &QTreeView::collapsed, this, &PlanView::scheduleItems);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PlanView::scheduleItems);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &PlanView::scheduleItems);
    connect(m_tree->verticalScrollBar(), &QScrollBar::valueChanged, this, &PlanView::updateViewport);
    m_tree->viewport()->installEventFilter(this);
    connect(m_tracker, &SeenTracker::seen, this, [this](const QStringList &keys) {
        updateCoverage();
        Q_EMIT itemsSeen(keys);
    });
}

QWidget *PlanView::buildTree()
{
    m_tree = new QTreeView(this);
    m_tree->setModel(m_model);
    m_tree->setItemDelegate(new PlanBadgeDelegate(m_tree));
    m_tree->setUniformRowHeights(true);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->setAccessibleName(QStringLiteral("Plan resources"));
    // The detail column is painted under the subject (two lines a row).
    m_tree->setColumnHidden(PlanTreeModel::DetailColumn, true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->resizeSection(PlanTreeModel::ActionColumn, 160);

    auto *copy = new QAction(QStringLiteral("Copy"), m_tree);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    m_tree->addAction(copy);
    connect(copy, &QAction::triggered, this, &PlanView::copyCurrent);
    return m_tree;
}

QWidget *PlanView::buildHeader()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    m_summary = plainLabel(box);
    m_summary->setFont(StatusStyle::scaled(font(), 1.25, true));
    m_warnings = plainLabel(box);
    m_warnings->setStyleSheet(
        QStringLiteral("QLabel { color: #5c0b0b; background: #fbe3e3; padding: 4px 6px; }"));
    m_cascades = plainLabel(box);
    m_cascades->setFont(StatusStyle::monospace());
    m_cascades->setStyleSheet(QStringLiteral("QLabel { color: #7a3600; }"));
    m_planfile = plainLabel(box);
    m_planfile->setFont(StatusStyle::monospace());
    m_coverage = plainLabel(box);
    // The header never shrinks below its text: the resource list gives way.
    for (QLabel *label : {m_summary, m_warnings, m_cascades, m_planfile, m_coverage})
        label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    layout->addWidget(m_summary);
    layout->addWidget(m_warnings);
    layout->addWidget(m_cascades);
    layout->addWidget(m_planfile);
    layout->addWidget(m_coverage);
    return box;
}

QWidget *PlanView::buildFilters()
{
    auto *box = new QWidget(this);
    auto *layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    m_action = new QComboBox(box);
    m_action->setAccessibleName(QStringLiteral("Filter by action"));
    m_action->addItem(QStringLiteral("All actions"), -1);
    for (PlanGroup g : {PlanGroup::Replace, PlanGroup::Delete, PlanGroup::Update, PlanGroup::Create,
                        PlanGroup::Forget, PlanGroup::Read, PlanGroup::Moved, PlanGroup::Import, PlanGroup::Drift,
                        PlanGroup::Deferred})
        m_action->addItem(badgeText(g).toLower(), static_cast<int>(g));
    m_module = new QComboBox(box);
    m_module->setAccessibleName(QStringLiteral("Filter by module"));
    m_module->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_search = new QLineEdit(box);
    m_search->setPlaceholderText(QStringLiteral("Search address or attribute"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(QStringLiteral("Search the plan"));
    layout->addWidget(m_action);
    layout->addWidget(m_module);
    layout->addWidget(m_search, 1);
    connect(m_action, &QComboBox::currentIndexChanged, this, &PlanView::applyFilters);
    connect(m_module, &QComboBox::currentIndexChanged, this, &PlanView::applyFilters);
    connect(m_search, &QLineEdit::textChanged, this, &PlanView::applyFilters);
    return box;
}

void PlanView::clear()
{
    ++m_generation;
    m_plan.reset();
    m_destructive.clear();
    m_tracker->reset();
    m_model->clear();
    m_pages->setCurrentWidget(m_busyPage);
    m_busyText->clear();
    m_busyBar->hide();
    m_busyButton->hide();
    m_reading = false;
}

void PlanView::showReading(const QString &what)
{
    clear();
    m_busyText->setText(what);
    m_busyBar->show();
    m_busyButton->setText(QStringLiteral("Cancel"));
    m_busyButton->show();
    m_reading = true;
}

void PlanView::showMessage(const QString &message, const QString &planfile)
{
    clear();
    m_busyText->setText(planfile.isEmpty() ? message : message + QLatin1Char('\n') + planfile);
}

void PlanView::showPlan(std::shared_ptr<const ReadPlan> plan, int artifact, const QString &planfile)
{
    clear();
    m_plan = std::move(plan);
    if (!m_plan)
        return;
    m_pages->setCurrentWidget(m_planPage);
    m_planfile->setText(planfile);
    m_planfile->setVisible(!planfile.isEmpty());
    {
        // One model fill for the new plan, not one per reset filter.
        const QSignalBlocker a(m_action), m(m_module), s(m_search);
        m_action->setCurrentIndex(0);
        m_search->clear();
        m_model->setActionFilter(std::nullopt);
        m_model->setSearch(QString());
        m_model->setModuleFilter(QString());
        m_model->setPlan(m_plan, artifact);
        fillFilters();
    }
    m_destructive = m_model->destructiveKeys();
    showHeader();
    updateCoverage();
    m_tree->scrollToTop();
    scheduleItems();
    indexAttributes();
}

// Attribute search needs every resource's attribute diff: a second or more
// for a 20,000-resource plan, so it is built off the GUI thread. The worker
// holds its own reference to the (immutable) plan.
void PlanView::indexAttributes()
{
    const quint64 generation = m_generation;
    QtConcurrent::run([plan = m_plan, changes = m_model->changes()] { return changedAttributePaths(*plan, changes); })
        .then(this, [this, generation](std::vector<QStringList> paths) {
            if (generation != m_generation)
                return;
            m_model->setAttributePaths(std::move(paths));
            if (!m_search->text().trimmed().isEmpty())
                applyFilters();
        });
}

void PlanView::fillFilters()
{
    m_module->clear();
    m_module->addItem(QStringLiteral("All modules"), QString());
    const QStringList modules = m_model->modules();
    for (const QString &module : modules)
        m_module->addItem(module.isEmpty() ? QStringLiteral("(root module)") : module,
                          module.isEmpty() ? QStringLiteral("") : module);
    m_module->setEnabled(modules.size() > 1);
}

void PlanView::applyFilters()
{
    const int group = m_action->currentData().toInt();
    m_model->setActionFilter(group < 0 ? std::nullopt : std::optional(static_cast<PlanGroup>(group)));
    m_model->setModuleFilter(m_module->currentIndex() <= 0 ? QString() : m_module->currentData().toString());
    m_model->setSearch(m_search->text());
    // A resource found by an attribute opens, so the attribute is in sight
    // (the first few: opening thousands would build thousands of diffs).
    constexpr int kMaxOpened = 50;
    std::vector<int> rows = m_model->rowsMatchedByAttribute();
    if (rows.size() > kMaxOpened)
        rows.resize(kMaxOpened);
    for (int row : rows) {
        const QModelIndex index = m_model->index(row, 0);
        if (m_model->canFetchMore(index))
            m_model->fetchMore(index);
        m_tree->expand(index);
    }
}

void PlanView::showHeader()
{
    const PlanSummary &summary = m_plan->summary;
    const Redactor &redactor = m_plan->revisionRedactor;
    m_summary->setText(QStringLiteral("Plan: %1").arg(summary.line));
    QStringList warnings = redactor.redact(summary.warnings);
    for (QString &w : warnings)
        w.prepend(QStringLiteral("⚠ "));
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_warnings->setVisible(!warnings.isEmpty());
    QStringList lines;
    for (const CascadeLink &link : summary.cascades) {
        if (lines.size() == kMaxCascadeLines) {
            lines << QStringLiteral("… and %1 more cascades (expand the resources)")
                         .arg(summary.cascades.size() - kMaxCascadeLines);
            break;
        }
        lines << redactor.redact(cascadeLine(link));
    }
    m_cascades->setText(lines.join(QLatin1Char('\n')));
    m_cascades->setVisible(!lines.isEmpty());
}

int PlanView::seenDestructive() const
{
    return static_cast<int>(std::count_if(m_destructive.cbegin(), m_destructive.cend(),
                                          [this](const QString &k) { return m_tracker->isSeen(k); }));
}

QStringList PlanView::destructiveKeys() const
{
    return m_destructive;
}

void PlanView::markSeen(const QStringList &keys)
{
    m_tracker->markSeen(keys);
    updateCoverage();
}

void PlanView::updateCoverage()
{
    const int total = static_cast<int>(m_destructive.size());
    if (total == 0) {
        m_coverage->setText(QStringLiteral("No destructive resources in this plan."));
        return;
    }
    const int seen = seenDestructive();
    const QString noun = total == 1 ? QStringLiteral("destructive resource")
                                    : QStringLiteral("destructive resources");
    m_coverage->setText(seen == total ? QStringLiteral("Seen all %1 %2.").arg(total).arg(noun)
                                      : QStringLiteral("Seen %1 of %2 %3.").arg(seen).arg(total).arg(noun));
    m_coverage->setStyleSheet(seen == total ? QStringLiteral("QLabel { color: #1f5e24; }")
                                            : QStringLiteral("QLabel { color: #8a1c1c; font-weight: bold; }"));
}

void PlanView::scheduleItems()
{
    m_itemsTimer->start();
}

// Items in content pixels (the tree scrolls per pixel): they move only when
// rows are expanded, collapsed or filtered, not when the view scrolls.
void PlanView::updateItems()
{
    const qint64 offset = m_tree->verticalScrollBar()->value();
    std::vector<TrackedItem> items;
    const int rows = m_model->rowCount();
    for (int row = 0; row < rows; ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const QString key = index.data(PlanTreeModel::CoverageKeyRole).toString();
        if (key.isEmpty())
            continue;
        const QRect rect = m_tree->visualRect(index);
        if (rect.isEmpty())
            continue;
        items.push_back({key, rect.top() + offset, rect.bottom() + 1 + offset});
    }
    m_tracker->setItems(std::move(items));
    updateViewport();
}

void PlanView::updateViewport()
{
    if (!m_plan || !isVisible())
        return;
    const qint64 top = m_tree->verticalScrollBar()->value();
    m_tracker->setViewport(top, top + m_tree->viewport()->height());
}

bool PlanView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_tree->viewport() && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        scheduleItems();
    return QWidget::eventFilter(watched, event);
}

// Rows only count as seen in the active window: when it becomes active, what
// is on screen starts its dwell.
void PlanView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::ActivationChange)
        updateViewport();
    QWidget::changeEvent(event);
}

void PlanView::copyCurrent() const
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return;
    QGuiApplication::clipboard()->setText(m_model->rowText(current));
}

} // namespace hp
