#include "itemmodels/changequeuefilter.h"

#include <array>

namespace hp {

void ChangeQueueFilter::setText(const QString &text)
{
    m_text = text;
    m_terms = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

bool ChangeQueueFilter::matches(const ChangeSummary &change) const
{
    if (m_terms.isEmpty())
        return true;
    // Built once per change, not per term; the enum names are the ones people
    // see in the queue and type into the filter ("pending", "prod").
    const QString status = toString(change.verdict.status);
    const QString kind = toString(change.kind);
    const QString impact = change.declaredImpact ? toString(*change.declaredImpact) : QString();
    const QString escalated = change.verdict.escalated ? QStringLiteral("escalated") : QString();
    const std::array<const QString *, 11> fields{&change.id,
                                                 &change.title,
                                                 &change.agentPrincipal,
                                                 &change.agentName,
                                                 &change.operatorLogin,
                                                 &change.environment,
                                                 &change.target,
                                                 &status,
                                                 &kind,
                                                 &impact,
                                                 &escalated};
    for (const QString &term : m_terms) {
        bool found = false;
        for (const QString *field : fields) {
            if (field->contains(term, Qt::CaseInsensitive)) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace hp
