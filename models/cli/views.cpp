#include "cli/views.h"

#include "cli/output.h"

#include <QJsonArray>

namespace hp::cli {

namespace {

QJsonValue optionalImpact(const std::optional<Impact> &i)
{
    return i ? QJsonValue(toString(*i)) : QJsonValue(QJsonValue::Null);
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject artifactJson(const ArtifactInfo &a)
{
    return QJsonObject{
        {QStringLiteral("index"), a.index}, {QStringLiteral("kind"), toString(a.kind)},
        {QStringLiteral("name"), a.name},   {QStringLiteral("sha256"), hex(a.sha256)},
        {QStringLiteral("size"), a.size},   {QStringLiteral("parts"), a.parts}};
}

QJsonObject revisionJson(const RevisionInfo &r)
{
    QJsonArray artifacts;
    for (const ArtifactInfo &a : r.artifacts)
        artifacts.append(artifactJson(a));
    return QJsonObject{{QStringLiteral("number"), r.number},
                       {QStringLiteral("submitter"), r.submitter},
                       {QStringLiteral("created_at"), isoTime(r.createdAt)},
                       {QStringLiteral("content_hash"), hex(r.contentHash)},
                       {QStringLiteral("title"), r.title},
                       {QStringLiteral("kind"), toString(r.meta.kind)},
                       {QStringLiteral("environment"), r.meta.environment},
                       {QStringLiteral("target"), r.meta.target},
                       {QStringLiteral("artifacts"), artifacts}};
}

QJsonObject decisionJson(const DecisionRecord &d)
{
    return QJsonObject{{QStringLiteral("id"), d.id},
                       {QStringLiteral("revision"), d.revision},
                       {QStringLiteral("principal"), d.principal},
                       {QStringLiteral("roles"), strings(d.roles.names())},
                       {QStringLiteral("action"), toString(d.action)},
                       {QStringLiteral("reason"), d.reason},
                       {QStringLiteral("at"), isoTime(d.at)},
                       {QStringLiteral("counts"), d.counts},
                       {QStringLiteral("uncounted"), toString(d.uncounted)}};
}

QJsonObject eventJson(const ChangeEvent &e)
{
    return QJsonObject{{QStringLiteral("kind"), toString(e.kind)},
                       {QStringLiteral("revision"), e.revision},
                       {QStringLiteral("principal"), e.principal},
                       {QStringLiteral("reason"), e.reason},
                       {QStringLiteral("at"), isoTime(e.at)}};
}

QString shortTime(const QDateTime &t)
{
    return t.isValid()
               ? t.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")) + QStringLiteral("Z")
               : QString();
}

QString pad(const QString &s, int width)
{
    return s.size() >= width ? s + QLatin1Char(' ') : s.leftJustified(width + 1);
}

QString decisionLine(const DecisionRecord &d)
{
    // Whether it counts matters for approvals; other decisions say why they
    // do not count only when the store gives a reason.
    QString counted;
    if (d.uncounted != UncountedReason::None)
        counted = QStringLiteral("not counted: %1").arg(toString(d.uncounted));
    else if (d.action == DecisionAction::Approve)
        counted = d.counts ? QStringLiteral("counts") : QStringLiteral("not counted");
    QString line = QStringLiteral("  #%1 r%2 %3 %4 by %5 [%6]")
                       .arg(d.id)
                       .arg(d.revision)
                       .arg(shortTime(d.at), toString(d.action), oneLine(d.principal),
                            d.roles.empty() ? QStringLiteral("no role")
                                            : d.roles.names().join(QLatin1Char(',')));
    if (!counted.isEmpty())
        line += QStringLiteral(" (%1)").arg(counted);
    if (!d.reason.isEmpty())
        line += QStringLiteral(": ") + oneLine(d.reason);
    return line + QLatin1Char('\n');
}

// " (name tf-agent, version 2.3.1, run run-8812)", leaving out what is empty.
QString agentDetails(const ChangeSummary &s, const ChangeDetail &d)
{
    QStringList parts;
    if (!s.agentName.isEmpty())
        parts << QStringLiteral("name ") + oneLine(s.agentName);
    if (!d.agentVersion.isEmpty())
        parts << QStringLiteral("version ") + oneLine(d.agentVersion);
    if (!d.agentRunId.isEmpty())
        parts << QStringLiteral("run ") + oneLine(d.agentRunId);
    return parts.isEmpty() ? QString()
                           : QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
}

QString revisionText(const RevisionInfo &r)
{
    QString out = QStringLiteral("revision %1 by %2 at %3\n  content hash %4\n")
                      .arg(r.number)
                      .arg(oneLine(r.submitter), shortTime(r.createdAt), hex(r.contentHash));
    for (const ArtifactInfo &a : r.artifacts) {
        out += QStringLiteral("  [%1] %2 %3  %4 bytes  sha256 %5\n")
                   .arg(a.index)
                   .arg(toString(a.kind), oneLine(a.name))
                   .arg(a.size)
                   .arg(hex(a.sha256));
    }
    return out;
}

QString lastReason(const ChangeDetail &d, DecisionAction action)
{
    for (auto it = d.decisions.rbegin(); it != d.decisions.rend(); ++it) {
        if (it->action == action)
            return it->reason;
    }
    return {};
}

} // namespace

std::optional<Error> verdictExit(const ChangeDetail &d)
{
    const QString id = d.summary.id;
    switch (d.summary.verdict.status) {
    case ChangeStatus::Pending:
        return makeError(
            ExitCode::TimedOut, QStringLiteral("pending"),
            QStringLiteral("change %1 is still pending: %2").arg(id, d.summary.verdict.needs));
    case ChangeStatus::Rejected: {
        const QString why = lastReason(d, DecisionAction::Reject);
        return makeError(
            ExitCode::Rejected, QStringLiteral("rejected"),
            QStringLiteral("change %1 was rejected%2")
                .arg(id, why.isEmpty() ? QString() : QStringLiteral(": ") + oneLine(why)));
    }
    case ChangeStatus::Expired:
        return makeError(ExitCode::ExpiredOrWithdrawn, QStringLiteral("expired"),
                         QStringLiteral("the approval of change %1 has expired").arg(id));
    case ChangeStatus::Withdrawn:
        return makeError(ExitCode::ExpiredOrWithdrawn, QStringLiteral("withdrawn"),
                         QStringLiteral("change %1 was withdrawn").arg(id));
    case ChangeStatus::Approved:
    case ChangeStatus::Applied:
    case ChangeStatus::Failed:
        break;
    }
    return std::nullopt;
}

QJsonObject verdictJson(const Verdict &v)
{
    return QJsonObject{{QStringLiteral("status"), toString(v.status)},
                       {QStringLiteral("escalated"), v.escalated},
                       {QStringLiteral("counted_approvals"), v.countedApprovals},
                       {QStringLiteral("required_approvals"), v.requiredApprovals},
                       {QStringLiteral("lead_required"), v.leadRequired},
                       {QStringLiteral("lead_present"), v.leadPresent},
                       {QStringLiteral("needs"), v.needs},
                       {QStringLiteral("rule"), v.rule},
                       {QStringLiteral("full_review"), v.fullReview},
                       {QStringLiteral("sla_seconds"), v.slaSeconds},
                       {QStringLiteral("sla_deadline"), isoTime(v.slaDeadline)},
                       {QStringLiteral("sla_breached"), v.slaBreached},
                       {QStringLiteral("expires_at"), isoTime(v.expiresAt)},
                       {QStringLiteral("approval_expires_at"), isoTime(v.approvalExpiresAt)},
                       {QStringLiteral("policy_version"), v.policyVersion},
                       {QStringLiteral("policy_hash"), QString::fromLatin1(v.policyHash)}};
}

QJsonObject summaryJson(const ChangeSummary &s)
{
    return QJsonObject{{QStringLiteral("id"), s.id},
                       {QStringLiteral("kind"), toString(s.kind)},
                       {QStringLiteral("title"), s.title},
                       {QStringLiteral("agent"), s.agentPrincipal},
                       {QStringLiteral("agent_name"), s.agentName},
                       {QStringLiteral("operator"), s.operatorLogin},
                       {QStringLiteral("environment"), s.environment},
                       {QStringLiteral("target"), s.target},
                       {QStringLiteral("declared_impact"), optionalImpact(s.declaredImpact)},
                       {QStringLiteral("revision"), s.latestRevision},
                       {QStringLiteral("created_at"), isoTime(s.createdAt)},
                       {QStringLiteral("updated_at"), isoTime(s.updatedAt)},
                       {QStringLiteral("status"), toString(s.verdict.status)},
                       {QStringLiteral("escalated"), s.verdict.escalated},
                       {QStringLiteral("verdict"), verdictJson(s.verdict)},
                       {QStringLiteral("risk_score"),
                        s.riskScore >= 0 ? QJsonValue(s.riskScore) : QJsonValue()},
                       {QStringLiteral("risk_class"), optionalImpact(s.riskClass)},
                       {QStringLiteral("risk_flags"), strings(s.riskFlags)},
                       {QStringLiteral("deadline"), isoTime(s.deadline)}};
}

QJsonObject detailJson(const ChangeDetail &d)
{
    QJsonObject o = summaryJson(d.summary);
    o.insert(QStringLiteral("agent_version"), d.agentVersion);
    o.insert(QStringLiteral("agent_run_id"), d.agentRunId);
    o.insert(QStringLiteral("intent"), d.intent);
    o.insert(QStringLiteral("unregistered_agent"), d.unregisteredAgent);
    o.insert(QStringLiteral("contributors"), strings(d.contributors));
    QJsonArray revisions, decisions, events;
    for (const RevisionInfo &r : d.revisions)
        revisions.append(revisionJson(r));
    for (const DecisionRecord &r : d.decisions)
        decisions.append(decisionJson(r));
    for (const ChangeEvent &e : d.events)
        events.append(eventJson(e));
    o.insert(QStringLiteral("revisions"), revisions);
    o.insert(QStringLiteral("decisions"), decisions);
    o.insert(QStringLiteral("events"), events);
    return o;
}

QJsonObject principalJson(const PrincipalInfo &p)
{
    return QJsonObject{{QStringLiteral("login"), p.login},
                       {QStringLiteral("kind"), toString(p.kind)},
                       {QStringLiteral("roles"), strings(p.roles.names())},
                       {QStringLiteral("registered_agent"), p.registeredAgent},
                       {QStringLiteral("operator"), p.operatorLogin}};
}

QJsonObject agentJson(const AgentRegistration &a)
{
    return QJsonObject{{QStringLiteral("login"), a.login},
                       {QStringLiteral("operator"), a.operatorLogin},
                       {QStringLiteral("registered_by"), a.registeredBy},
                       {QStringLiteral("registered_at"), isoTime(a.registeredAt)}};
}

QString approvalsText(const Verdict &v)
{
    QString s = QStringLiteral("%1/%2").arg(v.countedApprovals).arg(v.requiredApprovals);
    if (v.leadRequired && !v.leadPresent)
        s += QStringLiteral("+lead");
    return s;
}

QString statusText(const Verdict &v)
{
    return v.escalated && v.status == ChangeStatus::Pending ? QStringLiteral("pending!")
                                                            : toString(v.status);
}

QString riskText(const ChangeSummary &s)
{
    return s.riskClass ? QStringLiteral("%1 %2").arg(s.riskScore).arg(toString(*s.riskClass))
                       : QStringLiteral("-");
}

QString listText(const std::vector<ChangeSummary> &changes)
{
    if (changes.empty())
        return QStringLiteral("no changes\n");
    QString out = pad(QStringLiteral("ID"), 26) + pad(QStringLiteral("STATUS"), 9) +
                  pad(QStringLiteral("RISK"), 11) +
                  pad(QStringLiteral("APPR"), 8) + pad(QStringLiteral("ENVIRONMENT"), 12) +
                  pad(QStringLiteral("AGENT"), 12) + QStringLiteral("TITLE\n");
    for (const ChangeSummary &s : changes) {
        out += pad(s.id, 26) + pad(statusText(s.verdict), 9) + pad(riskText(s), 11) +
               pad(approvalsText(s.verdict), 8) +
               pad(oneLine(s.environment), 12) + pad(oneLine(s.agentPrincipal), 12) +
               oneLine(s.title) + QLatin1Char('\n');
    }
    out += QStringLiteral("%1 change(s); '!' marks an escalated change\n").arg(changes.size());
    return out;
}

QString detailText(const ChangeDetail &d)
{
    const ChangeSummary &s = d.summary;
    QString out = QStringLiteral("change %1  %2\n").arg(s.id, oneLine(s.title));
    out += QStringLiteral("status      %1%2, approvals %3%4\n")
               .arg(toString(s.verdict.status),
                    s.verdict.escalated ? QStringLiteral(" (escalated)") : QString(),
                    approvalsText(s.verdict),
                    s.verdict.needs.isEmpty() ? QString()
                                              : QStringLiteral(": ") + oneLine(s.verdict.needs));
    out += QStringLiteral("kind        %1\n").arg(toString(s.kind));
    out += QStringLiteral("agent       %1%2%3\n")
               .arg(oneLine(s.agentPrincipal), agentDetails(s, d),
                    d.unregisteredAgent ? QStringLiteral(" UNREGISTERED_AGENT") : QString());
    out += QStringLiteral("operator    %1\n").arg(oneLine(s.operatorLogin));
    out += QStringLiteral("environment %1\ntarget      %2\n")
               .arg(oneLine(s.environment), oneLine(s.target));
    if (s.declaredImpact)
        out += QStringLiteral("impact      %1 (declared)\n").arg(toString(*s.declaredImpact));
    out += QStringLiteral("risk        %1\n").arg(riskText(s));
    if (s.deadline.isValid())
        out += QStringLiteral("review by   %1\n").arg(shortTime(s.deadline));
    out += QStringLiteral("created     %1\nupdated     %2\n")
               .arg(shortTime(s.createdAt), shortTime(s.updatedAt));
    out +=
        QStringLiteral("contributors %1\n").arg(oneLine(d.contributors.join(QStringLiteral(", "))));
    if (!d.intent.isEmpty())
        out += QStringLiteral("intent\n  ") +
               block(d.intent).replace(QLatin1Char('\n'), QStringLiteral("\n  ")) +
               QLatin1Char('\n');
    for (const RevisionInfo &r : d.revisions)
        out += revisionText(r);
    out += d.decisions.empty() ? QStringLiteral("no decisions\n") : QStringLiteral("decisions\n");
    for (const DecisionRecord &r : d.decisions)
        out += decisionLine(r);
    for (const ChangeEvent &e : d.events) {
        out += QStringLiteral("  %1 %2 by %3 (revision %4)%5\n")
                   .arg(shortTime(e.at), toString(e.kind), oneLine(e.principal))
                   .arg(e.revision)
                   .arg(e.reason.isEmpty() ? QString() : QStringLiteral(": ") + oneLine(e.reason));
    }
    return out;
}

} // namespace hp::cli
