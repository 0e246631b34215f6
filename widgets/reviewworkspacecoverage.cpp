#include "reviewworkspace.h"

#include "artifactpane.h"
#include "blast/blastradiusview.h"
#include "decisionbar.h"
#include "domain/log.h"
#include "review/reviewservice.h"

#include <QTabWidget>

// ReviewWorkspace and full review (DESIGN §5): what this reviewer has seen of
// the shown revision, what is still unseen, and the jump to it.
namespace hp {

void ReviewWorkspace::refreshReviewState(const ChangeDetail &change)
{
    const QString id = change.summary.id;
    const int revision = change.summary.latestRevision;
    if (Result<ReviewFacts> facts = m_service.reviewFacts(id))
        m_bar->setFacts(*facts);
    else
        log::ui()->warn("reading the review facts of {} failed: {}", id.toStdString(),
                        facts.error().message.toStdString());
    if (id != m_coverageChange || revision != m_coverageRevision) {
        m_coverageChange = id;
        m_coverageRevision = revision;
        m_seen.clear();
        m_lastJump.clear();
        if (Result<QStringList> stored = m_service.coverage(id, revision))
            m_seen = QSet<QString>(stored->cbegin(), stored->cend());
        else
            log::ui()->warn("reading review coverage failed: {}", stored.error().message.toStdString());
    }
    // Working out the required items reads every artifact: only when the
    // policy asks for a full review of a change still open to approval.
    if (m_bar->fullReviewRequired() && change.summary.verdict.status == ChangeStatus::Pending &&
        !change.revisions.empty())
        m_service.readRequiredCoverage(id, change.revisions.back());
    updateUnseen();
}

void ReviewWorkspace::noteSeen(const QString &changeId, int revision, const QStringList &keys)
{
    if (changeId != m_coverageChange || revision != m_coverageRevision)
        return;
    for (const QString &key : keys)
        m_seen.insert(key);
    updateUnseen();
}

QStringList ReviewWorkspace::unseenKeys() const
{
    QStringList unseen;
    if (const auto required = m_service.requiredCoverage(m_coverageChange, m_coverageRevision)) {
        for (const QString &key : *required) {
            if (!m_seen.contains(key))
                unseen << key;
        }
    }
    return unseen;
}

void ReviewWorkspace::updateUnseen()
{
    if (m_coverageChange.isEmpty() || !m_service.requiredCoverage(m_coverageChange, m_coverageRevision)) {
        m_bar->setUnseen(std::nullopt);
        return;
    }
    m_bar->setUnseen(unseenKeys());
}

QString ReviewWorkspace::showNextUnseen()
{
    const auto required = m_service.requiredCoverage(m_coverageChange, m_coverageRevision);
    if (!required)
        return {};
    // The next unseen item after the one shown last, wrapping: an item that
    // has not settled into "seen" yet does not trap the key.
    const qsizetype count = required->size();
    const qsizetype last = required->indexOf(m_lastJump);
    QString key;
    for (qsizetype step = 1; step <= count && key.isEmpty(); ++step) {
        const QString &candidate = required->at((last + step + count) % count);
        if (!m_seen.contains(candidate))
            key = candidate;
    }
    if (key.isEmpty())
        return {};
    m_lastJump = key;
    if (key.startsWith(QLatin1String("node:"))) {
        m_side->setCurrentWidget(m_blast);
        if (!m_blast->revealNode(key.mid(5)))
            log::ui()->info("impacted node {} is not in the blast radius shown", key.toStdString());
    } else {
        m_artifacts->revealItem(key);
    }
    return key;
}

} // namespace hp
