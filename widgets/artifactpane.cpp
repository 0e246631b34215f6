#include "artifactpane.h"

#include "artifactpreview.h"
#include "diff/sidebysidediffview.h"
#include "domain/log.h"
#include "plan/planview.h"
#include "review/reviewservice.h"
#include "statusstyle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace hp {

namespace {

QPlainTextEdit *makeTextView(QWidget *parent)
{
    auto *view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setUndoRedoEnabled(false);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(StatusStyle::monospace());
    view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return view;
}

QLabel *makePlainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

QWidget *labelled(QLabel *label, QPlainTextEdit *view, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(label);
    layout->addWidget(view, 1);
    return box;
}

} // namespace

ArtifactPane::ArtifactPane(ReviewService &service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    auto *heading = new QLabel(QStringLiteral("Artifacts"), this);
    heading->setFont(StatusStyle::scaled(font(), 1.1, true));
    m_revisions = new QComboBox(this);
    m_revisions->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_revisions->setAccessibleName(QStringLiteral("Revision"));
    auto *top = new QHBoxLayout;
    top->addWidget(heading);
    top->addStretch(1);
    top->addWidget(new QLabel(QStringLiteral("Revision"), this));
    top->addWidget(m_revisions);

    m_files = new QTreeWidget(this);
    m_files->setColumnCount(3);
    m_files->setHeaderLabels(
        {QStringLiteral("Kind"), QStringLiteral("Name"), QStringLiteral("Size")});
    m_files->setRootIsDecorated(false);
    m_files->setUniformRowHeights(true);
    m_files->setAllColumnsShowFocus(true);
    m_files->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_files->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_files->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_files->header()->setStretchLastSection(false);

    QWidget *content = buildContent();
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_files);
    split->addWidget(content);
    split->setStretchFactor(1, 1);
    split->setSizes({100, 600});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_revisions, &QComboBox::currentIndexChanged, this,
            [this](int i) { showRevision(i < 0 ? 0 : m_revisions->itemData(i).toInt()); });
    connect(m_files, &QTreeWidget::currentItemChanged, this, [this] { showArtifact(); });
    connect(&m_service, &ReviewService::plansReady, this, [this](const QString &changeId, int number) {
        if (m_waitingForPlans && m_hasChange && changeId == m_change.summary.id && number == currentRevision())
            showArtifact();
    });
    connect(m_planView, &PlanView::readingCancelled, this, [this] { m_waitingForPlans = false; });
    connect(m_planView, &PlanView::readingRequested, this, [this] { showArtifact(); });
    connect(m_planView, &PlanView::itemsSeen, this, &ArtifactPane::recordSeen);
}

void ArtifactPane::markSeen(const QStringList &keys)
{
    m_diff->markSeen(keys);
    m_planView->markSeen(keys);
}

QWidget *ArtifactPane::buildContent()
{
    m_name = makePlainLabel(this);
    m_name->setFont(StatusStyle::scaled(font(), 1.0, true));
    m_facts = makePlainLabel(this);
    m_facts->setFont(StatusStyle::monospace());
    QPalette mutedPalette = m_facts->palette();
    mutedPalette.setColor(QPalette::WindowText, StatusStyle::muted());
    m_facts->setPalette(mutedPalette);
    m_note = makePlainLabel(this);
    m_note->setStyleSheet(
        QStringLiteral("QLabel { color: #37414b; background: #e9edf1; padding: 3px 6px; }"));
    m_note->hide();

    m_before = makeTextView(this);
    m_after = makeTextView(this);
    m_beforeLabel = makePlainLabel(this);
    m_afterLabel = makePlainLabel(this);
    m_beforeBox = labelled(m_beforeLabel, m_before, this);
    auto *afterBox = labelled(m_afterLabel, m_after, this);
    auto *pair = new QSplitter(Qt::Horizontal, this);
    pair->addWidget(m_beforeBox);
    pair->addWidget(afterBox);
    m_beforeBox->hide();
    m_afterLabel->hide();
    m_diff = new SideBySideDiffView(this);
    connect(m_diff, &SideBySideDiffView::itemsSeen, this, &ArtifactPane::recordSeen);
    connect(m_diff, &SideBySideDiffView::ready, this, &ArtifactPane::applyPendingReveal);
    connect(m_diff, &SideBySideDiffView::failed, this, [this](const QString &reason) {
        showText(m_diffInfo, m_diffShown, {QStringLiteral("Not shown as a diff: ") + reason});
    });
    m_planView = new PlanView(this);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(pair);
    m_pages->addWidget(m_diff);
    m_pages->addWidget(m_planView);
    m_textPage = pair;

    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 4, 0, 0);
    contentLayout->setSpacing(3);
    contentLayout->addWidget(m_name);
    contentLayout->addWidget(m_facts);
    contentLayout->addWidget(m_note);
    contentLayout->addWidget(m_pages, 1);
    return content;
}

