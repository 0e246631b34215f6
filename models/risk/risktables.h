#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

#include <vector>

// The resource type and command tables of DESIGN §4, read from data files in
// resources/risk/ (":/holdpoint/risk/stateful-types.txt",
// "security-types.txt", "destructive-commands.txt"): known stateful
// (data-bearing) and security-sensitive types for AWS, Google Cloud, Azure
// and Kubernetes (kinds written k8s:Kind), and destructive command patterns.
namespace hp {

class RiskTables
{
public:
    // The embedded tables, read once. A missing or malformed embedded file is
    // a build defect: it is logged and that table stays empty.
    static const RiskTables &builtin();
    // Tables from text (one entry per line, # comments); a bad regular
    // expression is refused naming its line.
    static Result<RiskTables> fromText(const QByteArray &stateful, const QByteArray &security,
                                       const QByteArray &commands);

    // `type` is a Terraform type or "k8s:Kind".
    bool isStateful(const QString &type) const;
    bool isSecuritySensitive(const QString &type) const;
    // The first destructive pattern `line` matches; empty when none.
    QString destructivePattern(const QString &line) const;

private:
    std::vector<QRegularExpression> m_stateful;
    std::vector<QRegularExpression> m_security;
    std::vector<QRegularExpression> m_commands;
};

} // namespace hp
