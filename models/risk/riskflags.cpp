#include "risk/riskmodel.h"

// The flags of the DESIGN §4 table, each with its evidence and its floor in
// the effective environment. INTENT_MISMATCH needs the final class and is
// added by assess().
namespace hp {

namespace {

bool isDestructive(PlanAction action)
{
    return action == PlanAction::Delete || action == PlanAction::Replace;
}

QString typeKey(const ChangedResource &c)
{
    return c.kubernetes ? QStringLiteral("k8s:") + c.type : c.type;
}

QString label(const ChangedResource &c)
{
    return QStringLiteral("%1 (%2)").arg(c.address, toString(c.action));
}

} // namespace

void RiskModel::addResourceFlags(const RiskInput &input, Assessment &out) const
{
    QStringList dataLoss;
    QStringList security;
    for (const ChangedResource &c : input.changed) {
        const TopologyNode *node = input.topology.node(c.nodeId);
        if (isDestructive(c.action)) {
            if (node && node->dataBearing)
                dataLoss.append(QStringLiteral("%1: %2 is annotated data-bearing").arg(label(c), c.nodeId));
            else if (m_tables.isStateful(typeKey(c)))
                dataLoss.append(QStringLiteral("%1: %2 is a stateful type").arg(label(c), typeKey(c)));
        }
        if (node && node->securitySensitive)
            security.append(QStringLiteral("%1: %2 is annotated security-sensitive").arg(label(c), c.nodeId));
        else if (m_tables.isSecuritySensitive(typeKey(c)))
            security.append(QStringLiteral("%1: %2 is a security-sensitive type").arg(label(c), typeKey(c)));
    }
    auto push = [&](const QString &code, const QStringList &evidence) {
        if (!evidence.isEmpty())
            out.flags.push_back(RiskFlag{code, evidence, m_config.floorOf(code, out.effectiveEnvironment)});
    };
    push(QStringLiteral("DATA_LOSS"), dataLoss);
    push(QStringLiteral("SECURITY"), security);
    const auto own = std::count_if(input.changed.begin(), input.changed.end(),
                                   [](const ChangedResource &c) { return isDestructive(c.action); });
    const qint64 total = own + input.otherDestructiveCount;
    if (total >= m_config.massChangeCount)
        push(QStringLiteral("MASS_CHANGE"),
             {QStringLiteral("%1 resources deleted or replaced: %2 by this change, %3 by the same agent's other "
                             "changes on this target")
                  .arg(total)
                  .arg(own)
                  .arg(input.otherDestructiveCount)});
}

void RiskModel::addCommandFlags(const RiskInput &input, Assessment &out) const
{
    QStringList destructive;
    QStringList unassessed = input.unassessed;
    for (const CommandArtifact &cmd : input.commands) {
        unassessed.append(QStringLiteral("command artifact %1 cannot be assessed").arg(cmd.name));
        int lineNo = 0;
        for (const QByteArray &raw : cmd.content.split('\n')) {
            ++lineNo;
            const QString line = QString::fromUtf8(raw).trimmed();
            if (line.isEmpty() || line.startsWith(u'#'))
                continue;
            if (!m_tables.destructivePattern(line).isEmpty())
                destructive.append(QStringLiteral("%1:%2: %3").arg(cmd.name).arg(lineNo).arg(line));
        }
    }
    if (!destructive.isEmpty())
        out.flags.push_back(RiskFlag{QStringLiteral("DESTRUCTIVE_COMMAND"), destructive,
                                     m_config.floorOf(QStringLiteral("DESTRUCTIVE_COMMAND"), out.effectiveEnvironment)});
    if (!unassessed.isEmpty())
        out.flags.push_back(RiskFlag{QStringLiteral("UNASSESSED"), unassessed,
                                     m_config.floorOf(QStringLiteral("UNASSESSED"), out.effectiveEnvironment)});
}

void RiskModel::addFlags(const RiskInput &input, Assessment &out) const
{
    addResourceFlags(input, out);
    addCommandFlags(input, out);
    auto push = [&](const QString &code, const QStringList &evidence) {
        if (!evidence.isEmpty())
            out.flags.push_back(RiskFlag{code, evidence, m_config.floorOf(code, out.effectiveEnvironment)});
    };
    push(QStringLiteral("DANGEROUS_TEXT"), input.dangerousText);
    QString why;
    const QString effective = effectiveEnvironment(input, &why);
    if (m_config.environmentWeight(effective) > m_config.environmentWeight(input.declaredEnvironment))
        push(QStringLiteral("ENV_MISMATCH"),
             {QStringLiteral("effective environment %1 is above the declared %2: %3")
                  .arg(effective, input.declaredEnvironment.isEmpty() ? QStringLiteral("(none)")
                                                                      : input.declaredEnvironment,
                       why)});
    QStringList cascades;
    for (const CascadeLink &link : input.cascades)
        cascades.append(link.describe());
    push(QStringLiteral("CASCADE"), cascades);
    QStringList unmapped;
    for (const ChangedResource &c : input.changed) {
        if (input.catalogInForce && !c.mapped)
            unmapped.append(QStringLiteral("%1: no catalog entity names it; scored as %2").arg(label(c), c.nodeId));
    }
    push(QStringLiteral("UNMAPPED"), unmapped);
    if (!input.registeredAgent)
        push(QStringLiteral("UNREGISTERED_AGENT"), {QStringLiteral("submitted by a principal no admin registered")});
}

} // namespace hp
