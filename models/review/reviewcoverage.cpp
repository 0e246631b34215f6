#include "review/reviewservice.h"

#include "domain/log.h"
#include "review/coveragerequirements.h"

#include <QtConcurrent/QtConcurrentRun>

// ReviewService and full review (DESIGN §5): what a reviewer must have seen
// of a revision before an approval counts. The artifacts' bytes are read here
// (the store lives on this thread); parsing them runs in QtConcurrent.
namespace hp {

namespace {

QString requiredKey(const QString &changeId, int revision)
{
    return changeId + QLatin1Char('/') + QString::number(revision);
}

} // namespace

void ReviewService::readRequiredCoverage(const QString &changeId, const RevisionInfo &revision)
{
    Result<std::optional<StoredAssessment>> assessment = m_store.assessment(changeId, revision.number);
    if (!assessment) {
        log::ui()->warn("reading the assessment for full review failed: {}",
                        assessment.error().message.toStdString());
        return;
    }
    // A new assessment (topology or policy changed) may name other impacted nodes.
    const int sequence = assessment->has_value() ? (*assessment)->sequence : 0;
    const QString key = requiredKey(changeId, revision.number);
    const QString pending = key + QLatin1Char('/') + QString::number(sequence);
    if (const auto it = m_required.constFind(key); it != m_required.constEnd() && it->sequence == sequence) {
        Q_EMIT requiredCoverageReady(changeId, revision.number);
        return;
    }
    if (m_requiring.contains(pending))
        return;
    std::vector<Artifact> artifacts;
    for (const ArtifactInfo &info : revision.artifacts) {
        Result<Artifact> artifact = m_store.artifact(changeId, revision.number, info.index);
        if (!artifact) {
            log::ui()->warn("reading artifact {} for full review failed: {}", info.index,
                            artifact.error().message.toStdString());
            return;
        }
        artifacts.push_back(std::move(*artifact));
    }
    m_requiring.insert(pending);
    std::optional<Assessment> read;
    if (assessment->has_value())
        read = (*assessment)->assessment;
    const int number = revision.number;
    QtConcurrent::run([artifacts = std::move(artifacts), read = std::move(read)] {
        return hp::requiredCoverage(artifacts, read ? &*read : nullptr);
    }).then(this, [this, key, pending, sequence, changeId, number](const QStringList &keys) {
        m_requiring.remove(pending);
        m_required.insert(key, Required{sequence, keys});
        QMetaObject::invokeMethod(
            this, [this, changeId, number] { Q_EMIT requiredCoverageReady(changeId, number); },
            Qt::QueuedConnection);
    });
}

std::optional<QStringList> ReviewService::requiredCoverage(const QString &changeId, int revision) const
{
    const auto it = m_required.constFind(requiredKey(changeId, revision));
    if (it == m_required.constEnd())
        return std::nullopt;
    return it->keys;
}

} // namespace hp
