// holdpoint: the review console. Thin: parse options, open the store, show
// the main window. All real code lives in holdpoint_core and holdpoint_widgets.
#include "domain/identity.h"
#include "domain/log.h"
#include "artifactpane.h"
#include "audit/auditworkspace.h"
#include "history/historyworkspace.h"
#include "mainwindow.h"
#include "review/reviewservice.h"
#include "changedetailspane.h"
#include "reviewworkspace.h"
#include "storage/store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <optional>

namespace {

struct Options
{
    QString db;
    QString screenshot;
    QString select;   // change id to select instead of the first pending one
    int artifact = -1; // artifact index to show in the selected change
    QString workspace; // "review" (default), "history" or "audit"
    bool details = false; // show the Details tab beside the artifacts
};

void printErr(const QString &text)
{
    std::fputs(text.toLocal8Bit().constData(), stderr);
    std::fputc('\n', stderr);
}

// Qt aborts with a terse plugin error when no display is reachable; say what
// to do instead, before Qt tries.
bool displayAvailable()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
}

// Parses before QApplication exists, so --help works without a display.
// Returns an exit code when the program should stop here.
std::optional<int> parseOptions(int argc, char **argv, Options &options)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Holdpoint review console"));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("The store (default: HOLDPOINT_DB or %1).")
                                    .arg(QStringLiteral("the application data directory")),
                                QStringLiteral("PATH"));
    const QCommandLineOption shot(
        QStringLiteral("screenshot"),
        QStringLiteral("Open the store, select the first pending change, save the window "
                       "as a PNG to FILE and exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("Select the change ID (with --screenshot)."),
                                    QStringLiteral("ID"));
    const QCommandLineOption artifact(
        QStringLiteral("artifact"),
        QStringLiteral("Show the artifact with index N of the selected change (with --screenshot)."),
        QStringLiteral("N"));
    const QCommandLineOption workspace(
        QStringLiteral("workspace"),
        QStringLiteral("Open on the workspace NAME: review, history (leads) or audit (auditors, leads)."),
        QStringLiteral("NAME"));
    parser.addOption(workspace);
    const QCommandLineOption details(QStringLiteral("details"),
                                     QStringLiteral("Show the change's Details tab (for screenshots)."));
    parser.addOption(details);
    parser.addOption(db);
    parser.addOption(shot);
    parser.addOption(select);
    parser.addOption(artifact);
    if (!parser.parse(args)) {
        printErr(QStringLiteral("holdpoint: %1 (see holdpoint --help)").arg(parser.errorText()));
        return 2;
    }
    if (parser.isSet(help)) {
        // Without a QCoreApplication the parser cannot know the program name.
        QString text = parser.helpText();
        text.replace(QStringLiteral("<executable_name>"), QStringLiteral("holdpoint"));
        std::fputs(text.toLocal8Bit().constData(), stdout);
        return 0;
    }
    if (parser.isSet(version)) {
        std::printf("holdpoint %s\n", HOLDPOINT_VERSION);
        return 0;
    }
    options.db = parser.value(db);
    options.screenshot = parser.value(shot);
    options.select = parser.value(select);
    options.workspace = parser.value(workspace);
    options.details = parser.isSet(details);
    if (!options.workspace.isEmpty() && options.workspace != QLatin1String("review") &&
        options.workspace != QLatin1String("history") && options.workspace != QLatin1String("audit")) {
        printErr(QStringLiteral("holdpoint: --workspace takes review, history or audit"));
        return 2;
    }
    if (parser.isSet(artifact)) {
        bool ok = false;
        options.artifact = parser.value(artifact).toInt(&ok);
        if (!ok || options.artifact < 0) {
            printErr(QStringLiteral("holdpoint: --artifact takes an artifact index (0, 1, ...)"));
            return 2;
        }
    }
    return std::nullopt;
}

