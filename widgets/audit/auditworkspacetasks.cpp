#include "audit/auditworkspace.h"

#include "itemmodels/auditmodel.h"

#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QItemSelectionModel>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

// The AuditWorkspace's work off the GUI thread: streaming the trail in,
// verifying it and exporting it. Each worker opens its own store connection.
namespace hp {

namespace {

constexpr qint64 kFirstChunk = 2000;  // shows at once
constexpr qint64 kChunk = 50000;

int permille(qint64 done, qint64 total)
{
    return total <= 0 ? 0 : static_cast<int>(std::min<qint64>(1000, done * 1000 / total));
}

} // namespace

void AuditWorkspace::stopLoading()
{
    m_load.cancel();
    m_load.waitForFinished();
    m_loading = false;
}

void AuditWorkspace::reload()
{
    stopLoading();
    const quint64 generation = ++m_generation;
    m_model->clear();
    m_loading = true;
    m_status->setText(QStringLiteral("Loading the trail…"));
    const QString location = m_location;
    // Chunks reach the GUI thread as queued calls on `this`; the destructor
    // cancels and waits, and Qt drops calls queued for a deleted object.
    m_load = QtConcurrent::run([this, location, generation](QPromise<void> &promise) {
        auto fail = [this, generation](const Error &e) {
            QMetaObject::invokeMethod(this, [this, generation, e] { finishLoading(generation, &e); },
                                      Qt::QueuedConnection);
        };
        Result<std::unique_ptr<Store>> store = openStore(location);
        if (!store)
            return fail(store.error());
        Result<qint64> head = (*store)->auditHeadSeq();
        if (!head)
            return fail(head.error());
        AuditIndexBuilder builder;
        qint64 from = 0;
        for (qint64 size = kFirstChunk; !promise.isCanceled(); size = kChunk) {
            Result<std::vector<AuditEntry>> page = (*store)->auditEntries(from, size);
            if (!page)
                return fail(page.error());
            if (page->empty())
                break;
            auto chunk = std::make_shared<AuditChunk>();
            chunk->rows.reserve(page->size());
            for (const AuditEntry &e : *page)
                chunk->rows.push_back(builder.build(e));
            chunk->strings = builder.takeNewStrings();
            chunk->total = *head;
            from = page->back().seq + 1;
            QMetaObject::invokeMethod(
                this, [this, generation, chunk] { receiveChunk(generation, std::move(*chunk)); },
                Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(this, [this, generation] { finishLoading(generation, nullptr); },
                                  Qt::QueuedConnection);
    });
}

void AuditWorkspace::receiveChunk(quint64 generation, AuditChunk chunk)
{
    if (generation != m_generation)
        return;
    m_total = chunk.total;
    const bool first = m_model->loadedCount() == 0;
    m_model->appendChunk(std::move(chunk));
    if (!verifying() && !exporting())
        m_progress->setValue(permille(m_model->loadedCount(), m_total));
    m_status->setText(QStringLiteral("Loading the trail… %1 of %2 entries").arg(m_model->loadedCount()).arg(m_total));
    if (first && m_model->rowCount() > 0)
        m_table->selectionModel()->setCurrentIndex(m_model->index(0, 0), QItemSelectionModel::ClearAndSelect |
                                                                             QItemSelectionModel::Rows);
    updateCount(); // the model filtered the chunk itself: no reset, the selection stays
}

void AuditWorkspace::finishLoading(quint64 generation, const Error *error)
{
    if (generation != m_generation)
        return;
    m_loading = false;
    if (error) {
        m_status->setText(QStringLiteral("Could not read the trail: %1").arg(error->message));
        Q_EMIT loadFailed(*error);
        return;
    }
    if (!verifying() && !exporting())
        m_progress->setValue(1000);
    m_status->setText(QStringLiteral("%1 entries").arg(m_model->loadedCount()));
    updateCount();
    Q_EMIT loaded(m_model->loadedCount());
}

void AuditWorkspace::verify()
{
    if (verifying())
        return;
    m_verifyButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    m_status->setText(QStringLiteral("Verifying the trail…"));
    const QString location = m_location;
    m_verifyWatcher.setFuture(QtConcurrent::run([location](QPromise<Result<VerifyReport>> &promise) {
        promise.setProgressRange(0, 1000);
        Result<std::unique_ptr<Store>> store = openStore(location);
        if (!store) {
            promise.addResult(Result<VerifyReport>(store.error()));
            return;
        }
        promise.addResult((*store)->verifyAudit([&promise](qint64 done, qint64 total) {
            promise.setProgressValue(permille(done, total));
            return !promise.isCanceled();
        }));
    }));
}

void AuditWorkspace::cancelVerify()
{
    m_verifyWatcher.cancel();
    m_exportWatcher.cancel();
}

void AuditWorkspace::showVerifyResult()
{
    m_verifyButton->setEnabled(true);
    m_cancelButton->setEnabled(exporting());
    if (m_verifyWatcher.isCanceled() || m_verifyWatcher.future().resultCount() == 0) {
        m_status->setText(QStringLiteral("Verification cancelled."));
        return;
    }
    const Result<VerifyReport> result = m_verifyWatcher.result();
    if (!result) {
        m_status->setText(QStringLiteral("Verification failed to run: %1").arg(result.error().message));
        Q_EMIT verifyFailed(result.error());
        return;
    }
    m_progress->setValue(1000);
    m_model->setProblems(result->problems);
    m_problems->clear();
    for (const AuditProblem &p : result->problems) {
        auto *item = new QListWidgetItem(
            QStringLiteral("seq %1 · %2 · %3").arg(p.seq).arg(toString(p.kind), p.detail), m_problems);
        item->setData(Qt::UserRole, p.seq);
        item->setToolTip(p.detail);
    }
    m_status->setText(result->clean()
                          ? QStringLiteral("Verified: %1 entries, no problems; head %2")
                                .arg(result->entries)
                                .arg(QString::fromLatin1(result->headHash.toHex().left(16)))
                          : QStringLiteral("VERIFICATION FAILED: %1 problem(s) in %2 entries")
                                .arg(result->problems.size())
                                .arg(result->entries));
    m_status->setStyleSheet(result->clean() ? QString() : QStringLiteral("color: #b00020; font-weight: bold;"));
    Q_EMIT verified(*result);
}

void AuditWorkspace::exportTo(const QString &path, AuditExportFormat format)
{
    if (exporting())
        return;
    m_exportPath = path;
    m_exportButton->setEnabled(false);
    m_cancelButton->setEnabled(true);
    m_status->setText(QStringLiteral("Exporting to %1…").arg(path));
    const QString location = m_location;
    const Actor actor = m_actor;
    const AuditFilter filter = currentFilter();
    m_exportWatcher.setFuture(QtConcurrent::run(
        [location, actor, filter, path, format](QPromise<Result<AuditExportStats>> &promise) {
            promise.setProgressRange(0, 1000);
            auto finish = [&promise](Result<AuditExportStats> r) { promise.addResult(std::move(r)); };
            Result<std::unique_ptr<Store>> store = openStore(location);
            if (!store)
                return finish(store.error());
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly))
                return finish(makeError(ExitCode::Usage, QStringLiteral("unwritable"),
                                        QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path));
            Result<AuditExportStats> stats =
                exportAudit(**store, filter, format, file, [&promise](qint64 done, qint64 total) {
                    promise.setProgressValue(permille(done, total));
                    return !promise.isCanceled();
                });
            if (!stats)
                return finish(stats.error());
            const QJsonObject what{
                {QStringLiteral("format"), format == AuditExportFormat::Csv ? QStringLiteral("csv") : QStringLiteral("jsonl")},
                {QStringLiteral("filter"), filter.toJson()},
                {QStringLiteral("entries"), stats->written},
                {QStringLiteral("last_seq"), stats->lastSeq}};
            if (Status recorded = (*store)->recordAuditExport(actor, what); !recorded)
                return finish(recorded.error());
            if (!file.commit())
                return finish(makeError(ExitCode::Internal, QStringLiteral("write_failed"),
                                        QStringLiteral("cannot write %1: %2").arg(path, file.errorString()), path));
            finish(stats);
        }));
}

void AuditWorkspace::showExportResult()
{
    m_exportButton->setEnabled(true);
    m_cancelButton->setEnabled(verifying());
    if (m_exportWatcher.future().resultCount() == 0) {
        m_status->setText(QStringLiteral("Export cancelled."));
        return;
    }
    const Result<AuditExportStats> result = m_exportWatcher.result();
    if (!result) {
        m_status->setText(QStringLiteral("Export failed: %1").arg(result.error().message));
        Q_EMIT exportFailed(result.error());
        return;
    }
    m_status->setText(QStringLiteral("Exported %1 entries to %2").arg(result->written).arg(m_exportPath));
    Q_EMIT exported(result->written, m_exportPath);
}

} // namespace hp
