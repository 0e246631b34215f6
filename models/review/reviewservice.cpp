#include "review/reviewservice.h"

#include "domain/identity.h"
#include "domain/log.h"
#include "plan/planparser.h"

namespace hp {

ReviewService::ReviewService(Store &store, const QString &login, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_actor{login, currentHost(), appVersion()}
{
    m_principal.login = login;
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ReviewService::poll);
}

void ReviewService::startPolling(int intervalMs)
{
    m_timer.start(intervalMs);
}

void ReviewService::stopPolling()
{
    m_timer.stop();
}

void ReviewService::poll()
{
    const qint64 version = m_store.dataVersion();
    if (version == m_seenVersion)
        return;
    // Remember the version read before listing: a commit landing in between
    // moves it again and is picked up by the next poll.
    m_seenVersion = version;
    const Status status = refresh();
    if (!status)
        log::ui()->warn("refreshing the queue failed: {}", status.error().message.toStdString());
}

Status ReviewService::refreshPrincipal()
{
    Result<PrincipalInfo> who = m_store.principal(m_actor.login);
    PrincipalInfo next;
    if (who) {
        next = *who;
    } else if (who.error().code == ExitCode::NotFound) {
        // Unknown to the store: a human with no roles, who may read but not decide.
        next.login = m_actor.login;
    } else {
        return who.error();
    }
    const bool changed = next.roles != m_principal.roles || next.kind != m_principal.kind ||
                         next.login != m_principal.login ||
                         next.operatorLogin != m_principal.operatorLogin;
    m_principal = std::move(next);
    if (changed)
        Q_EMIT principalChanged(m_principal);
    return {};
}

Status ReviewService::refresh()
{
    if (m_seenVersion < 0)
        m_seenVersion = m_store.dataVersion();
    if (Status s = refreshPrincipal(); !s) {
        Q_EMIT storeFailed(s.error());
        return s;
    }
    Result<std::vector<ChangeSummary>> listed = m_store.listChanges(ListFilter{});
    if (!listed) {
        Q_EMIT storeFailed(listed.error());
        return listed.error();
    }
    m_changes = std::move(*listed);
    Q_EMIT changesUpdated(m_changes);
    return {};
}

Result<ChangeDetail> ReviewService::loadChange(const QString &changeId)
{
    return m_store.change(changeId);
}

const ReviewService::PlanSecrets &ReviewService::planSecrets(const QString &changeId,
                                                             const RevisionInfo &revision)
{
    const QString key = changeId + QLatin1Char('/') + QString::number(revision.number);
    if (auto it = m_planSecrets.constFind(key); it != m_planSecrets.constEnd())
        return *it;
    constexpr qsizetype kMaxCached = 64;
    if (m_planSecrets.size() >= kMaxCached)
        m_planSecrets.clear();
    PlanSecrets secrets;
    for (const ArtifactInfo &info : revision.artifacts) {
        if (info.kind != ArtifactKind::TerraformPlan)
            continue;
        const Result<Artifact> plan = m_store.artifact(changeId, revision.number, info.index);
        if (!plan) {
            secrets.unreadable.insert(info.index, plan.error().message);
            continue;
        }
        PlanParseOptions options;
        options.source = info.name;
        const Result<Plan> parsed = PlanParser(options).parse(plan->content());
        if (parsed)
            secrets.redactor = secrets.redactor.merged(parsed->redactor);
        else
            secrets.unreadable.insert(info.index, parsed.error().message);
    }
    return *m_planSecrets.insert(key, std::move(secrets));
}

Result<ShownArtifact> ReviewService::loadArtifact(const QString &changeId,
                                                  const RevisionInfo &revision, int index)
{
    Result<Artifact> artifact = m_store.artifact(changeId, revision.number, index);
    if (!artifact)
        return artifact.error();
    const PlanSecrets &secrets = planSecrets(changeId, revision);
    if (artifact->kind == ArtifactKind::TerraformPlan && secrets.unreadable.contains(index))
        return makeError(
            ExitCode::Usage, QStringLiteral("unreadable_plan"),
            QStringLiteral(
                "this plan could not be read, so its sensitive values cannot be masked and it "
                "is not shown: %1")
                .arg(secrets.unreadable.value(index)));
    ShownArtifact shown{std::move(*artifact), false};
    if (secrets.redactor.isEmpty())
        return shown;
    for (QByteArray &part : shown.artifact.parts) {
        if (part.left(8000).contains('\0'))
            continue; // binary: never decoded as text
        const QString text = QString::fromUtf8(part);
        if (!secrets.redactor.containsSecret(text))
            continue; // untouched, invalid UTF-8 and all
        part = secrets.redactor.redact(text).toUtf8();
        shown.masked = true;
    }
    return shown;
}

Result<DecideResult> ReviewService::decide(const QString &changeId, DecisionAction action,
                                           const QString &reason)
{
    DecideRequest request;
    request.changeId = changeId;
    request.action = action;
    request.reason = reason;
    Result<DecideResult> result = m_store.decide(m_actor, request);
    if (!result) {
        log::ui()->info("{} on {} refused: {}", toString(action).toStdString(),
                        changeId.toStdString(), result.error().message.toStdString());
        return result;
    }
    log::ui()->info("{} on {} recorded (decision {})", toString(action).toStdString(),
                    changeId.toStdString(), result->decisionId);
    Q_EMIT decisionRecorded(changeId, action, *result);
    if (Status s = refresh(); !s)
        log::ui()->warn("refreshing after a decision failed: {}", s.error().message.toStdString());
    return result;
}

ActionCheck ReviewService::checkAction(const ChangeDetail &change, DecisionAction action,
                                       const QString &reason) const
{
    return hp::checkAction(change, m_principal, action, reason);
}

Result<int> ReviewService::recordCoverage(const QString &changeId, int revision, const QStringList &keys)
{
    if (keys.isEmpty())
        return 0;
    return m_store.recordCoverage(m_actor, changeId, revision, keys);
}

Result<QStringList> ReviewService::coverage(const QString &changeId, int revision)
{
    return m_store.coverage(m_actor.login, changeId, revision);
}

} // namespace hp