// Shows the window at a fixed size, selects the first pending change, lets
// the layout settle, saves the PNG and quits.
int takeScreenshot(hp::MainWindow &window, const Options &options)
{
    const QString &file = options.screenshot;
    window.resize(1440, 900);
    window.show();
    hp::ReviewWorkspace *review = window.reviewWorkspace();
    if (options.details)
        review->sideTabs()->setCurrentWidget(review->detailsPane());
    if (options.select.isEmpty()) {
        review->selectFirstPending();
    } else if (!review->selectChange(options.select)) {
        printErr(QStringLiteral("holdpoint: no change %1 in the queue").arg(options.select));
        return 6;
    }
    if (options.artifact >= 0 && !review->artifactPane()->selectArtifact(options.artifact)) {
        printErr(QStringLiteral("holdpoint: the change has no artifact %1").arg(options.artifact));
        return 6;
    }
    int code = 0;
    const auto shoot = [&window, &file, &code] {
        QTimer::singleShot(800, &window, [&window, &file, &code] {
            const QPixmap pixmap = window.grab();
            if (!pixmap.save(file, "PNG")) {
                printErr(
                    QStringLiteral("holdpoint: could not write the screenshot to %1").arg(file));
                code = 1;
            }
            QApplication::quit();
        });
    };
    if (options.workspace == QLatin1String("history")) {
        // The history loads off the GUI thread: shoot once it is shown.
        QObject::connect(window.historyWorkspace(), &hp::HistoryWorkspace::loaded, &window, shoot,
                         Qt::SingleShotConnection);
        QObject::connect(window.historyWorkspace(), &hp::HistoryWorkspace::loadFailed, &window,
                         shoot, Qt::SingleShotConnection);
        if (!window.showWorkspace(options.workspace)) {
            printErr(QStringLiteral("holdpoint: the History workspace is for leads"));
            return 8;
        }
    } else if (options.workspace == QLatin1String("audit")) {
        // Shot once the trail is loaded and verified (both off the GUI thread).
        hp::AuditWorkspace *audit = window.auditWorkspace();
        QObject::connect(audit, &hp::AuditWorkspace::loaded, audit, &hp::AuditWorkspace::verify,
                         Qt::SingleShotConnection);
        QObject::connect(audit, &hp::AuditWorkspace::verified, &window, shoot, Qt::SingleShotConnection);
        QObject::connect(audit, &hp::AuditWorkspace::verifyFailed, &window, shoot, Qt::SingleShotConnection);
        QObject::connect(audit, &hp::AuditWorkspace::loadFailed, &window, shoot, Qt::SingleShotConnection);
        if (!window.showWorkspace(options.workspace)) {
            printErr(QStringLiteral("holdpoint: the Audit workspace is for auditors and leads"));
            return 8;
        }
    } else {
        shoot();
    }
    const int loop = QApplication::exec();
    return code != 0 ? code : loop;
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    if (const std::optional<int> exit = parseOptions(argc, argv, options))
        return *exit;
    if (!displayAvailable()) {
        printErr(QStringLiteral(
            "holdpoint: no display (DISPLAY and WAYLAND_DISPLAY are empty).\n"
            "The console needs a graphical session. Without one, run it under a virtual X "
            "server:\n    xvfb-run -a holdpoint --db PATH\n"
            "or use the command-line client: holdpointctl list --db PATH"));
        return 2;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("holdpoint"));
    QApplication::setApplicationVersion(QStringLiteral(HOLDPOINT_VERSION));
    hp::log::setupLogging("holdpoint");

    const QString location = options.db.isEmpty() ? hp::defaultStoreLocation() : options.db;
    hp::Result<std::unique_ptr<hp::Store>> store = hp::openStore(location);
    if (!store) {
        // The store's message says what is wrong and, for a missing store,
        // how to create one (`holdpointctl init` or `holdpointctl demo`).
        const QString message =
            QStringLiteral("Cannot open the store %1:\n%2").arg(location, store.error().message);
        printErr(QStringLiteral("holdpoint: ") + message);
        if (options.screenshot.isEmpty()) {
            QMessageBox box(QMessageBox::Critical, QStringLiteral("Holdpoint"), message,
                            QMessageBox::Close);
            box.setTextFormat(Qt::PlainText);
            box.exec();
        }
        return static_cast<int>(store.error().code);
    }

    // Team mode: the principal is the database login (session_user), not the
    // OS login running the console.
    const QString login =
        (*store)->sessionLogin().isEmpty() ? hp::currentLogin() : (*store)->sessionLogin();
    hp::ReviewService service(**store, login);
    hp::MainWindow window(service);
    if (!options.screenshot.isEmpty())
        return takeScreenshot(window, options);
    window.resize(1440, 900);
    window.show();
    return QApplication::exec();
}
