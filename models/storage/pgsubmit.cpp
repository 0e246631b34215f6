#include "storage/pgstore.h"

#include "domain/ulid.h"
#include "intake/contenthash.h"

// Submissions through hp_submit. The client hashes the content (§3.1) for
// the idempotency comparison; the server hashes every artifact itself, takes
// the submitter from session_user and the operator from the agent's
// registration. Team mode does not assess risk yet, so the requirement is
// the floor SQL enforces (one counted approval) unless a reviewer's client
// asks for more.
namespace hp {

namespace {

struct SubmitArrays
{
    QStringList kinds;
    QStringList names;
    std::vector<int> partArtifact;
    std::vector<QByteArray> partBytes;
};

SubmitArrays arraysOf(const std::vector<Artifact> &artifacts)
{
    SubmitArrays out;
    for (size_t i = 0; i < artifacts.size(); ++i) {
        out.kinds << toString(artifacts[i].kind);
        out.names << artifacts[i].name;
        for (const QByteArray &part : artifacts[i].parts) {
            out.partArtifact.push_back(static_cast<int>(i) + 1);
            out.partBytes.push_back(part);
        }
    }
    return out;
}

QVariant textOrNull(const std::optional<QString> &value)
{
    return value ? QVariant(*value) : pgNull(QMetaType::QString);
}

} // namespace

Result<SubmitResult> PgStore::submit(const Actor &actor, const SubmitRequest &request)
{
    const Proposal &p = request.proposal;
    if (request.reviseId.isEmpty() && (!p.title || p.title->trimmed().isEmpty()))
        return makeError(ExitCode::Usage, QStringLiteral("missing_title"),
                         QStringLiteral("a new change needs a title"), QStringLiteral("title"));
    if (p.artifacts.empty())
        return makeError(ExitCode::Usage, QStringLiteral("no_artifacts"),
                         QStringLiteral("a submission needs at least one artifact"));
    std::vector<Artifact> artifacts = p.artifacts;
    hashArtifacts(artifacts);
    RevisionMeta meta;
    meta.kind = p.kind.value_or(ChangeKind::Infra);
    meta.environment = p.environment.value_or(QString());
    meta.target = p.target.value_or(QString());
    SubmitResult result;
    result.contentHash = contentHash(meta, artifacts);
    const SubmitArrays arrays = arraysOf(artifacts);
    const QString newId = Ulid::generate(m_clock().toMSecsSinceEpoch());
    const QVariantList values{
        newId, request.reviseId, toString(meta.kind), p.title.value_or(QString()),
        textOrNull(p.agentName), textOrNull(p.agentVersion), textOrNull(p.agentRunId),
        textOrNull(p.operatorLogin), textOrNull(p.intent),
        p.declaredImpact ? QVariant(toString(*p.declaredImpact)) : pgNull(QMetaType::QString),
        meta.environment, meta.target,
        p.idempotencyKey.isEmpty() ? pgNull(QMetaType::QString) : QVariant(p.idempotencyKey),
        result.contentHash, pgTextArray(arrays.kinds), pgTextArray(arrays.names),
        pgIntArray(arrays.partArtifact), pgByteaArray(arrays.partBytes), 1, false, actor.host,
        actor.appVersion};
    const QString action =
        request.reviseId.isEmpty() ? QStringLiteral("change.submit") : QStringLiteral("change.revise");
    const Status done = call(
        QStringLiteral("SELECT r_change, r_revision, r_created FROM hp_submit(?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?::integer[], ?::bytea[], ?, ?, ?, ?)"),
        values, [&](QSqlQuery &q) -> Status {
            if (!q.next())
                return makeError(ExitCode::StoreProblem, QStringLiteral("submit"),
                                 QStringLiteral("hp_submit returned nothing"));
            result.changeId = q.value(0).toString();
            result.revision = q.value(1).toInt();
            result.created = q.value(2).toBool();
            auto verdict = loadVerdict(result.changeId);
            if (!verdict)
                return verdict.error();
            result.verdict = *verdict;
            auto flag = m_db.exec(QStringLiteral("SELECT unregistered FROM changes WHERE id = ?"),
                                  {result.changeId});
            if (!flag)
                return flag.error();
            result.unregisteredAgent = flag->next() && flag->value(0).toBool();
            return {};
        });
    if (Status s = auditRefusal(actor, action, request.reviseId, done); !s)
        return s.error();
    return result;
}

} // namespace hp
