#include "history/historyworkspace.h"

#include "itemmodels/historymodel.h"

#include <QComboBox>
#include <QDateEdit>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace hp {

namespace {

QComboBox *choiceBox(const QString &objectName, const QString &all, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->addItem(all, QString());
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    return box;
}

// Replaces a box's choices (after its "all" item), keeping the current one
// when it is still offered.
void setChoices(QComboBox *box, QStringList values)
{
    const QString current = box->currentData().toString();
    values.sort();
    while (box->count() > 1)
        box->removeItem(1);
    for (const QString &v : values)
        box->addItem(v.isEmpty() ? QStringLiteral("(none)") : v, v);
    const int keep = box->findData(current);
    box->setCurrentIndex(keep > 0 ? keep : 0);
}

void warn(QWidget *parent, const QString &title, const QString &message)
{
    QMessageBox box(QMessageBox::Warning, title, message, QMessageBox::Close, parent);
    box.setTextFormat(Qt::PlainText);
    box.exec();
}

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

HistoryWorkspace::HistoryWorkspace(Loader loader, QWidget *parent)
    : QWidget(parent)
    , m_loader(std::move(loader))
{
    m_model = new HistoryModel(this);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildFilterBar());

    auto *splitter = new QSplitter(Qt::Vertical, this);
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_charts = new HistoryCharts(scroll);
    scroll->setWidget(m_charts);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("historyTable"));
    m_table->setModel(m_model);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(HistoryModel::DecidedColumn, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int widths[HistoryModel::ColumnCount] = {118, 250, 85, 75, 85, 80, 45, 70, 100, 105, 60};
    for (int c = 0; c < HistoryModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c]);
    auto *bottom = new QSplitter(Qt::Horizontal, splitter);
    bottom->addWidget(m_table);
    bottom->addWidget(m_charts->fastestPanel());
    bottom->setStretchFactor(0, 3);
    bottom->setStretchFactor(1, 1);
    splitter->addWidget(scroll);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({560, 300});
    layout->addWidget(splitter, 1);

    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QString id = index.data(HistoryModel::IdRole).toString();
        if (!id.isEmpty())
            Q_EMIT openChangeRequested(id);
    });
    connect(m_charts, &HistoryCharts::exportRequested, this, &HistoryWorkspace::chooseChartFile);
    // A watcher given a newer future forgets the older one: only the latest
    // filter's statistics arrive here.
    connect(&m_chartsWatcher, &QFutureWatcherBase::finished, this, [this] {
        m_charts->display(m_chartsWatcher.result());
        m_chartsPending = false;
        Q_EMIT chartsUpdated();
    });
    connect(&m_watcher, &QFutureWatcherBase::finished, this, [this] {
        Result<std::vector<HistoryRow>> result = m_watcher.result();
        if (m_reloadAgain) {
            m_reloadAgain = false;
            reload();
            return;
        }
        if (!result.ok()) {
            m_count->setText(QStringLiteral("Could not read the history: %1")
                                 .arg(result.error().message));
            Q_EMIT loadFailed(result.error());
            return;
        }
        setRows(std::move(*result));
    });
}

HistoryWorkspace::~HistoryWorkspace()
{
    m_watcher.waitForFinished();
    m_chartsWatcher.waitForFinished();
}

QWidget *HistoryWorkspace::buildFilterBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    m_from = new QDateEdit(bar);
    m_from->setObjectName(QStringLiteral("fromDate"));
    m_to = new QDateEdit(bar);
    m_to->setObjectName(QStringLiteral("toDate"));
    for (QDateEdit *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
        d->setTimeSpec(Qt::UTC);
    }
    m_agent = choiceBox(QStringLiteral("agentFilter"), QStringLiteral("All agents"), bar);
    m_environment =
        choiceBox(QStringLiteral("environmentFilter"), QStringLiteral("All environments"), bar);
    m_outcome = choiceBox(QStringLiteral("outcomeFilter"), QStringLiteral("All outcomes"), bar);
    for (int o = 0; o < kHistoryOutcomeCount; ++o) {
        const QString name = toString(static_cast<HistoryOutcome>(o));
        m_outcome->addItem(name, name);
    }
    m_reviewer = choiceBox(QStringLiteral("reviewerFilter"), QStringLiteral("All reviewers"), bar);
    m_class = choiceBox(QStringLiteral("classFilter"), QStringLiteral("All classes"), bar);
    for (Impact i : {Impact::Low, Impact::Medium, Impact::High, Impact::Critical})
        m_class->addItem(toString(i), toString(i));
    auto *reset = new QPushButton(QStringLiteral("Reset"), bar);
    reset->setToolTip(QStringLiteral("Show every decided change"));
    auto *csv = new QPushButton(QStringLiteral("Export CSV…"), bar);
    csv->setObjectName(QStringLiteral("exportCsv"));
    csv->setToolTip(QStringLiteral("Save the rows shown in the table as CSV"));
    m_count = caption(QString(), bar);
    m_count->setObjectName(QStringLiteral("historyCount"));

    row->addWidget(caption(QStringLiteral("Decided from"), bar));
    row->addWidget(m_from);
    row->addWidget(caption(QStringLiteral("to"), bar));
    row->addWidget(m_to);
    for (QComboBox *box : {m_agent, m_environment, m_outcome, m_reviewer, m_class})
        row->addWidget(box);
    row->addWidget(reset);
    row->addStretch(1);
    row->addWidget(m_count);
    row->addWidget(csv);

    for (QComboBox *box : {m_agent, m_environment, m_outcome, m_reviewer, m_class})
        connect(box, &QComboBox::currentIndexChanged, this, &HistoryWorkspace::applyFilter);
    for (QDateEdit *d : {m_from, m_to})
        connect(d, &QDateEdit::dateChanged, this, &HistoryWorkspace::applyFilter);
    connect(reset, &QPushButton::clicked, this, &HistoryWorkspace::resetFilters);
    connect(csv, &QPushButton::clicked, this, &HistoryWorkspace::chooseCsvFile);
    return bar;
}

