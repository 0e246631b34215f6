#pragma once

#include "ctlprocess.h"
#include "domain/sha256.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include <memory>

// A per-test temporary store driven through the built holdpointctl as the
// current login. Test classes derive from it beside QObject.
namespace hp::test {

class CtlFixture
{
public:
    static QString data(const QString &name) { return QStringLiteral(HP_TEST_DATA "/cli/") + name; }
    QString db() const { return m_dir->filePath(QStringLiteral("store.db")); }
    QString tmp(const QString &name) const { return m_dir->filePath(name); }
    bool newFolder()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        return m_dir->isValid();
    }
    const QTemporaryDir &folder() const { return *m_dir; }

    static CtlRun ctl(const QStringList &args, const QByteArray &input = {},
                      const QString &workDir = {})
    {
        return runProgram(QStringLiteral(HP_CTL_PATH), args, input, workDir);
    }
    // Runs with --db of the per-test store.
    CtlRun onStore(QStringList args, const QByteArray &input = {},
                   const QString &workDir = {}) const
    {
        args << QStringLiteral("--db") << db();
        return ctl(args, input, workDir);
    }
    // A new store whose admin is a fictional login, so the current login may
    // submit (as an unregistered agent).
    CtlRun initStore() const
    {
        return onStore(
            {QStringLiteral("init"), QStringLiteral("--admin"), QStringLiteral("hp-test-admin")});
    }
    QJsonArray changes() const
    {
        const CtlRun r = onStore({QStringLiteral("list"), QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning("list failed: %s", qPrintable(r.describe()));
        return r.json().value(QStringLiteral("changes")).toArray();
    }
    QString changeIdByTitle(const QString &title) const
    {
        const QJsonArray all = changes();
        for (const QJsonValue &c : all) {
            if (c.toObject().value(QStringLiteral("title")).toString() == title)
                return c.toObject().value(QStringLiteral("id")).toString();
        }
        return {};
    }
    // Submits scale-api.plan.json plus `extra` options; the new id or empty.
    QString submitParts(const QStringList &extra) const
    {
        const QStringList args{
            QStringLiteral("submit"),           QStringLiteral("--json"),
            QStringLiteral("--terraform-plan"), data(QStringLiteral("scale-api.plan.json")),
            QStringLiteral("--title"),          QStringLiteral("Scale cost-api"),
            QStringLiteral("--agent-version"),  QStringLiteral("1.0"),
            QStringLiteral("--run-id"),         QStringLiteral("run-1")};
        const CtlRun r = onStore(args + extra);
        if (r.exitCode != 0)
            qWarning("submit failed: %s", qPrintable(r.describe()));
        return r.json().value(QStringLiteral("id")).toString();
    }
    static QString fileSha(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QString::fromLatin1(Sha256::digest(f.readAll()).toHex());
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

} // namespace hp::test
