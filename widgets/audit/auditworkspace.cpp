#include "audit/auditworkspace.h"

#include "audit/auditrecord.h"
#include "audit/auditrowdelegate.h"
#include "itemmodels/auditmodel.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace hp {

namespace {

QLineEdit *filterEdit(const QString &placeholder, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

// "2026-03-01" or a full ISO 8601 time; an invalid QDateTime when empty or unreadable.
QDateTime parseBound(const QString &text, bool endOfDay)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return {};
    QDateTime time = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!time.isValid()) {
        const QDate day = QDate::fromString(t, Qt::ISODate);
        if (day.isValid())
            time = endOfDay ? QDateTime(day, QTime(23, 59, 59, 999), Qt::UTC) : QDateTime(day, QTime(0, 0), Qt::UTC);
    }
    return time.toUTC();
}

} // namespace

AuditWorkspace::AuditWorkspace(QString location, Actor actor, QWidget *parent)
    : QWidget(parent)
    , m_location(std::move(location))
    , m_actor(std::move(actor))
{
    m_model = new AuditModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->setItemDelegate(new AuditRowDelegate(m_table));
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AuditModel::SeqColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (auto [column, width] : {std::pair{AuditModel::SeqColumn, 60}, {AuditModel::TimeColumn, 190},
                                 {AuditModel::PrincipalColumn, 110}, {AuditModel::KindColumn, 60},
                                 {AuditModel::RolesColumn, 110}, {AuditModel::ActionColumn, 140},
                                 {AuditModel::ChangeColumn, 220}, {AuditModel::RevisionColumn, 40},
                                 {AuditModel::OutcomeColumn, 65}, {AuditModel::ReasonCodeColumn, 120},
                                 {AuditModel::StatusColumn, 150}})
        m_table->setColumnWidth(column, width);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &AuditWorkspace::showSelection);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_table);
    split->addWidget(buildSidePanes());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildFilterBar());
    layout->addWidget(split, 1);
    layout->addWidget(buildVerifyBar());

    connect(&m_verifyWatcher, &QFutureWatcherBase::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_verifyWatcher, &QFutureWatcherBase::finished, this, &AuditWorkspace::showVerifyResult);
    connect(&m_exportWatcher, &QFutureWatcherBase::progressValueChanged, m_progress, &QProgressBar::setValue);
    connect(&m_exportWatcher, &QFutureWatcherBase::finished, this, &AuditWorkspace::showExportResult);
}

AuditWorkspace::~AuditWorkspace()
{
    stopLoading();
    m_verifyWatcher.cancel();
    m_verifyWatcher.waitForFinished();
    m_exportWatcher.cancel();
    m_exportWatcher.waitForFinished();
}

QWidget *AuditWorkspace::buildFilterBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_principal = filterEdit(QStringLiteral("principal"), bar);
    m_action = filterEdit(QStringLiteral("action, e.g. decision"), bar);
    m_change = filterEdit(QStringLiteral("change id"), bar);
    m_outcome = new QComboBox(bar);
    m_outcome->addItems({QStringLiteral("any outcome"), QStringLiteral("ok"), QStringLiteral("denied")});
    m_from = filterEdit(QStringLiteral("from 2026-01-31"), bar);
    m_to = filterEdit(QStringLiteral("to (inclusive)"), bar);
    m_filterNote = new QLabel(bar);
    m_filterNote->setTextFormat(Qt::PlainText);
    for (QLineEdit *e : {m_principal, m_action, m_change, m_from, m_to}) {
        connect(e, &QLineEdit::textChanged, this, &AuditWorkspace::applyFilter);
        row->addWidget(e, e == m_change ? 2 : 1);
    }
    row->insertWidget(3, m_outcome);
    connect(m_outcome, &QComboBox::currentIndexChanged, this, &AuditWorkspace::applyFilter);
    row->addWidget(m_filterNote);
    return bar;
}

QWidget *AuditWorkspace::buildSidePanes()
{
    auto *side = new QSplitter(Qt::Vertical, this);
    auto titled = [side](const QString &title, QWidget *body) {
        auto *box = new QWidget(side);
        auto *v = new QVBoxLayout(box);
        v->setContentsMargins(0, 0, 0, 0);
        auto *label = new QLabel(title, box);
        label->setTextFormat(Qt::PlainText);
        label->setStyleSheet(QStringLiteral("font-weight: bold;"));
        v->addWidget(label);
        v->addWidget(body, 1);
        side->addWidget(box);
    };
    m_timeline = new QPlainTextEdit(side);
    m_timeline->setReadOnly(true);
    m_timeline->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_timeline->setPlaceholderText(QStringLiteral("Select an entry of a change to see its timeline."));
    m_details = new QPlainTextEdit(side);
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_details->setPlaceholderText(QStringLiteral("Select an entry to see it in full."));
    m_problems = new QListWidget(side);
    connect(m_problems, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { selectSeq(item->data(Qt::UserRole).toLongLong()); });
    connect(m_problems, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { selectSeq(item->data(Qt::UserRole).toLongLong()); });
    titled(QStringLiteral("Change timeline"), m_timeline);
    titled(QStringLiteral("Entry"), m_details);
    titled(QStringLiteral("Verification problems"), m_problems);
    return side;
}

