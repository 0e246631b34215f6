#include "diff/sidebysidediffview.h"

#include "coverage/seentracker.h"
#include "diff/dangeroustext.h"
#include "statusstyle.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace hp {

namespace {

enum FileColumn { StatusColumn, NameColumn, AddedColumn, RemovedColumn, UnseenColumn, FileColumns };
enum StackPage { MessagePage, PanesPage };

QString plural(int n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

} // namespace

SideBySideDiffView::SideBySideDiffView(QWidget *parent)
    : QWidget(parent)
{
    m_tracker = new SeenTracker(this, this);
    m_left = new DiffPane(m_state, PaneSide::Left, this);
    m_right = new DiffPane(m_state, PaneSide::Right, this);
    m_left->setAccessibleName(QStringLiteral("Before"));
    m_right->setAccessibleName(QStringLiteral("After"));
    // One vertical scrollbar shows; the left one still moves with it.
    m_left->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_right->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);

    m_files = new QTreeWidget(this);
    m_files->setColumnCount(FileColumns);
    m_files->setHeaderLabels({QString(), QStringLiteral("File"), QStringLiteral("+"),
                              QStringLiteral("−"), QStringLiteral("Unseen")});
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->header()->setStretchLastSection(false);
    m_files->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_files->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);

    auto *panes = new QSplitter(Qt::Horizontal, this);
    panes->addWidget(m_left);
    panes->addWidget(m_right);
    panes->setChildrenCollapsible(false);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(buildProgressPage());
    m_stack->addWidget(panes);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_files);
    split->addWidget(m_stack);
    split->setStretchFactor(1, 1);
    split->setSizes({90, 600});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(buildHeader());
    layout->addWidget(buildBanner());
    layout->addWidget(buildFindBar());
    layout->addWidget(split, 1);

    connectPanes();
    installShortcuts();
    connect(m_tracker, &SeenTracker::seen, this, [this](const QStringList &keys) {
        updateSeenViews();
        Q_EMIT itemsSeen(keys);
    });
    connect(m_files, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const int header = m_state.layout.fileHeader(item->data(NameColumn, Qt::UserRole).toInt());
        setCursor(header, true);
        m_right->verticalScrollBar()->setValue(header);
    });
    clear();
}

SideBySideDiffView::~SideBySideDiffView()
{
    cancelBuild();
}

QWidget *SideBySideDiffView::buildHeader()
{
    auto *box = new QWidget(this);
    auto *row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(box);
    m_summary->setTextFormat(Qt::PlainText);
    m_seen = new QLabel(box);
    m_seen->setTextFormat(Qt::PlainText);
    m_seen->setAccessibleName(QStringLiteral("Review coverage"));
    m_unifiedButton = new QToolButton(box);
    m_unifiedButton->setText(QStringLiteral("Unified (u)"));
    m_unifiedButton->setCheckable(true);
    m_unifiedButton->setToolTip(QStringLiteral("Show one column, removed lines above added ones"));
    connect(m_unifiedButton, &QToolButton::toggled, this, &SideBySideDiffView::setUnified);
    auto *hint = new QLabel(QStringLiteral("n/p hunk · N/P file · Ctrl+F find"), box);
    hint->setTextFormat(Qt::PlainText);
    QPalette muted = hint->palette();
    muted.setColor(QPalette::WindowText, StatusStyle::muted());
    hint->setPalette(muted);
    row->addWidget(m_summary);
    row->addStretch(1);
    row->addWidget(hint);
    row->addSpacing(12);
    row->addWidget(m_seen);
    row->addWidget(m_unifiedButton);
    return box;
}

QWidget *SideBySideDiffView::buildBanner()
{
    m_banner = new QWidget(this);
    m_banner->setObjectName(QStringLiteral("dangerBanner"));
    m_banner->setStyleSheet(QStringLiteral(
        "#dangerBanner { background: #b42318; } #dangerBanner QLabel { color: white; font-weight: bold; }"));
    m_banner->setAttribute(Qt::WA_StyledBackground);
    auto *row = new QHBoxLayout(m_banner);
    row->setContentsMargins(8, 4, 8, 4);
    m_bannerLabel = new QLabel(m_banner);
    m_bannerLabel->setTextFormat(Qt::PlainText);
    m_bannerLabel->setWordWrap(true);
    auto *next = new QPushButton(QStringLiteral("Show next"), m_banner);
    next->setToolTip(QStringLiteral("Go to the next hidden or control character"));
    connect(next, &QPushButton::clicked, this, &SideBySideDiffView::nextDanger);
    row->addWidget(m_bannerLabel, 1);
    row->addWidget(next);
    return m_banner;
}

