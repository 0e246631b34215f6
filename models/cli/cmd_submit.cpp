#include "cli/assessmentview.h"
#include "cli/commands.h"
#include "cli/planview.h"
#include "cli/views.h"
#include "intake/proposalparser.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

// submit: a proposal from a file (or stdin) or assembled from parts. Either
// way the proposal is validated by intake before the store sees it, and a
// refused proposal stores nothing.
namespace hp::cli {

namespace {

const char *const kPartOptions[] = {"terraform-plan", "terraform-planfile", "patch",
                                    "file-pair",      "manifest",           "command-file"};

Result<QByteArray> readPart(const QString &path, const IntakeLimits &limits, const QString &option)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            ExitCode::Usage, QStringLiteral("unreadable_file"),
            QStringLiteral("--%1 %2: cannot read: %3").arg(option, path, f.errorString()), path);
    // Check the cap before reading, so a huge file is refused without
    // pulling it into memory.
    if (f.size() > limits.maxArtifactBytes)
        return makeError(
            ExitCode::Usage, QStringLiteral("artifact_too_large"),
            QStringLiteral("--%1 %2: %3 bytes is over the cap of %4 bytes per artifact")
                .arg(option, path)
                .arg(f.size())
                .arg(limits.maxArtifactBytes),
            path);
    QByteArray bytes = f.readAll();
    if (f.error() != QFileDevice::NoError)
        return makeError(
            ExitCode::Usage, QStringLiteral("unreadable_file"),
            QStringLiteral("--%1 %2: read failed: %3").arg(option, path, f.errorString()), path);
    return bytes;
}

Result<Artifact> singlePart(ArtifactKind kind, const QString &path, const IntakeLimits &limits,
                            const QString &option)
{
    Result<QByteArray> bytes = readPart(path, limits, option);
    if (!bytes.ok())
        return bytes.error();
    Artifact a;
    a.kind = kind;
    a.name = QFileInfo(path).fileName();
    a.parts.push_back(*bytes);
    return a;
}

// PATH:BEFORE:AFTER; BEFORE empty: a new file, AFTER empty: a deleted one.
Result<Artifact> filePair(const QString &spec, const IntakeLimits &limits)
{
    const QStringList f = spec.split(QLatin1Char(':'));
    if (f.size() != 3 || f.at(0).isEmpty() || (f.at(1).isEmpty() && f.at(2).isEmpty()))
        return usageError(QStringLiteral("--file-pair '%1': expected PATH:BEFORE:AFTER (BEFORE "
                                         "empty for a new file, AFTER empty for a deleted one)")
                              .arg(spec));
    Artifact a;
    a.kind = ArtifactKind::FilePair;
    a.name = f.at(0);
    for (int i = 1; i <= 2; ++i) {
        if (f.at(i).isEmpty()) {
            a.parts.emplace_back();
            continue;
        }
        Result<QByteArray> bytes = readPart(f.at(i), limits, QStringLiteral("file-pair"));
        if (!bytes.ok())
            return bytes.error();
        a.parts.push_back(*bytes);
    }
    return a;
}

Result<Artifact> partArtifact(const QString &option, const QString &value,
                              const IntakeLimits &limits)
{
    if (option == QLatin1String("file-pair"))
        return filePair(value, limits);
    ArtifactKind kind = ArtifactKind::Command;
    if (option == QLatin1String("terraform-plan"))
        kind = ArtifactKind::TerraformPlan;
    else if (option == QLatin1String("terraform-planfile"))
        kind = ArtifactKind::TerraformPlanfile;
    else if (option == QLatin1String("patch"))
        kind = ArtifactKind::UnifiedDiff;
    else if (option == QLatin1String("manifest"))
        kind = ArtifactKind::K8sManifest;
    return singlePart(kind, value, limits, option);
}

bool hasParts(const ParsedArgs &args)
{
    for (const char *o : kPartOptions) {
        if (args.has(QLatin1String(o)))
            return true;
    }
    return false;
}

Result<Proposal> fromParts(const ParsedArgs &args, const IntakeLimits &limits)
{
    Proposal p;
    for (const char *o : kPartOptions) {
        const QString option = QLatin1String(o);
        for (const QString &value : args.all(option)) {
            Result<Artifact> a = partArtifact(option, value, limits);
            if (!a.ok())
                return a.error();
            p.artifacts.push_back(std::move(*a));
        }
    }
    return p;
}

void setText(std::optional<QString> &field, const ParsedArgs &args, const char *option)
{
    if (args.has(QLatin1String(option)))
        field = args.value(QLatin1String(option));
}

// Options on the line fill in (or override) what the proposal says.
Status applyMetadata(Proposal &p, const ParsedArgs &args)
{
    setText(p.title, args, "title");
    setText(p.agentName, args, "agent");
    setText(p.agentVersion, args, "agent-version");
    setText(p.agentRunId, args, "run-id");
    setText(p.operatorLogin, args, "operator");
    setText(p.environment, args, "environment");
    setText(p.target, args, "target");
    setText(p.intent, args, "intent");
    if (args.has(QStringLiteral("idempotency-key")))
        p.idempotencyKey = args.value(QStringLiteral("idempotency-key"));
    if (args.has(QStringLiteral("declared-impact"))) {
        const std::optional<Impact> i = parseImpact(args.value(QStringLiteral("declared-impact")));
        if (!i)
            return usageError(
                QStringLiteral("--declared-impact '%1': expected low, medium, high or critical")
                    .arg(args.value(QStringLiteral("declared-impact"))));
        p.declaredImpact = *i;
    }
    if (args.has(QStringLiteral("kind"))) {
        const std::optional<ChangeKind> k = parseChangeKind(args.value(QStringLiteral("kind")));
        if (!k)
            return usageError(QStringLiteral("--kind '%1': expected infra or policy")
                                  .arg(args.value(QStringLiteral("kind"))));
        p.kind = *k;
    }
    return {};
}