void HistoryWorkspace::reload()
{
    if (m_watcher.isRunning()) {
        m_reloadAgain = true;
        return;
    }
    m_count->setText(QStringLiteral("Loading the history…"));
    m_watcher.setFuture(QtConcurrent::run(m_loader));
}

void HistoryWorkspace::setRows(std::vector<HistoryRow> rows)
{
    m_model->setRows(std::move(rows));
    fillChoices();
    applyFilter();
    Q_EMIT loaded(static_cast<int>(m_model->rows().size()));
}

// Choices come from the rows themselves; the date range spans them all.
void HistoryWorkspace::fillChoices()
{
    m_filling = true;
    QSet<QString> agents, environments, reviewers;
    QDate first, last;
    for (const HistoryRow &r : m_model->rows()) {
        agents.insert(r.agentPrincipal);
        environments.insert(r.environment);
        for (const QString &d : r.deciders)
            reviewers.insert(d);
        const QDate day = r.decidedAt.toUTC().date();
        first = first.isValid() ? std::min(first, day) : day;
        last = last.isValid() ? std::max(last, day) : day;
    }
    setChoices(m_agent, agents.values());
    setChoices(m_environment, environments.values());
    setChoices(m_reviewer, reviewers.values());
    if (first.isValid()) {
        for (QDateEdit *d : {m_from, m_to})
            d->setDateRange(first, last);
        m_from->setDate(first);
        m_to->setDate(last);
    }
    m_filling = false;
}

HistoryFilter HistoryWorkspace::currentFilter() const
{
    HistoryFilter f;
    // The whole span selected is no time filter at all (the fast path).
    if (m_from->date() > m_from->minimumDate())
        f.from = QDateTime(m_from->date(), QTime(0, 0), Qt::UTC);
    if (m_to->date() < m_to->maximumDate())
        f.to = QDateTime(m_to->date(), QTime(23, 59, 59, 999), Qt::UTC);
    f.agent = m_agent->currentData().toString();
    f.environment = m_environment->currentData().toString();
    f.reviewer = m_reviewer->currentData().toString();
    f.outcome = parseHistoryOutcome(m_outcome->currentData().toString());
    f.riskClass = parseImpact(m_class->currentData().toString());
    return f;
}

void HistoryWorkspace::applyFilter()
{
    if (m_filling)
        return;
    const HistoryFilter f = currentFilter();
    m_model->setFilter(f);
    m_chartsPending = true;
    m_chartsWatcher.setFuture(QtConcurrent::run(
        [rows = m_model->sharedRows(), f] { return HistoryChartData::compute(*rows, f); }));
    m_count->setText(QStringLiteral("%1 of %2 decided changes")
                         .arg(m_model->shownCount())
                         .arg(m_model->rows().size()));
}

void HistoryWorkspace::resetFilters()
{
    m_filling = true;
    for (QComboBox *box : {m_agent, m_environment, m_outcome, m_reviewer, m_class})
        box->setCurrentIndex(0);
    m_from->setDate(m_from->minimumDate());
    m_to->setDate(m_to->maximumDate());
    m_filling = false;
    applyFilter();
}

bool HistoryWorkspace::exportCsv(const QString &path, QString *error) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(m_model->toCsv().toUtf8()) < 0 || !file.flush()) {
        if (error)
            *error = QStringLiteral("could not write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void HistoryWorkspace::chooseCsvFile()
{
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export the history as CSV"), QStringLiteral("history.csv"),
        QStringLiteral("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportCsv(path, &error))
        warn(this, QStringLiteral("Export CSV"), error);
}

void HistoryWorkspace::chooseChartFile(HistoryChart chart)
{
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export “%1” as PNG").arg(m_charts->title(chart)),
        QStringLiteral("chart.png"), QStringLiteral("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!m_charts->exportPng(chart, path, &error))
        warn(this, QStringLiteral("Export PNG"), error);
}

} // namespace hp