void ArtifactPane::clear()
{
    m_hasChange = false;
    m_change = {};
    const QSignalBlocker blockRevisions(m_revisions);
    const QSignalBlocker blockFiles(m_files);
    m_revisions->clear();
    m_files->clear();
    m_name->clear();
    m_facts->clear();
    m_note->hide();
    m_before->clear();
    m_after->clear();
    m_beforeBox->hide();
    m_afterLabel->hide();
    m_diff->clear();
    m_planView->clear();
    m_pages->setCurrentWidget(m_textPage);
}

void ArtifactPane::setChange(const ChangeDetail &change)
{
    const bool sameRevisions = m_hasChange && change.summary.id == m_change.summary.id &&
                               change.revisions.size() == m_change.revisions.size();
    m_change = change;
    m_hasChange = true;
    if (sameRevisions)
        return;
    {
        const QSignalBlocker block(m_revisions);
        m_revisions->clear();
        // Latest first: that is the one decisions act on.
        for (auto it = change.revisions.rbegin(); it != change.revisions.rend(); ++it) {
            const bool latest = it == change.revisions.rbegin();
            m_revisions->addItem(latest ? QStringLiteral("%1 (latest)").arg(it->number)
                                        : QString::number(it->number),
                                 it->number);
        }
    }
    m_revisions->setEnabled(change.revisions.size() > 1);
    showRevision(change.revisions.empty() ? 0 : change.revisions.back().number);
}

const RevisionInfo *ArtifactPane::revision(int number) const
{
    for (const RevisionInfo &r : m_change.revisions) {
        if (r.number == number)
            return &r;
    }
    return nullptr;
}

int ArtifactPane::currentRevision() const
{
    return m_revisions->currentIndex() < 0 ? 0 : m_revisions->currentData().toInt();
}

int ArtifactPane::currentArtifact() const
{
    const QTreeWidgetItem *item = m_files->currentItem();
    return item ? item->data(0, Qt::UserRole).toInt() : -1;
}