QWidget *AuditWorkspace::buildVerifyBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_verifyButton = new QPushButton(QStringLiteral("Verify trail"), bar);
    m_verifyButton->setToolTip(QStringLiteral("Check every link, the sequence, artifacts, decisions and statuses"));
    m_cancelButton = new QPushButton(QStringLiteral("Cancel"), bar);
    m_cancelButton->setEnabled(false);
    m_exportButton = new QPushButton(QStringLiteral("Export…"), bar);
    m_exportButton->setToolTip(QStringLiteral("Write the entries of the current filter as JSON Lines or CSV"));
    m_progress = new QProgressBar(bar);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(240);
    m_status = new QLabel(bar);
    m_status->setTextFormat(Qt::PlainText);
    row->addWidget(m_verifyButton);
    row->addWidget(m_cancelButton);
    row->addWidget(m_exportButton);
    row->addWidget(m_progress);
    row->addWidget(m_status, 1);
    connect(m_verifyButton, &QPushButton::clicked, this, &AuditWorkspace::verify);
    connect(m_cancelButton, &QPushButton::clicked, this, &AuditWorkspace::cancelVerify);
    connect(m_exportButton, &QPushButton::clicked, this, &AuditWorkspace::chooseExportFile);
    return bar;
}

AuditFilter AuditWorkspace::currentFilter() const
{
    AuditFilter f;
    f.principal = m_principal->text().trimmed();
    f.action = m_action->text().trimmed();
    f.changeId = m_change->text().trimmed();
    if (m_outcome->currentIndex() > 0)
        f.denied = m_outcome->currentIndex() == 2;
    f.from = parseBound(m_from->text(), false);
    f.to = parseBound(m_to->text(), true);
    return f;
}

void AuditWorkspace::applyFilter()
{
    const AuditFilter f = currentFilter();
    const bool badTime = (!m_from->text().trimmed().isEmpty() && !f.from.isValid()) ||
                         (!m_to->text().trimmed().isEmpty() && !f.to.isValid());
    m_model->setFilter(f);
    if (badTime)
        m_filterNote->setText(QStringLiteral("times: YYYY-MM-DD or ISO 8601"));
    else
        updateCount();
}

void AuditWorkspace::updateCount()
{
    m_filterNote->setText(QStringLiteral("%1 of %2").arg(m_model->rowCount()).arg(m_model->loadedCount()));
}

bool AuditWorkspace::selectSeq(qint64 seq)
{
    int row = m_model->rowOfSeq(seq);
    if (row < 0) {
        for (QLineEdit *e : {m_principal, m_action, m_change, m_from, m_to})
            e->clear();
        m_outcome->setCurrentIndex(0);
        row = m_model->rowOfSeq(seq);
    }
    if (row < 0)
        return false;
    const QModelIndex index = m_model->index(row, AuditModel::SeqColumn);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
    return true;
}

void AuditWorkspace::showSelection()
{
    const AuditIndexRow *row = m_model->rowAt(m_table->selectionModel()->currentIndex().row());
    if (!row) {
        m_timeline->clear();
        m_details->clear();
        return;
    }
    showTimeline(m_model->pool().at(row->change));
    showDetails(row->seq);
}

void AuditWorkspace::showTimeline(const QString &changeId)
{
    if (changeId.isEmpty()) {
        m_timeline->setPlainText(QStringLiteral("This entry names no change."));
        return;
    }
    QString text = QStringLiteral("Change %1\n\n").arg(changeId);
    for (const AuditIndexRow *r : m_model->rowsOfChange(changeId)) {
        const QString status = r->before < 0 && r->after < 0
                                   ? QString()
                                   : QStringLiteral("  %1 → %2").arg(AuditModel::statusText(r->before),
                                                                    AuditModel::statusText(r->after));
        text += QStringLiteral("#%1  %2  %3  %4  r%5  %6%7%8\n")
                    .arg(r->seq)
                    .arg(m_model->text(*r, AuditModel::TimeColumn), m_model->pool().at(r->principal),
                         m_model->pool().at(r->action))
                    .arg(r->revision)
                    .arg(r->denied ? QStringLiteral("DENIED ") + m_model->pool().at(r->reasonCode)
                                   : QStringLiteral("ok"),
                         status,
                         m_model->pool().at(r->reason).isEmpty()
                             ? QString()
                             : QStringLiteral("  “%1”").arg(m_model->pool().at(r->reason).left(200)));
    }
    m_timeline->setPlainText(text);
}

void AuditWorkspace::showDetails(qint64 seq)
{
    if (!m_reader) {
        Result<std::unique_ptr<Store>> store = openStore(m_location);
        if (!store) {
            m_details->setPlainText(store.error().message);
            return;
        }
        m_reader = std::move(*store);
    }
    Result<std::vector<AuditEntry>> rows = m_reader->auditEntries(seq, 1);
    if (!rows || rows->empty() || rows->front().seq != seq) {
        m_details->setPlainText(rows ? QStringLiteral("Entry %1 is no longer in the store.").arg(seq)
                                     : rows.error().message);
        return;
    }
    const AuditEntry &e = rows->front();
    const QJsonDocument doc = QJsonDocument::fromJson(e.entry);
    QString text = QStringLiteral("seq        %1\nprev_hash  %2\nhash       %3\n\n")
                       .arg(e.seq)
                       .arg(QString::fromLatin1(e.prevHash.toHex()), QString::fromLatin1(e.hash.toHex()));
    text += doc.isObject() ? QString::fromUtf8(doc.toJson(QJsonDocument::Indented))
                           : QStringLiteral("(the stored entry is not JSON)\n") + QString::fromUtf8(e.entry);
    m_details->setPlainText(text);
}

void AuditWorkspace::chooseExportFile()
{
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export the audit trail (current filter)"), QStringLiteral("audit.jsonl"),
        QStringLiteral("JSON Lines (*.jsonl);;CSV (*.csv)"), &selected);
    if (path.isEmpty())
        return;
    const bool csv = path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) || selected.startsWith(QLatin1String("CSV"));
    exportTo(path, csv ? AuditExportFormat::Csv : AuditExportFormat::JsonLines);
}

} // namespace hp
