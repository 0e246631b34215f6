#pragma once

#include "domain/types.h"
#include "plan/plandata.h"

#include <QColor>
#include <QString>

// Colours of the blast radius panel: risk classes and the actions of changed
// nodes. Every colour comes with text (the class name, the action word), so
// nothing is told by colour alone.
namespace hp {

struct BlastColors
{
    QColor foreground; // text and border
    QColor background; // fill
};

class BlastStyle
{
public:
    static BlastColors riskClass(Impact impact);
    static BlastColors action(PlanAction action); // changed nodes
    static BlastColors impacted();                // reached, not changed
    static QColor selection();                    // the selected node and its scoring path
    static QColor edge();
    static QString actionLabel(PlanAction action); // "REPLACE"
};

} // namespace hp