bool ArtifactPane::selectArtifact(int index)
{
    for (int i = 0; i < m_files->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_files->topLevelItem(i);
        if (item->data(0, Qt::UserRole).toInt() == index) {
            m_files->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

void ArtifactPane::showRevision(int number)
{
    const QSignalBlocker block(m_files);
    m_files->clear();
    const RevisionInfo *rev = revision(number);
    if (!rev) {
        showArtifact();
        return;
    }
    const QLocale locale(QLocale::English);
    for (const ArtifactInfo &a : rev->artifacts) {
        auto *item =
            new QTreeWidgetItem(m_files, {toString(a.kind), a.name, locale.toString(a.size)});
        item->setData(0, Qt::UserRole, a.index);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setFont(1, StatusStyle::monospace());
    }
    if (m_files->topLevelItemCount() > 0)
        m_files->setCurrentItem(m_files->topLevelItem(0));
    showArtifact();
}

void ArtifactPane::showArtifact()
{
    m_note->hide();
    m_before->clear();
    m_after->clear();
    m_diff->clear();
    m_planView->clear();
    m_pages->setCurrentWidget(m_textPage);
    m_waitingForPlans = false;
    const RevisionInfo *rev = revision(currentRevision());
    const int index = currentArtifact();
    const ArtifactInfo *info = nullptr;
    if (rev) {
        for (const ArtifactInfo &a : rev->artifacts) {
            if (a.index == index)
                info = &a;
        }
    }
    if (!info) {
        m_name->setText(rev ? QStringLiteral("This revision has no artifacts.") : QString());
        m_facts->clear();
        return;
    }
    if (readPlansFirst(*rev, *info))
        return;
    // A plan already read is shown from its parsed form: its text (tens of
    // MiB for a large plan) is neither loaded nor masked on this thread.
    if (info->kind == ArtifactKind::TerraformPlan) {
        if (auto plan = m_service.readPlan(m_change.summary.id, rev->number, index)) {
            showPlan(*info, *rev, plan);
            return;
        }
    }
    Result<ShownArtifact> shown = m_service.loadArtifact(m_change.summary.id, *rev, index);
    if (!shown) {
        m_name->setText(info->name);
        m_facts->clear();
        m_note->setText(QStringLiteral("Not shown: %1").arg(shown.error().message));
        m_note->show();
        return;
    }
    showContent(*info, *shown);
}

void ArtifactPane::showFacts(const ArtifactInfo &info)
{
    // Sizes and hashes are those of the bytes as received; the text may have
    // sensitive values masked.
    m_name->setText(info.name);
    m_facts->setText(QStringLiteral("%1 · %2 · sha256 %3")
                         .arg(toString(info.kind), ArtifactPreview::sizeText(info.size),
                              QString::fromLatin1(info.sha256.toHex())));
}

void ArtifactPane::showPlan(const ArtifactInfo &info, const RevisionInfo &rev,
                            const std::shared_ptr<const ReadPlan> &plan)
{
    showFacts(info);
    m_planView->showPlan(plan, info.index, planfileLine(rev));
    m_pages->setCurrentWidget(m_planView);
    m_note->setText(QStringLiteral("Sensitive values are shown as (sensitive); they never leave the store."));
    m_note->setVisible(!plan->revisionRedactor.isEmpty());
    markStoredCoverage();
    applyPendingReveal();
}

// Items this principal saw earlier on this revision count as seen again.
void ArtifactPane::markStoredCoverage()
{
    Result<QStringList> seen = m_service.coverage(m_change.summary.id, currentRevision());
    if (seen)
        markSeen(*seen);
    else
        log::ui()->warn("reading review coverage failed: {}", seen.error().message.toStdString());
}

void ArtifactPane::showContent(const ArtifactInfo &info, const ShownArtifact &shown)
{
    const RevisionInfo *rev = revision(currentRevision());
    if (info.kind == ArtifactKind::TerraformPlan && rev) {
        if (auto plan = m_service.readPlan(m_change.summary.id, rev->number, info.index)) {
            showPlan(info, *rev, plan);
            return;
        }
    }
    showFacts(info);
    const Artifact &artifact = shown.artifact;
    const bool diffable =
        (info.kind == ArtifactKind::FilePair && artifact.parts.size() == 2) ||
        (info.kind == ArtifactKind::UnifiedDiff && DiffDocument::looksLikePatch(artifact.content()));
    if (diffable) {
        showDiff(info, shown);
        return;
    }
    showText(info, shown, {});
}

void ArtifactPane::showDiff(const ArtifactInfo &info, const ShownArtifact &shown)
{
    m_diffInfo = info;
    m_diffShown = shown;
    m_pages->setCurrentWidget(m_diff);
    m_note->setText(QStringLiteral("Sensitive values are shown as (sensitive); they never leave the store."));
    m_note->setVisible(shown.masked);
    m_diff->setContext(m_change.summary.title, m_change.intent);
    m_diff->setArtifact(info.index, {info.kind, info.name, shown.artifact.parts});
    markStoredCoverage();
}

void ArtifactPane::recordSeen(const QStringList &keys)
{
    const int revision = currentRevision();
    Result<int> recorded = m_service.recordCoverage(m_change.summary.id, revision, keys);
    if (!recorded) {
        log::ui()->warn("recording review coverage failed: {}", recorded.error().message.toStdString());
        return;
    }
    Q_EMIT itemsSeen(m_change.summary.id, revision, keys);
}

void ArtifactPane::showText(const ArtifactInfo &info, const ShownArtifact &shown, QStringList notes)
{
    m_diff->clear();
    m_pages->setCurrentWidget(m_textPage);
    const Artifact &artifact = shown.artifact;
    const bool pair = info.kind == ArtifactKind::FilePair && artifact.parts.size() == 2;
    if (shown.masked)
        notes << QStringLiteral(
            "Sensitive values are shown as (sensitive); they never leave the store.");
    if (pair) {
        const ArtifactPreview before = ArtifactPreview::of(artifact.parts.front(), {});
        m_before->setPlainText(before.text);
        m_beforeLabel->setText(artifact.parts.front().isEmpty()
                                   ? QStringLiteral("Before · empty (a new file)")
                                   : QStringLiteral("Before"));
        if (!before.note.isEmpty())
            notes << QStringLiteral("before: ") + before.note;
    }
    ArtifactPreview after = ArtifactPreview::of(artifact.content(), info.sha256);
    if (info.kind == ArtifactKind::TerraformPlan)
        after.indentPlan();
    m_after->setPlainText(after.text);
    m_afterLabel->setText(artifact.content().isEmpty()
                              ? QStringLiteral("After · empty (the file is removed)")
                              : QStringLiteral("After"));
    if (!after.note.isEmpty())
        notes << (pair ? QStringLiteral("after: ") + after.note : after.note);
    m_beforeBox->setVisible(pair);
    m_afterLabel->setVisible(pair);
    const RevisionInfo *rev = revision(currentRevision());
    if (info.kind == ArtifactKind::TerraformPlanfile && rev) {
        notes << planfileLine(*rev);
        const bool hasPlan = std::any_of(rev->artifacts.cbegin(), rev->artifacts.cend(), [](const ArtifactInfo &a) {
            return a.kind == ArtifactKind::TerraformPlan;
        });
        if (!hasPlan)
            notes << QStringLiteral("This revision has no JSON plan (terraform show -json), so the plan "
                                    "cannot be shown: only the planfile's hash is known.");
    }
    m_note->setText(notes.join(QLatin1Char('\n')));
    m_note->setVisible(!notes.isEmpty());
}

// True when the revision's plans are being read in the background: the plan
// view shows that, and showArtifact runs again on ReviewService::plansReady.
bool ArtifactPane::readPlansFirst(const RevisionInfo &rev, const ArtifactInfo &info)
{
    if (m_service.plansRead(m_change.summary.id, rev.number))
        return false;
    qint64 planBytes = 0;
    for (const ArtifactInfo &a : rev.artifacts) {
        if (a.kind == ArtifactKind::TerraformPlan)
            planBytes += a.size;
    }
    if (planBytes == 0 || planBytes <= m_syncPlanLimit)
        return false;
    m_waitingForPlans = true;
    m_service.readPlansInBackground(m_change.summary.id, rev);
    m_name->setText(info.name);
    m_facts->clear();
    m_planView->showReading(QStringLiteral("Reading plan… (%1 of Terraform plan JSON in this revision; "
                                           "sensitive values are found before anything is shown)")
                                .arg(ArtifactPreview::sizeText(planBytes)));
    m_pages->setCurrentWidget(m_planView);
    return true;
}

// Which planfile a decision covers: the executor applies exactly these bytes.
QString ArtifactPane::planfileLine(const RevisionInfo &rev) const
{
    QStringList lines;
    for (const ArtifactInfo &a : rev.artifacts) {
        if (a.kind == ArtifactKind::TerraformPlanfile)
            lines << QStringLiteral("Approval covers planfile %1 (%2) sha256 %3")
                         .arg(a.name, ArtifactPreview::sizeText(a.size), QString::fromLatin1(a.sha256.toHex()));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace hp
