#pragma once

#include "domain/types.h"

#include <QColor>
#include <QFont>
#include <QString>

class QLabel;

// Colours and fonts of the console, in one place. The core exposes raw
// statuses; only widgets/ decides how they look. Status colours carry a
// meaning and are used for nothing else: amber waits on someone, green is
// approved, red is rejected or failed, grey is over without a decision.
namespace hp {

struct StatusColors
{
    QColor foreground; // text and border
    QColor background; // chip fill
};

class StatusStyle
{
public:
    static StatusColors colors(ChangeStatus status);
    static QColor escalation(); // the escalation mark
    static QColor muted();      // secondary text, uncounted decisions
    static QColor error();      // a failed action's message
    static QString label(ChangeStatus status, bool escalated); // "PENDING · ESCALATED"
    // Risk classes (DESIGN §4). The colours come from the Okabe–Ito palette,
    // safe for the common colour-vision deficiencies, and darken with the
    // class so they also order in greyscale; the class name is always
    // written on the badge too, so colour is never the only cue.
    static StatusColors riskColors(Impact riskClass);
    static QString riskLabel(Impact riskClass);      // "CRITICAL"
    static QString riskShortLabel(Impact riskClass); // "CRIT", "HIGH", "MED", "LOW": the queue badge

    static QFont monospace(); // artifact text, hashes
    static QFont scaled(const QFont &base, qreal factor, bool bold = false);
    // Tints a label as a status chip; its text stays plain.
    static void applyChip(QLabel *label, ChangeStatus status, bool escalated);
};

} // namespace hp
