#include "cli/assessmentview.h"

#include "cli/output.h"

#include <QJsonDocument>

#include <cmath>

namespace hp::cli {

namespace {

const QString kArrow = QStringLiteral(" → ");

QString path(const QStringList &nodes)
{
    QStringList safe;
    safe.reserve(nodes.size());
    for (const QString &n : nodes)
        safe << oneLine(n);
    return safe.join(kArrow);
}

QString changedLines(const Assessment &a)
{
    QString out = QStringLiteral("  changed term %1 = Σ a·e·t over changed resources\n")
                      .arg(termText(a.changedTerm));
    for (const ChangedContribution &c : a.changed) {
        out += QStringLiteral("    %1 %2 (%3) → %4\n")
                   .arg(toString(c.action), oneLine(c.address), oneLine(c.type), oneLine(c.nodeId));
        out += QStringLiteral("      a %1 · e %2 (%3) · t %4 = %5\n")
                   .arg(weightText(c.a), weightText(c.e),
                        c.environment.isEmpty() ? QStringLiteral("unknown") : oneLine(c.environment),
                        weightText(c.t), termText(c.value));
    }
    return out;
}

QString impactedLines(const Assessment &a)
{
    double sum = 0;
    for (const ImpactedNode &n : a.impacted)
        sum += n.value;
    // The impact factor is a policy constant; the ratio shows it as applied.
    QString out = QStringLiteral("  impact term %1").arg(termText(a.impactTerm));
    if (sum > 0)
        out += QStringLiteral(" = %1 × Σ %2").arg(weightText(a.impactTerm / sum), termText(sum));
    out += QStringLiteral(" over impacted nodes (a(s)·decay·e·t of the scoring source)\n");
    for (const ImpactedNode &n : a.impacted) {
        out += QStringLiteral("    %1  depth %2\n").arg(oneLine(n.nodeId)).arg(n.nearestDepth);
        out += QStringLiteral("      a %1 · decay %2 · e %3 (%4) · t %5 = %6  from %7 at distance %8\n")
                   .arg(weightText(n.a), weightText(n.decay), weightText(n.e),
                        n.environment.isEmpty() ? QStringLiteral("unknown") : oneLine(n.environment),
                        weightText(n.t), termText(n.value), oneLine(n.scoringSource))
                   .arg(n.scoringDistance);
        out += QStringLiteral("      nearest path %1\n").arg(path(n.nearestPath));
        if (n.scoringPath != n.nearestPath)
            out += QStringLiteral("      scoring path %1\n").arg(path(n.scoringPath));
    }
    return out;
}

QString flagLines(const Assessment &a)
{
    if (a.flags.empty())
        return QStringLiteral("  flags: none\n");
    QString out = QStringLiteral("  flags\n");
    for (const RiskFlag &f : a.flags) {
        out += QStringLiteral("    %1%2\n")
                   .arg(f.code, f.floor ? QStringLiteral(" (floor %1)").arg(toString(*f.floor))
                                        : QString());
        for (const QString &e : f.evidence)
            out += QStringLiteral("      %1\n").arg(oneLine(e));
    }
    return out;
}

QString shortHash(const QByteArray &hexHash)
{
    return hexHash.isEmpty() ? QStringLiteral("none") : QString::fromLatin1(hexHash.left(12));
}

} // namespace

QString termText(double value)
{
    return QString::number(value, 'f', 4);
}

QString weightText(double value)
{
    QString s = QString::number(value, 'f', 4);
    while (s.endsWith(QLatin1Char('0')))
        s.chop(1);
    if (s.endsWith(QLatin1Char('.')))
        s.chop(1);
    return s;
}

QString riskLine(const Assessment &a)
{
    QString line = QStringLiteral("risk %1 %2 (changed %3 + impact %4)")
                       .arg(a.score)
                       .arg(toString(a.riskClass), termText(a.changedTerm), termText(a.impactTerm));
    const QStringList codes = a.flagCodes();
    if (!codes.isEmpty())
        line += QStringLiteral(" flags: ") + codes.join(QStringLiteral(", "));
    return line;
}

QString reachLine(const Assessment &a)
{
    int unmapped = 0;
    if (const RiskFlag *f = a.flag(QStringLiteral("UNMAPPED")))
        unmapped = static_cast<int>(f->evidence.size());
    return QStringLiteral("%1 changed resource(s) on %2 node(s), %3 unmapped, %4 impacted node(s)")
        .arg(a.changed.size())
        .arg(a.changedNodes.size())
        .arg(unmapped)
        .arg(a.impacted.size());
}

QString assessmentSummaryText(const Assessment &a)
{
    QString out = riskLine(a) + QLatin1Char('\n') + reachLine(a) + QLatin1Char('\n');
    if (a.riskClass != a.scoreClass)
        out += QStringLiteral("class raised from %1 (score) to %2 by the flags' floors\n")
                   .arg(toString(a.scoreClass), toString(a.riskClass));
    if (const RiskFlag *f = a.flag(QStringLiteral("INTENT_MISMATCH"))) {
        out += QStringLiteral("INTENT_MISMATCH: ");
        out += f->evidence.isEmpty() ? QStringLiteral("computed class above the declared impact")
                                     : oneLine(f->evidence.join(QStringLiteral("; ")));
        out += QLatin1Char('\n');
    }
    return out;
}

QString assessmentText(const StoredAssessment &stored)
{
    const Assessment &a = stored.assessment;
    QString out = QStringLiteral("assessment (revision %1, #%2, computed %3, topology %4, policy %5)\n")
                      .arg(stored.revision)
                      .arg(stored.sequence)
                      .arg(isoTime(stored.computedAt), shortHash(stored.topologyHash),
                           shortHash(stored.policyHash));
    out += QStringLiteral("  ") + riskLine(a) + QLatin1Char('\n');
    // The divisor of the shipped policy: the policy engine of a later issue
    // will hand the one in force to the assessor and to this view alike.
    out += QStringLiteral("  score %1 = round(100 · (1 − exp(−(%2 + %3) / %4))); score class "
                          "%5, class %6; effective environment %7\n")
               .arg(a.score)
               .arg(termText(a.changedTerm), termText(a.impactTerm), weightText(RiskConfig().divisor),
                    toString(a.scoreClass),
                    toString(a.riskClass),
                    a.effectiveEnvironment.isEmpty() ? QStringLiteral("unknown")
                                                     : oneLine(a.effectiveEnvironment));
    out += QStringLiteral("  ") + reachLine(a) + QLatin1Char('\n');
    out += changedLines(a);
    out += impactedLines(a);
    out += flagLines(a);
    return out;
}

QJsonObject assessmentJson(const StoredAssessment &stored)
{
    QJsonObject o = QJsonDocument::fromJson(stored.json).object();
    o.insert(QStringLiteral("revision"), stored.revision);
    o.insert(QStringLiteral("sequence"), stored.sequence);
    o.insert(QStringLiteral("topology_hash"), QString::fromLatin1(stored.topologyHash));
    o.insert(QStringLiteral("policy_hash"), QString::fromLatin1(stored.policyHash));
    o.insert(QStringLiteral("computed_at"), isoTime(stored.computedAt));
    return o;
}

} // namespace hp::cli