QWidget *SideBySideDiffView::buildFindBar()
{
    m_findBar = new QWidget(this);
    auto *row = new QHBoxLayout(m_findBar);
    row->setContentsMargins(0, 0, 0, 0);
    m_findField = new QLineEdit(m_findBar);
    m_findField->setPlaceholderText(QStringLiteral("Find in diff"));
    m_findField->setClearButtonEnabled(true);
    m_findStatus = new QLabel(m_findBar);
    m_findStatus->setTextFormat(Qt::PlainText);
    auto *previous = new QToolButton(m_findBar);
    previous->setText(QStringLiteral("Previous"));
    auto *next = new QToolButton(m_findBar);
    next->setText(QStringLiteral("Next"));
    auto *close = new QToolButton(m_findBar);
    close->setText(QStringLiteral("Close"));
    row->addWidget(new QLabel(QStringLiteral("Find"), m_findBar));
    row->addWidget(m_findField, 1);
    row->addWidget(m_findStatus);
    row->addWidget(previous);
    row->addWidget(next);
    row->addWidget(close);
    connect(m_findField, &QLineEdit::textChanged, this, &SideBySideDiffView::find);
    connect(m_findField, &QLineEdit::returnPressed, this, &SideBySideDiffView::findNext);
    connect(next, &QToolButton::clicked, this, &SideBySideDiffView::findNext);
    connect(previous, &QToolButton::clicked, this, &SideBySideDiffView::findPrevious);
    connect(close, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        find(QString());
        activePane()->setFocus();
    });
    m_findBar->hide();
    return m_findBar;
}

QWidget *SideBySideDiffView::buildProgressPage()
{
    auto *page = new QWidget(this);
    auto *column = new QVBoxLayout(page);
    m_message = new QLabel(page);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setWordWrap(true);
    m_progress = new QProgressBar(page);
    m_cancel = new QPushButton(QStringLiteral("Cancel"), page);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        cancelBuild();
        m_message->setText(QStringLiteral("Building the diff was cancelled."));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_progress, 1);
    row->addWidget(m_cancel);
    column->addStretch(1);
    column->addWidget(m_message);
    column->addLayout(row);
    column->addStretch(2);
    return page;
}

void SideBySideDiffView::connectPanes()
{
    const auto sync = [this](QScrollBar *from, QScrollBar *to) {
        connect(from, &QScrollBar::valueChanged, this, [this, to](int value) {
            if (m_syncing)
                return;
            m_syncing = true;
            to->setValue(value);
            m_syncing = false;
        });
    };
    sync(m_left->verticalScrollBar(), m_right->verticalScrollBar());
    sync(m_right->verticalScrollBar(), m_left->verticalScrollBar());
    sync(m_left->horizontalScrollBar(), m_right->horizontalScrollBar());
    sync(m_right->horizontalScrollBar(), m_left->horizontalScrollBar());
    for (DiffPane *pane : {m_left, m_right}) {
        pane->installEventFilter(this);
        connect(pane, &DiffPane::rowPressed, this, [this, pane](int row, bool extend) {
            const int anchor = extend && m_state.selectionAnchor >= 0 ? m_state.selectionAnchor : row;
            setCursor(row, pane->isRightSide());
            m_state.selectionAnchor = anchor;
            m_state.selectionEnd = row;
            m_left->viewport()->update();
            m_right->viewport()->update();
        });
        connect(pane, &DiffPane::rowDragged, this, [this](int row) {
            m_state.selectionEnd = row;
            m_state.cursor = row;
            m_left->viewport()->update();
            m_right->viewport()->update();
        });
        connect(pane, &DiffPane::rowActivated, this, &SideBySideDiffView::openFold);
    }
    connect(m_right, &DiffPane::viewportMoved, this, &SideBySideDiffView::updateCoverage);
}

