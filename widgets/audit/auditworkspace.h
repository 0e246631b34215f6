#pragma once

#include "audit/auditexport.h"
#include "storage/store.h"

#include <QFuture>
#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;

// The Audit workspace for auditors and leads (DESIGN §9 Audit): a filter bar
// (principal, action, change, outcome, time range), the trail in a table, a
// timeline of the selected row's change, the selected entry pretty-printed,
// Verify with progress and Cancel, the problems it found (highlighted in the
// table; a click jumps to the row) and Export of the current filter.
//
// All store work runs off the GUI thread in workers that open their own
// store connection (SqliteStore is single-thread): the trail streams in by
// chunk (the first rows show at once), verify and export report progress
// and can be cancelled. Entry text is shown as plain text only.
namespace hp {

class AuditModel;

class AuditWorkspace : public QWidget
{
    Q_OBJECT

public:
    AuditWorkspace(QString location, Actor actor, QWidget *parent = nullptr);
    ~AuditWorkspace() override;

    void reload(); // asynchronous; emits loaded
    bool loading() const { return m_loading; }
    void verify(); // asynchronous; emits verified or verifyFailed
    void cancelVerify();
    bool verifying() const { return m_verifyWatcher.isRunning(); }
    // Writes the entries of the current filter (asynchronous; emits exported).
    void exportTo(const QString &path, AuditExportFormat format);
    bool exporting() const { return m_exportWatcher.isRunning(); }
    AuditFilter currentFilter() const;
    // Selects the row of `seq` (clearing filters that hide it); false when not loaded.
    bool selectSeq(qint64 seq);

    AuditModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLineEdit *principalFilter() const { return m_principal; }
    QLineEdit *actionFilter() const { return m_action; }
    QLineEdit *changeFilter() const { return m_change; }
    QComboBox *outcomeFilter() const { return m_outcome; }
    QPlainTextEdit *timeline() const { return m_timeline; }
    QPlainTextEdit *details() const { return m_details; }
    QListWidget *problems() const { return m_problems; }
    QPushButton *verifyButton() const { return m_verifyButton; }

Q_SIGNALS:
    void loaded(qint64 entries);
    void loadFailed(const hp::Error &error);
    void verified(const hp::VerifyReport &report);
    void verifyFailed(const hp::Error &error);
    void exported(qint64 entries, const QString &path);
    void exportFailed(const hp::Error &error);

private:
    QWidget *buildFilterBar();
    QWidget *buildSidePanes();
    QWidget *buildVerifyBar();
    void applyFilter();
    void updateCount(); // "shown of loaded"
    void showSelection();
    void showTimeline(const QString &changeId);
    void showDetails(qint64 seq);
    void chooseExportFile();

    // Worker plumbing (auditworkspacetasks.cpp).
    void stopLoading();
    void receiveChunk(quint64 generation, AuditChunk chunk);
    void finishLoading(quint64 generation, const Error *error);
    void showVerifyResult();
    void showExportResult();

    QString m_location;
    Actor m_actor;
    std::unique_ptr<Store> m_reader; // GUI-thread connection for single entries
    AuditModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_principal = nullptr;
    QLineEdit *m_action = nullptr;
    QLineEdit *m_change = nullptr;
    QComboBox *m_outcome = nullptr;
    QLineEdit *m_from = nullptr;
    QLineEdit *m_to = nullptr;
    QLabel *m_filterNote = nullptr;
    QPlainTextEdit *m_timeline = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QListWidget *m_problems = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_exportButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;

    QFuture<void> m_load;
    quint64 m_generation = 0;
    bool m_loading = false;
    qint64 m_total = 0;
    QFutureWatcher<Result<VerifyReport>> m_verifyWatcher;
    QFutureWatcher<Result<AuditExportStats>> m_exportWatcher;
    QString m_exportPath;
};

} // namespace hp