Result<Proposal> buildProposal(const ParsedArgs &args, const ProposalParser &parser)
{
    const bool file = args.has(QStringLiteral("file"));
    if (file && hasParts(args))
        return usageError(QStringLiteral(
            "give either --file or artifact parts (--terraform-plan, --patch, ...), not both"));
    if (!file && !hasParts(args))
        return usageError(
            QStringLiteral("nothing to submit: give --file F (or --file - for stdin) or at least "
                           "one of --terraform-plan, --terraform-planfile, --patch, --file-pair, "
                           "--manifest, --command-file"));
    Result<Proposal> p = file ? parser.parseFile(args.value(QStringLiteral("file")))
                              : fromParts(args, parser.limits());
    if (!p.ok())
        return p.error();
    if (Status s = applyMetadata(*p, args); !s.ok())
        return s.error();
    if (Status s = parser.validate(*p); !s.ok())
        return s.error();
    return p;
}

// Every terraform-plan artifact, parsed and summarised, in proposal order
// (keyed by position). A plan that does not parse is still stored as
// received: its report carries the error, which submit prints as a warning.
std::vector<PlanReport> planReports(const Proposal &p)
{
    std::vector<PlanReport> reports;
    for (size_t i = 0; i < p.artifacts.size(); ++i) {
        const Artifact &a = p.artifacts[i];
        if (a.kind != ArtifactKind::TerraformPlan)
            continue;
        PlanReport r = readPlan(a.name, a.content());
        r.index = static_cast<int>(i);
        reports.push_back(std::move(r));
    }
    return reports;
}

QString submitText(const SubmitResult &r, const Proposal &p, const std::vector<PlanReport> &plans,
                   const std::optional<StoredAssessment> &assessed)
{
    QString out =
        QStringLiteral("%1 %2 revision %3\n")
            .arg(r.created ? QStringLiteral("submitted")
                           : QStringLiteral("already submitted (same idempotency key and content)"),
                 r.changeId)
            .arg(r.revision);
    out += QStringLiteral("content hash %1\n").arg(hex(r.contentHash));
    for (const Artifact &a : p.artifacts)
        out += QStringLiteral("  %1 %2  sha256 %3\n")
                   .arg(toString(a.kind), oneLine(a.name), hex(a.sha256));
    for (const PlanReport &plan : plans)
        out += planSummaryText(plan) + QLatin1Char('\n');
    out += QStringLiteral("verdict %1, approvals %2")
               .arg(statusText(r.verdict), approvalsText(r.verdict));
    if (!r.verdict.needs.isEmpty())
        out += QStringLiteral(", %1").arg(oneLine(r.verdict.needs));
    out += QLatin1Char('\n');
    if (assessed)
        out += assessmentSummaryText(assessed->assessment);
    if (r.unregisteredAgent)
        out += QStringLiteral("flag UNREGISTERED_AGENT: this login is not a registered agent; it "
                              "is its own operator\n");
    return out;
}

} // namespace

int cmdSubmit(Context &ctx)
{
    // The store first: on a missing store the caller learns how to create
    // one before anything is read from stdin.
    Result<Session> s = ctx.session();
    if (!s.ok())
        return ctx.fail(s.error());
    const ProposalParser parser;
    Result<Proposal> proposal = buildProposal(ctx.args(), parser);
    if (!proposal.ok())
        return ctx.fail(proposal.error());
    SubmitRequest request{*proposal, ctx.args().value(QStringLiteral("revise"))};
    Result<SubmitResult> r = s->store->submit(s->actor, request);
    if (!r.ok())
        return ctx.fail(r.error());
    QJsonArray artifacts, plans;
    for (const Artifact &a : proposal->artifacts) {
        artifacts.append(QJsonObject{{QStringLiteral("kind"), toString(a.kind)},
                                     {QStringLiteral("name"), a.name},
                                     {QStringLiteral("sha256"), hex(a.sha256)},
                                     {QStringLiteral("size"), a.content().size()}});
    }
    // Computed and stored with the revision in the submit transaction.
    const std::optional<StoredAssessment> &assessed = r->assessment;
    std::vector<PlanReport> reports = planReports(*proposal);
    for (PlanReport &plan : reports) {
        plan.revision = r->revision;
        plans.append(planReportJson(plan));
    }
    QJsonObject o{{QStringLiteral("id"), r->changeId},
                  {QStringLiteral("revision"), r->revision},
                  {QStringLiteral("content_hash"), hex(r->contentHash)},
                  {QStringLiteral("created"), r->created},
                  {QStringLiteral("unregistered_agent"), r->unregisteredAgent},
                  {QStringLiteral("status"), toString(r->verdict.status)},
                  {QStringLiteral("verdict"), verdictJson(r->verdict)},
                  {QStringLiteral("artifacts"), artifacts},
                  {QStringLiteral("plans"), plans},
                  {QStringLiteral("assessment"),
                   assessed ? QJsonValue(assessmentJson(*assessed)) : QJsonValue()}};
    return ctx.done(o, submitText(*r, *proposal, reports, assessed));
}

} // namespace hp::cli
