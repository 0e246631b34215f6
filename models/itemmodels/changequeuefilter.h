#pragma once

#include "domain/types.h"

#include <QString>
#include <QStringList>

// The filter rule of the review queue, apart from the model so it is testable
// on its own (STYLE: "the filter rule itself is a plain class").
//
// The text is split on white space into terms; a change matches when every
// term occurs, case-insensitively, in at least one of its fields: id, title,
// agent principal and name, operator, environment, target, status, kind,
// declared impact, risk class of the latest assessment and its flag codes
// ("critical", "data_loss"). An empty text matches everything.
namespace hp {

class ChangeQueueFilter
{
public:
    ChangeQueueFilter() = default;
    explicit ChangeQueueFilter(const QString &text) { setText(text); }

    void setText(const QString &text);
    const QString &text() const { return m_text; }
    bool isEmpty() const { return m_terms.isEmpty(); }

    bool matches(const ChangeSummary &change) const;

private:
    QString m_text;
    QStringList m_terms;
};

} // namespace hp
