// holdpoint-report: renders one change's evidence report as a PDF. It exists
// so holdpointctl stays free of Qt Gui (its start-up is benchmarked):
// `holdpointctl audit report` checks the caller's role, runs this program
// from its own directory, and records the `audit.report` entry. Usage:
//   holdpoint-report --db STORE --change ID --out FILE
// It writes FILE whole or not at all and reads the store without writing.
// Exit codes are holdpointctl's (DESIGN §8); the error goes to stderr.
#include "domain/log.h"
#include "report/evidencereport.h"
#include "storage/store.h"

#include <QCommandLineParser>
#include <QGuiApplication>

#include <cstdio>

namespace {

int fail(const hp::Error &e)
{
    const QString where = e.path.isEmpty() ? QString() : e.path + QStringLiteral(": ");
    std::fputs((where + e.message + QLatin1Char('\n')).toUtf8().constData(), stderr);
    return static_cast<int>(e.code);
}

} // namespace

int main(int argc, char *argv[])
{
    // Never a window: the offscreen platform needs no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("holdpoint"));
    QCoreApplication::setApplicationVersion(QStringLiteral(HOLDPOINT_VERSION));
    hp::log::setupLogging("holdpoint-report", spdlog::level::off);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Renders a change's evidence report (PDF)"));
    parser.addHelpOption();
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("The store."), QStringLiteral("STORE"));
    const QCommandLineOption change(QStringLiteral("change"), QStringLiteral("The change id."),
                                    QStringLiteral("ID"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("The PDF to write."),
                                 QStringLiteral("FILE"));
    parser.addOptions({db, change, out});
    parser.process(app);
    if (!parser.isSet(db) || !parser.isSet(change) || !parser.isSet(out))
        return fail(hp::makeError(hp::ExitCode::Usage, QStringLiteral("usage"),
                                  QStringLiteral("holdpoint-report needs --db, --change and --out")));

    auto store = hp::openStore(parser.value(db));
    if (!store)
        return fail(store.error());
    auto evidence = hp::report::gatherEvidence(**store, parser.value(change));
    if (!evidence)
        return fail(evidence.error());
    auto written = hp::report::writeEvidencePdf(*evidence, parser.value(out));
    if (!written)
        return fail(written.error());
    return 0;
}
