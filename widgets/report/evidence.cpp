#include "report/evidence.h"

#include "diff/gitdiff.h"
#include "diff/patchparser.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace hp::report {

namespace {

constexpr qint64 kTrailPage = 8192;

void patchStats(const RevisionInfo &revision, const Artifact &artifact, std::vector<DiffStat> &out)
{
    const QByteArray text = artifact.parts.empty() ? QByteArray() : artifact.parts.front();
    Result<diff::PatchSet> parsed = diff::PatchParser::parse(text, artifact.name);
    if (!parsed) {
        out.push_back(DiffStat{revision.number, artifact.name, {}, 0, 0, parsed.error().message});
        return;
    }
    for (const diff::FilePatch &file : parsed->files) {
        const QString name = QString::fromUtf8(file.path());
        out.push_back(DiffStat{revision.number, artifact.name, name, file.additions,
                               file.deletions, {}});
    }
}

// A file pair: parts are the before and after content (an empty part is an
// absent side: a new or deleted file).
void pairStats(const RevisionInfo &revision, const Artifact &artifact, std::vector<DiffStat> &out)
{
    const QByteArray before = artifact.parts.empty() ? QByteArray() : artifact.parts.at(0);
    const QByteArray after = artifact.parts.size() < 2 ? QByteArray() : artifact.parts.at(1);
    diff::DiffSide a{before, artifact.name.toUtf8(), 0, before.isEmpty()};
    diff::DiffSide b{after, artifact.name.toUtf8(), 0, after.isEmpty()};
    Result<diff::GitDiffResult> computed = diff::GitDiff::diff(a, b);
    if (!computed) {
        out.push_back(DiffStat{revision.number, artifact.name, {}, 0, 0, computed.error().message});
        return;
    }
    out.push_back(DiffStat{revision.number, artifact.name, {}, computed->file.additions,
                           computed->file.deletions, {}});
}

Status diffStats(Store &store, const ChangeDetail &detail, std::vector<DiffStat> &out)
{
    if (detail.revisions.empty())
        return {};
    const RevisionInfo &latest = detail.revisions.back();
    for (const ArtifactInfo &info : latest.artifacts) {
        if (info.kind != ArtifactKind::UnifiedDiff && info.kind != ArtifactKind::FilePair)
            continue;
        Result<Artifact> artifact = store.artifact(detail.summary.id, latest.number, info.index);
        if (!artifact)
            return artifact.error();
        if (info.kind == ArtifactKind::UnifiedDiff)
            patchStats(latest, *artifact, out);
        else
            pairStats(latest, *artifact, out);
    }
    return {};
}

TrailEntry trailEntry(const AuditEntry &row, const QJsonObject &o)
{
    TrailEntry t;
    t.seq = row.seq;
    t.hash = row.hash;
    t.time = o.value(u"time").toString();
    t.principal = o.value(u"principal").toString();
    t.action = o.value(u"action").toString();
    t.revision = o.value(u"revision").toInt();
    t.outcome = o.value(u"outcome").toString();
    t.reasonCode = o.value(u"reason_code").toString();
    t.reason = o.value(u"reason").toString();
    t.statusBefore = o.value(u"status_before").toString();
    t.statusAfter = o.value(u"status_after").toString();
    return t;
}

// Every entry whose top-level "change" is the change, in pages. A change id
// has no characters JSON escapes, so its canonical bytes can be searched for
// before anything is parsed.
Status readTrail(Store &store, const QString &changeId, Evidence &out)
{
    const QByteArray needle = "\"change\":\"" + changeId.toUtf8() + '"';
    for (qint64 from = 0;;) {
        Result<std::vector<AuditEntry>> page = store.auditEntries(from, kTrailPage);
        if (!page)
            return page.error();
        for (const AuditEntry &row : *page) {
            out.chainEntries += 1;
            out.headHash = row.hash;
            if (!row.entry.contains(needle))
                continue;
            const QJsonObject o = QJsonDocument::fromJson(row.entry).object();
            if (o.value(u"change").toString() == changeId)
                out.trail.push_back(trailEntry(row, o));
        }
        if (static_cast<qint64>(page->size()) < kTrailPage)
            return {};
        from = page->back().seq + 1;
    }
}

} // namespace

Result<Evidence> gatherEvidence(Store &store, const QString &changeId)
{
    Evidence out;
    out.gatheredAt = QDateTime::currentDateTimeUtc();
    Result<ChangeDetail> detail = store.change(changeId);
    if (!detail)
        return detail.error();
    out.detail = std::move(*detail);
    if (!out.detail.revisions.empty()) {
        auto assessed = store.assessment(changeId, out.detail.revisions.back().number);
        if (!assessed)
            return assessed.error();
        out.assessment = std::move(*assessed);
    }
    out.plans = cli::storedPlans(store, out.detail);
    if (Status s = diffStats(store, out.detail, out.diffs); !s)
        return s.error();
    if (Status s = readTrail(store, changeId, out); !s)
        return s.error();
    return out;
}

} // namespace hp::report
