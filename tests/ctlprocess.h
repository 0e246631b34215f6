#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

// Runs an executable (the built holdpointctl, git, runuser) and keeps its exit
// code and output. Shared by the command-line tests.
namespace hp::test {

struct CtlRun
{
    int exitCode = -1;
    bool crashed = false;
    QByteArray out;
    QByteArray err;

    // The one JSON object a --json command prints on stdout.
    QJsonObject json() const { return QJsonDocument::fromJson(out.trimmed()).object(); }
    // The {"error": {...}} object a failing --json command prints on stderr.
    QJsonObject error() const
    {
        return QJsonDocument::fromJson(err.trimmed())
            .object()
            .value(QStringLiteral("error"))
            .toObject();
    }
    QString describe() const
    {
        return QStringLiteral("exit %1%2\nstdout: %3\nstderr: %4")
            .arg(exitCode)
            .arg(crashed ? QStringLiteral(" (crashed)") : QString())
            .arg(QString::fromUtf8(out.left(2000)), QString::fromUtf8(err.left(2000)));
    }
};

inline QProcessEnvironment cleanEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The store comes from --db only, and stderr stays as holdpointctl makes it.
    env.remove(QStringLiteral("HOLDPOINT_DB"));
    env.remove(QStringLiteral("HOLDPOINT_LOG_LEVEL"));
    return env;
}

inline CtlRun runProgram(const QString &program, const QStringList &args,
                         const QByteArray &input = {}, const QString &workDir = {},
                         int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(cleanEnvironment());
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    CtlRun r;
    if (!p.waitForStarted(30000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace hp::test
