#include "itemmodels/changequeuefilter.h"

#include <algorithm>
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
    const QString risk = change.riskClass ? toString(*change.riskClass) : QString();
    const std::array<const QString *, 12> fields{&change.id,
                                                 &change.title,
                                                 &change.agentPrincipal,
                                                 &change.agentName,
                                                 &change.operatorLogin,
                                                 &change.environment,
                                                 &change.target,
                                                 &status,
                                                 &kind,
                                                 &impact,
                                                 &escalated,
                                                 &risk};
    const auto contains = [](const QString &field, const QString &term) {
        return field.contains(term, Qt::CaseInsensitive);
    };
    for (const QString &term : m_terms) {
        const bool found =
            std::any_of(fields.begin(), fields.end(),
                        [&](const QString *field) { return contains(*field, term); }) ||
            std::any_of(change.riskFlags.begin(), change.riskFlags.end(),
                        [&](const QString &flag) { return contains(flag, term); });
        if (!found)
            return false;
    }
    return true;
}

} // namespace hp
