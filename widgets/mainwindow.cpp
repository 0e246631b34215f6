#include "mainwindow.h"

#include "changeannouncer.h"
#include "audit/auditworkspace.h"
#include "history/historyworkspace.h"
#include "review/reviewservice.h"
#include "reviewworkspace.h"
#include "shortcutsheet.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace hp {

MainWindow::MainWindow(ReviewService &service, QWidget *parent)
    : QMainWindow(parent)
    , m_service(service)
{
    const StoreInfo info = service.storeInfo();
    setWindowTitle(QStringLiteral("Holdpoint — %1").arg(info.location));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    m_demoBanner = new QLabel(
        QStringLiteral("DEMO STORE — sample changes and people; nothing here reaches production"),
        central);
    m_demoBanner->setTextFormat(Qt::PlainText);
    m_demoBanner->setAlignment(Qt::AlignCenter);
    m_demoBanner->setStyleSheet(
        QStringLiteral("QLabel { background: #5b3fa0; color: white; font-weight: bold;"
                       " padding: 5px; letter-spacing: 1px; }"));
    m_demoBanner->setVisible(info.demo);
    layout->addWidget(m_demoBanner);
    m_announcer = new ChangeAnnouncer(true, central);
    layout->addWidget(m_announcer);

    m_tabs = new QTabWidget(central);
    m_tabs->setDocumentMode(true);
    m_review = new ReviewWorkspace(service, m_tabs);
    m_tabs->addTab(m_review, QStringLiteral("Review"));
    // History reads through its own connection, off the GUI thread.
    const QString location = info.location;
    m_history = new HistoryWorkspace(
        [location]() -> Result<std::vector<HistoryRow>> {
            Result<std::unique_ptr<Store>> store = openStore(location);
            if (!store)
                return store.error();
            return (*store)->history(HistoryQuery{});
        },
        m_tabs);
    m_tabs->addTab(m_history, QStringLiteral("History"));
    // Audit (auditors and leads) streams the trail through its own connections.
    m_audit = new AuditWorkspace(location, service.actor(), m_tabs);
    m_tabs->addTab(m_audit, QStringLiteral("Audit"));
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);
    connect(m_tabs, &QTabWidget::currentChanged, this, &MainWindow::onTabChanged);
    connect(m_history, &HistoryWorkspace::openChangeRequested, this, &MainWindow::openInReview);
    connect(&service, &ReviewService::changesUpdated, this, [this] {
        m_historyStale = true;
        if (m_tabs->currentWidget() == m_history)
            onTabChanged(m_tabs->currentIndex());
    });

    m_who = new QLabel(this);
    m_who->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_who);
    buildMenus();

    connect(&service, &ReviewService::principalChanged, this, &MainWindow::updateStatusLine);
    connect(&service, &ReviewService::principalChanged, this, &MainWindow::updateWorkspaces);
    connect(&service, &ReviewService::storeFailed, this, [this](const Error &error) {
        statusBar()->showMessage(QStringLiteral("Store problem: %1").arg(error.message));
    });
    if (Status s = service.refresh(); !s)
        statusBar()->showMessage(
            QStringLiteral("Could not read the store: %1").arg(s.error().message));
    updateStatusLine();
    updateWorkspaces();
    // The queue read above is the announcer's baseline: only what is new
    // since the console started is announced.
    m_announcer->update(service.changes());
    connect(&service, &ReviewService::changesUpdated, m_announcer, &ChangeAnnouncer::update);
    connect(m_announcer, &ChangeAnnouncer::openRequested, this, &MainWindow::openInReview);
    connect(&service, &ReviewService::ticked, this, [this](const TickResult &r) {
        statusBar()->showMessage(QStringLiteral("Timer events written: %1 escalated, %2 expired, %3 approvals lapsed")
                                     .arg(r.escalated)
                                     .arg(r.expired)
                                     .arg(r.approvalsLapsed),
                                 10000);
    });
    service.startPolling();
    service.startTicking();
    m_review->focusQueue();
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *refresh = file->addAction(QStringLiteral("&Refresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    connect(refresh, &QAction::triggered, this, [this] { (void)m_service.refresh(); });
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    QAction *keys = help->addAction(QStringLiteral("&Keyboard shortcuts"));
    keys->setShortcut(QKeySequence(QStringLiteral("?")));
    connect(keys, &QAction::triggered, this, &MainWindow::showShortcutSheet);
    QAction *about = help->addAction(QStringLiteral("&About Holdpoint"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, QStringLiteral("About Holdpoint"),
            QStringLiteral(
                "Holdpoint %1\nThe hold point between an autonomous agent and production.")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showShortcutSheet()
{
    ShortcutSheet sheet(this);
    sheet.exec();
}

void MainWindow::updateStatusLine()
{
    const PrincipalInfo &who = m_service.principal();
    const QString roles = who.roles.empty() ? QStringLiteral("no roles")
                                            : who.roles.names().join(QStringLiteral(", "));
    const StoreInfo info = m_service.storeInfo();
    m_who->setText(
        QStringLiteral("%1 (%2) · %3 store %4").arg(who.login, roles, info.backend, info.location));
}

void MainWindow::updateWorkspaces()
{
    const bool lead = m_service.principal().roles.holds(Role::Lead);
    const bool auditor = lead || m_service.principal().roles.has(Role::Auditor);
    m_tabs->setTabVisible(m_tabs->indexOf(m_history), lead);
    m_tabs->setTabVisible(m_tabs->indexOf(m_audit), auditor);
    m_tabs->tabBar()->setVisible(auditor); // one workspace: no tab bar
    if ((!lead && m_tabs->currentWidget() == m_history) || (!auditor && m_tabs->currentWidget() == m_audit))
        m_tabs->setCurrentWidget(m_review);
}

bool MainWindow::historyShown() const
{
    return m_tabs->isTabVisible(m_tabs->indexOf(m_history));
}

bool MainWindow::showWorkspace(const QString &name)
{
    if (name == QLatin1String("review")) {
        m_tabs->setCurrentWidget(m_review);
        return true;
    }
    if (name == QLatin1String("audit") && m_tabs->isTabVisible(m_tabs->indexOf(m_audit))) {
        m_tabs->setCurrentWidget(m_audit);
        return true;
    }
    if (name == QLatin1String("history") && historyShown()) {
        m_tabs->setCurrentWidget(m_history);
        return true;
    }
    return false;
}

void MainWindow::onTabChanged(int index)
{
    if (m_tabs->widget(index) == m_audit && !m_auditLoaded) {
        m_auditLoaded = true; // loaded once; Reload in the workspace after that
        m_audit->reload();
    }
    if (m_tabs->widget(index) == m_history && m_historyStale) {
        m_historyStale = false;
        m_history->reload();
    }
}

bool MainWindow::openInReview(const QString &changeId)
{
    m_tabs->setCurrentWidget(m_review);
    if (m_review->selectChange(changeId))
        return true;
    statusBar()->showMessage(
        QStringLiteral("Change %1 is not in the queue (is a queue filter set?)").arg(changeId));
    return false;
}

} // namespace hp
