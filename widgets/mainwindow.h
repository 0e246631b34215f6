#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

// The console's main window. It only composes: menus, the DEMO banner of a
// demo store, the status line (who you are, which store) and the workspaces
// as tabs. Review is always first; History shows for leads (DESIGN §2, §9)
// and loads when first shown, again after the store changed. Audit shows for
// auditors and leads and streams the trail in when first shown.
namespace hp {

class ChangeAnnouncer;
class ReviewService;
class ReviewWorkspace;
class HistoryWorkspace;
class AuditWorkspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Starts the service's polling; `service` must outlive the window.
    explicit MainWindow(ReviewService &service, QWidget *parent = nullptr);

    ReviewWorkspace *reviewWorkspace() const { return m_review; }
    HistoryWorkspace *historyWorkspace() const { return m_history; }
    AuditWorkspace *auditWorkspace() const { return m_audit; }
    QTabWidget *workspaces() const { return m_tabs; }
    // Shows the workspace named "review" or "history"; false when unknown or
    // not shown for this principal's roles.
    bool showWorkspace(const QString &name);
    bool historyShown() const;
    // Switches to Review and selects the change there (decided changes are
    // read-only: the decision bar says why).
    bool openInReview(const QString &changeId);
    QLabel *demoBanner() const { return m_demoBanner; }
    // New critical and escalated changes: the tray, or a strip in the window.
    ChangeAnnouncer *announcer() const { return m_announcer; }

public Q_SLOTS:
    void showShortcutSheet();

private:
    void buildMenus();
    void updateStatusLine();
    void updateWorkspaces();
    void onTabChanged(int index);

    ReviewService &m_service;
    ReviewWorkspace *m_review = nullptr;
    HistoryWorkspace *m_history = nullptr;
    AuditWorkspace *m_audit = nullptr;
    bool m_auditLoaded = false;
    QTabWidget *m_tabs = nullptr;
    bool m_historyStale = true;
    QLabel *m_demoBanner = nullptr;
    ChangeAnnouncer *m_announcer = nullptr;
    QLabel *m_who = nullptr;
};

} // namespace hp
