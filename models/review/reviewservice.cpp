#include "review/reviewservice.h"

#include "domain/identity.h"
#include "domain/log.h"
#include "plan/planparser.h"

#include <algorithm>
#include <QtConcurrent/QtConcurrentRun>

namespace hp {

ReviewService::ReviewService(Store &store, const QString &login, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_actor{login, currentHost(), appVersion()}
{
    m_principal.login = login;
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ReviewService::poll);
    m_tickTimer.setTimerType(Qt::CoarseTimer);
    connect(&m_tickTimer, &QTimer::timeout, this, [this] { (void)tick(); });
    m_pushTimer.setSingleShot(true);
    m_pushTimer.setInterval(kCoalesceMs);
    connect(&m_pushTimer, &QTimer::timeout, this, &ReviewService::pushedRefresh);
    m_pushed = m_store.setChangeListener([this] {
        if (!m_pushTimer.isActive())
            m_pushTimer.start();
    });
}

ReviewService::~ReviewService()
{
    if (m_pushed)
        m_store.setChangeListener({});
}

void ReviewService::startPolling(int intervalMs)
{
    m_timer.start(m_pushed ? std::max(intervalMs, kPushedPollMs) : intervalMs);
}

void ReviewService::pushedRefresh()
{
    m_seenVersion = m_store.dataVersion();
    const Status status = refresh();
    if (!status)
        log::ui()->warn("refreshing the queue failed: {}", status.error().message.toStdString());
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
    refreshPolicy();
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

namespace {

QString revisionKey(const QString &changeId, int revision)
{
    return changeId + QLatin1Char('/') + QString::number(revision);
}

} // namespace

Status ReviewService::recordView(const QString &changeId, int revision)
{
    const QString key = revisionKey(changeId, revision);
    if (key == m_lastView)
        return {};
    m_lastView = key;
    return m_store.recordView(m_actor, changeId, revision);
}

std::vector<ReviewService::PlanBytes> ReviewService::planBytes(const QString &changeId,
                                                               const RevisionInfo &revision) const
{
    std::vector<PlanBytes> out;
    for (const ArtifactInfo &info : revision.artifacts) {
        if (info.kind == ArtifactKind::TerraformPlan)
            out.push_back({info.index, info.name, m_store.artifact(changeId, revision.number, info.index)});
    }
    return out;
}

// Runs on any thread: touches nothing but its argument.
ReviewService::PlanSecrets ReviewService::readSecrets(const std::vector<PlanBytes> &plans)
{
    PlanSecrets secrets;
    QHash<int, std::shared_ptr<ReadPlan>> read;
    for (const PlanBytes &bytes : plans) {
        if (!bytes.artifact) {
            secrets.unreadable.insert(bytes.index, bytes.artifact.error().message);
            continue;
        }
        PlanParseOptions options;
        options.source = bytes.name;
        Result<Plan> parsed = PlanParser(options).parse(bytes.artifact->content());
        if (!parsed) {
            secrets.unreadable.insert(bytes.index, parsed.error().message);
            continue;
        }
        secrets.redactor = secrets.redactor.merged(parsed->redactor);
        auto plan = std::make_shared<ReadPlan>();
        plan->summary = summarizePlan(*parsed);
        plan->plan = std::move(*parsed);
        read.insert(bytes.index, std::move(plan));
    }
    for (auto it = read.begin(); it != read.end(); ++it) {
        it.value()->revisionRedactor = secrets.redactor;
        secrets.plans.insert(it.key(), it.value());
    }
    return secrets;
}

const ReviewService::PlanSecrets &ReviewService::storeSecrets(const QString &key, PlanSecrets secrets)
{
    // Redactors are small; parsed plans are not: only the latest few
    // revisions keep theirs, older entries are dropped whole and re-read.
    constexpr qsizetype kMaxCached = 64;
    constexpr qsizetype kMaxWithPlans = 3;
    if (m_planSecrets.size() >= kMaxCached) {
        m_planSecrets.clear();
        m_planOrder.clear();
    }
    if (!secrets.plans.isEmpty()) {
        m_planOrder.removeAll(key);
        m_planOrder.append(key);
        while (m_planOrder.size() > kMaxWithPlans)
            m_planSecrets.remove(m_planOrder.takeFirst());
    }
    return *m_planSecrets.insert(key, std::move(secrets));
}

const ReviewService::PlanSecrets &ReviewService::planSecrets(const QString &changeId,
                                                             const RevisionInfo &revision)
{
    const QString key = revisionKey(changeId, revision.number);
    if (auto it = m_planSecrets.constFind(key); it != m_planSecrets.constEnd())
        return *it;
    return storeSecrets(key, readSecrets(planBytes(changeId, revision)));
}

bool ReviewService::plansRead(const QString &changeId, int revision) const
{
    return m_planSecrets.contains(revisionKey(changeId, revision));
}

void ReviewService::readPlansInBackground(const QString &changeId, const RevisionInfo &revision)
{
    const QString key = revisionKey(changeId, revision.number);
    if (m_planSecrets.contains(key) || m_reading.contains(key))
        return;
    m_reading.insert(key);
    // The store is used on this thread only; the worker gets the bytes.
    const int number = revision.number;
    QtConcurrent::run([plans = planBytes(changeId, revision)] { return readSecrets(plans); })
        .then(this, [this, key, changeId, number](PlanSecrets secrets) {
            m_reading.remove(key);
            storeSecrets(key, std::move(secrets));
            // A read that finished before then() attached runs this inside
            // readPlansInBackground(); callers expect the signal afterwards.
            QMetaObject::invokeMethod(this, [this, changeId, number] { Q_EMIT plansReady(changeId, number); },
                                      Qt::QueuedConnection);
        });
}

std::shared_ptr<const ReadPlan> ReviewService::readPlan(const QString &changeId, int revision,
                                                        int index) const
{
    const auto it = m_planSecrets.constFind(revisionKey(changeId, revision));
    return it == m_planSecrets.constEnd() ? nullptr : it->plans.value(index);
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
    const auto it = m_facts.constFind(change.summary.id);
    return checkAction(change, action, reason, it != m_facts.constEnd() ? *it : ReviewFacts{});
}

ActionCheck ReviewService::checkAction(const ChangeDetail &change, DecisionAction action, const QString &reason,
                                       const ReviewFacts &facts) const
{
    return hp::checkAction(change, m_principal, action, reason, m_policy.policy, facts);
}

Status ReviewService::recordEvidenceReport(const QString &changeId, const QByteArray &reportSha256)
{
    return m_store.recordEvidenceReport(m_actor, changeId, reportSha256);
}

Result<int> ReviewService::recordCoverage(const QString &changeId, int revision, const QStringList &keys)
{
    if (keys.isEmpty())
        return 0;
    // Coverage is review: a reviewer on the latest revision of a pending
    // change. Anyone else scrolling is reading, which the store would refuse
    // (and audit as a denied attempt) on every settled scroll.
    if (!m_principal.roles.has(Role::Reviewer) || m_principal.roles.holds(Role::Admin))
        return 0;
    const auto it = std::find_if(m_changes.begin(), m_changes.end(),
                                 [&](const ChangeSummary &c) { return c.id == changeId; });
    if (it != m_changes.end() && (it->verdict.status != ChangeStatus::Pending || it->latestRevision != revision))
        return 0;
    return m_store.recordCoverage(m_actor, changeId, revision, keys);
}

Result<QStringList> ReviewService::coverage(const QString &changeId, int revision)
{
    return m_store.coverage(m_actor.login, changeId, revision);
}

} // namespace hp