void SideBySideDiffView::installShortcuts()
{
    // Window-wide like the other review keys (DESIGN §9): text fields take
    // printable keys first, so typing into a reason or the find field is safe.
    const auto add = [this](const QKeySequence &key, Qt::ShortcutContext context, auto slot) {
        auto *shortcut = new QShortcut(key, this);
        shortcut->setContext(context);
        connect(shortcut, &QShortcut::activated, this, slot);
    };
    const Qt::ShortcutContext window = Qt::WindowShortcut;
    const Qt::ShortcutContext here = Qt::WidgetWithChildrenShortcut;
    add(QKeySequence(Qt::Key_N), window, [this] { nextHunk(); });
    add(QKeySequence(Qt::Key_P), window, [this] { previousHunk(); });
    add(QKeySequence(Qt::SHIFT | Qt::Key_N), window, [this] { nextFile(); });
    add(QKeySequence(Qt::SHIFT | Qt::Key_P), window, [this] { previousFile(); });
    add(QKeySequence(Qt::Key_BracketRight), window, [this] { nextFile(); });
    add(QKeySequence(Qt::Key_BracketLeft), window, [this] { previousFile(); });
    add(QKeySequence(Qt::Key_U), window, [this] { setUnified(!isUnified()); });
    add(QKeySequence::Find, here, [this] { showFind(); });
    add(QKeySequence::FindNext, here, [this] { findNext(); });
    add(QKeySequence::FindPrevious, here, [this] { findPrevious(); });
    auto *escape = new QShortcut(QKeySequence(Qt::Key_Escape), m_findField, nullptr, nullptr,
                                 Qt::WidgetShortcut);
    connect(escape, &QShortcut::activated, this, [this] {
        m_findBar->hide();
        activePane()->setFocus();
    });
}

// The same keys when they reach a pane without passing the shortcut map
// (no active window, as under the offscreen platform).
bool SideBySideDiffView::handleKey(const QKeyEvent &key)
{
    const bool shift = key.modifiers().testFlag(Qt::ShiftModifier);
    if (key.matches(QKeySequence::Copy)) {
        copySelection();
        return true;
    }
    if (key.matches(QKeySequence::Find)) {
        showFind();
        return true;
    }
    if (key.matches(QKeySequence::FindNext) || key.matches(QKeySequence::FindPrevious)) {
        key.matches(QKeySequence::FindNext) ? findNext() : findPrevious();
        return true;
    }
    if (key.modifiers() & ~(Qt::ShiftModifier | Qt::KeypadModifier))
        return false;
    switch (key.key()) {
    case Qt::Key_N: shift ? nextFile() : nextHunk(); return true;
    case Qt::Key_P: shift ? previousFile() : previousHunk(); return true;
    case Qt::Key_BracketRight: nextFile(); return true;
    case Qt::Key_BracketLeft: previousFile(); return true;
    case Qt::Key_U: setUnified(!isUnified()); return true;
    case Qt::Key_Down:
    case Qt::Key_Up: {
        // The current row moves (Enter opens a fold there); the view follows it.
        const int step = key.key() == Qt::Key_Down ? 1 : -1;
        const int row = std::clamp(m_state.cursor + step, 0, std::max(0, m_state.layout.count() - 1));
        setCursor(row, activePane()->isRightSide());
        m_right->revealRow(row);
        return true;
    }
    default: return false;
    }
}

bool SideBySideDiffView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::KeyPress && (watched == m_left || watched == m_right))
        return handleKey(*static_cast<QKeyEvent *>(event));
    return QWidget::eventFilter(watched, event);
}

DiffPane *SideBySideDiffView::activePane() const
{
    return m_left->hasFocus() ? m_left : m_right;
}

void SideBySideDiffView::clear()
{
    cancelBuild();
    m_state.doc.reset();
    m_state.layout.clear();
    m_state.cursor = m_state.selectionAnchor = m_state.selectionEnd = m_state.matchRow = -1;
    m_state.unseenHunks.clear();
    m_opened.clear();
    m_matches.clear();
    m_matchIndex = m_dangerIndex = -1;
    m_tracker->reset();
    m_files->clear();
    m_summary->clear();
    m_seen->clear();
    m_message->clear();
    m_progress->hide();
    m_cancel->hide();
    m_stack->setCurrentIndex(MessagePage);
    m_left->relayout();
    m_right->relayout();
    updateBanner();
}

