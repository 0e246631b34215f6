#include "report/evidenceexporter.h"

#include "report/evidencereport.h"
#include "review/reviewservice.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QtConcurrent/QtConcurrentRun>

namespace hp {

EvidenceExporter::EvidenceExporter(ReviewService &service, QWidget *dialogParent)
    : QObject(dialogParent)
    , m_service(service)
    , m_parent(dialogParent)
{
}

void EvidenceExporter::exportReport(const QString &changeId)
{
    if (m_busy)
        return;
    const QString path = QFileDialog::getSaveFileName(
        m_parent, QStringLiteral("Save evidence report"),
        QDir::home().filePath(QStringLiteral("evidence-%1.pdf").arg(changeId)),
        QStringLiteral("PDF (*.pdf)"));
    if (path.isEmpty())
        return;
    connect(this, &EvidenceExporter::finished, this, [this](bool ok, const QString &message) {
        if (ok)
            QMessageBox::information(m_parent, QStringLiteral("Evidence report"), message);
        else
            QMessageBox::warning(m_parent, QStringLiteral("Evidence report"), message);
    }, Qt::SingleShotConnection);
    exportTo(changeId, path);
}

void EvidenceExporter::exportTo(const QString &changeId, const QString &path)
{
    if (m_busy)
        return;
    Result<report::Evidence> evidence = report::gatherEvidence(m_service.store(), changeId);
    if (!evidence) {
        fail(evidence.error().message);
        return;
    }
    m_busy = true;
    // The partial file is moved into place only once the store has recorded
    // the report, so a refused report leaves nothing behind.
    const QString partial = path + QStringLiteral(".partial");
    auto *watcher = new QFutureWatcher<Result<QByteArray>>(this);
    connect(watcher, &QFutureWatcher<Result<QByteArray>>::finished, this,
            [this, watcher, changeId, path, partial] {
        watcher->deleteLater();
        m_busy = false;
        const Result<QByteArray> written = watcher->result();
        if (!written) {
            fail(written.error().message);
            return;
        }
        if (Status recorded = m_service.recordEvidenceReport(changeId, *written); !recorded) {
            QFile::remove(partial);
            fail(recorded.error().message);
            return;
        }
        QFile::remove(path); // the dialog already asked before replacing it
        if (!QFile::rename(partial, path)) {
            fail(QStringLiteral("cannot write %1").arg(path));
            return;
        }
        Q_EMIT finished(true, QStringLiteral("Evidence report written to %1").arg(path));
    });
    watcher->setFuture(QtConcurrent::run(
        [e = std::move(*evidence), partial] { return report::writeEvidencePdf(e, partial); }));
}

void EvidenceExporter::fail(const QString &message)
{
    Q_EMIT finished(false, message);
}

} // namespace hp
