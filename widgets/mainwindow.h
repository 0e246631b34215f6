#pragma once

#include <QMainWindow>

class QLabel;

// The console's main window. It only composes: menus, the DEMO banner of a
// demo store, the status line (who you are, which store) and the Review
// workspace. Which workspaces show depends on the role; History and Audit
// come in later issues.
namespace hp {

class ReviewService;
class ReviewWorkspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // Starts the service's polling; `service` must outlive the window.
    explicit MainWindow(ReviewService &service, QWidget *parent = nullptr);

    ReviewWorkspace *reviewWorkspace() const { return m_review; }
    QLabel *demoBanner() const { return m_demoBanner; }

public Q_SLOTS:
    void showShortcutSheet();

private:
    void buildMenus();
    void updateStatusLine();

    ReviewService &m_service;
    ReviewWorkspace *m_review = nullptr;
    QLabel *m_demoBanner = nullptr;
    QLabel *m_who = nullptr;
};

} // namespace hp
