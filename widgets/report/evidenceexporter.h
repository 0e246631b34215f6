#pragma once

#include <QObject>
#include <QString>

class QWidget;

// The console's "Evidence report…" (issue 7 item 5): asks where to save,
// gathers the evidence from the store (a few reads, on the GUI thread that
// owns the store's connection), renders the PDF on a pool thread while the
// console stays responsive, then records `audit.report` with the PDF's
// SHA-256. The store refuses anyone but auditors and leads, and audits that.
namespace hp {

class ReviewService;

class EvidenceExporter : public QObject
{
    Q_OBJECT

public:
    EvidenceExporter(ReviewService &service, QWidget *dialogParent);

    // Asks for a file name, then writes the report of `changeId` there.
    void exportReport(const QString &changeId);
    // Without a dialog: gathers, renders in the background, records.
    void exportTo(const QString &changeId, const QString &path);
    bool busy() const { return m_busy; }

Q_SIGNALS:
    // ok false: `message` says what went wrong and nothing was recorded.
    void finished(bool ok, const QString &message);

private:
    void fail(const QString &message);

    ReviewService &m_service;
    QWidget *m_parent = nullptr;
    bool m_busy = false;
};

} // namespace hp
