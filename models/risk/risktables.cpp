#include "risk/risktables.h"

#include "domain/log.h"

#include <QFile>

namespace hp {

namespace {

QStringList entries(const QByteArray &text)
{
    QStringList out;
    for (const QByteArray &raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (!line.isEmpty() && !line.startsWith(u'#'))
            out.append(line);
    }
    return out;
}

std::vector<QRegularExpression> globs(const QByteArray &text)
{
    std::vector<QRegularExpression> out;
    for (const QString &glob : entries(text)) {
        QString re;
        for (const QChar c : glob)
            re += c == u'*' ? QStringLiteral(".*") : QRegularExpression::escape(QString(c));
        out.emplace_back(QStringLiteral("^") + re + QStringLiteral("$"));
    }
    return out;
}

bool anyMatch(const std::vector<QRegularExpression> &list, const QString &text)
{
    for (const QRegularExpression &re : list) {
        if (re.match(text).hasMatch())
            return true;
    }
    return false;
}

QByteArray readResource(const QString &name)
{
    QFile file(QStringLiteral(":/holdpoint/risk/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        log::core()->critical("risk table :/holdpoint/risk/{} is missing", name.toStdString());
        return {};
    }
    return file.readAll();
}

} // namespace

Result<RiskTables> RiskTables::fromText(const QByteArray &stateful, const QByteArray &security,
                                        const QByteArray &commands)
{
    RiskTables t;
    t.m_stateful = globs(stateful);
    t.m_security = globs(security);
    int lineNo = 0;
    for (const QByteArray &raw : commands.split('\n')) {
        ++lineNo;
        const QString line = QString::fromUtf8(raw).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        QRegularExpression re(line, QRegularExpression::CaseInsensitiveOption);
        if (!re.isValid())
            return makeError(ExitCode::Usage, QStringLiteral("invalid_pattern"),
                             QStringLiteral("destructive command pattern on line %1: %2")
                                 .arg(lineNo)
                                 .arg(re.errorString()),
                             QStringLiteral("destructive-commands.txt:%1").arg(lineNo));
        t.m_commands.push_back(std::move(re));
    }
    return t;
}

const RiskTables &RiskTables::builtin()
{
    static const RiskTables tables = [] {
        Result<RiskTables> r = fromText(readResource(QStringLiteral("stateful-types.txt")),
                                        readResource(QStringLiteral("security-types.txt")),
                                        readResource(QStringLiteral("destructive-commands.txt")));
        if (!r) {
            log::core()->critical("risk tables: {}", r.error().message.toStdString());
            return RiskTables{};
        }
        return std::move(*r);
    }();
    return tables;
}

bool RiskTables::isStateful(const QString &type) const
{
    return anyMatch(m_stateful, type);
}

bool RiskTables::isSecuritySensitive(const QString &type) const
{
    return anyMatch(m_security, type);
}

QString RiskTables::destructivePattern(const QString &line) const
{
    for (const QRegularExpression &re : m_commands) {
        if (re.match(line).hasMatch())
            return re.pattern();
    }
    return {};
}

} // namespace hp