void SideBySideDiffView::setContext(const QString &title, const QString &intent)
{
    const auto count = [](const QString &text) {
        return static_cast<int>(diff::DangerousText::scan(QByteArrayView(text.toUtf8())).size());
    };
    const int inTitle = count(title);
    const int inIntent = count(intent);
    m_contextDangers = inTitle + inIntent;
    QStringList where;
    if (inTitle > 0)
        where << QStringLiteral("the title");
    if (inIntent > 0)
        where << QStringLiteral("the intent");
    m_contextWhere = where.join(QStringLiteral(" and "));
    updateBanner();
}

void SideBySideDiffView::setArtifact(int artifactIndex, const DiffInput &input)
{
    clear();
    m_artifact = artifactIndex;
    m_message->setText(QStringLiteral("Building the diff…"));
    m_progress->setRange(0, 0);
    m_progress->show();
    m_cancel->show();
    m_future = QtConcurrent::run(&DiffDocument::build, input);
    m_watcher = new QFutureWatcher<std::shared_ptr<const DiffDocument>>(this);
    connect(m_watcher, &QFutureWatcherBase::progressRangeChanged, m_progress, &QProgressBar::setRange);
    connect(m_watcher, &QFutureWatcherBase::progressValueChanged, this, [this](int value) {
        m_progress->setValue(value);
        Q_EMIT buildProgress(value, m_progress->maximum());
    });
    connect(m_watcher, &QFutureWatcherBase::finished, this, &SideBySideDiffView::onBuilt);
    m_watcher->setFuture(m_future);
}

bool SideBySideDiffView::isBuilding() const
{
    return m_watcher != nullptr && !m_future.isFinished();
}

void SideBySideDiffView::cancelBuild()
{
    if (!m_watcher)
        return;
    // The worker notices at its next step and adds no result; its watcher
    // goes now, so a late finish never reaches this view.
    m_watcher->disconnect(this);
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_future.cancel();
    m_progress->hide();
    m_cancel->hide();
}

void SideBySideDiffView::onBuilt()
{
    const QFuture<std::shared_ptr<const DiffDocument>> future = m_future;
    m_watcher->deleteLater();
    m_watcher = nullptr;
    m_progress->hide();
    m_cancel->hide();
    if (future.isCanceled() || future.resultCount() == 0) {
        m_message->setText(QStringLiteral("Building the diff was cancelled."));
        return;
    }
    std::shared_ptr<const DiffDocument> doc = future.result();
    if (!doc->error.isEmpty()) {
        m_message->setText(QStringLiteral("Not shown as a diff: %1").arg(doc->error));
        Q_EMIT failed(doc->error);
        return;
    }
    showDocument(std::move(doc));
    Q_EMIT ready();
}

void SideBySideDiffView::showDocument(std::shared_ptr<const DiffDocument> doc)
{
    m_state.doc = std::move(doc);
    int additions = 0;
    int deletions = 0;
    for (const DiffFile &f : m_state.doc->files) {
        additions += f.rows.additions;
        deletions += f.rows.deletions;
    }
    m_summary->setText(QStringLiteral("%1 · +%2 −%3")
                           .arg(plural(static_cast<int>(m_state.doc->files.size()), QStringLiteral("file"),
                                       QStringLiteral("files")))
                           .arg(additions)
                           .arg(deletions));
    m_stack->setCurrentIndex(PanesPage);
    relayout(m_unifiedButton->isChecked());
    fillFileList();
    updateBanner();
    if (!m_state.layout.hunks().empty())
        setCursor(m_state.layout.hunks().front().first, true);
}

void SideBySideDiffView::fillFileList()
{
    m_files->clear();
    const QLocale locale(QLocale::English);
    for (int i = 0; i < static_cast<int>(m_state.doc->files.size()); ++i) {
        const DiffFile &f = m_state.doc->files[static_cast<size_t>(i)];
        auto *item = new QTreeWidgetItem(m_files, {f.statusLetter(), f.displayName(),
                                                   locale.toString(f.rows.additions),
                                                   locale.toString(f.rows.deletions), QString()});
        item->setData(NameColumn, Qt::UserRole, i);
        item->setFont(NameColumn, StatusStyle::monospace());
        item->setForeground(AddedColumn, QColor(0x1a, 0x7f, 0x37));
        item->setForeground(RemovedColumn, QColor(0xcf, 0x22, 0x2e));
        item->setTextAlignment(AddedColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(RemovedColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (f.dangerCount > 0)
            item->setForeground(NameColumn, QColor(0xb4, 0x23, 0x18));
    }
    updateSeenViews();
}

} // namespace hp
