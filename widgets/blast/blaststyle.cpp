#include "blast/blaststyle.h"

namespace hp {

BlastColors BlastStyle::riskClass(Impact impact)
{
    // Strong fills with white or near-black text: the score is the first thing
    // a reviewer reads, from across the desk.
    switch (impact) {
    case Impact::Low:
        return {QColor(0xff, 0xff, 0xff), QColor(0x3b, 0x7a, 0x57)};
    case Impact::Medium:
        return {QColor(0x2b, 0x23, 0x00), QColor(0xf2, 0xc1, 0x2e)};
    case Impact::High:
        return {QColor(0xff, 0xff, 0xff), QColor(0xd9, 0x6a, 0x1b)};
    case Impact::Critical:
        return {QColor(0xff, 0xff, 0xff), QColor(0xb0, 0x1f, 0x2e)};
    }
    return {QColor(0xff, 0xff, 0xff), QColor(0x55, 0x5b, 0x62)};
}

BlastColors BlastStyle::action(PlanAction action)
{
    switch (action) {
    case PlanAction::Delete:
        return {QColor(0x8e, 0x12, 0x1d), QColor(0xf6, 0xc9, 0xcd)};
    case PlanAction::Replace:
        return {QColor(0x9a, 0x3b, 0x06), QColor(0xfb, 0xd9, 0xbf)};
    case PlanAction::Update:
        return {QColor(0x6e, 0x55, 0x00), QColor(0xfb, 0xee, 0xb8)};
    case PlanAction::Create:
        return {QColor(0x1e, 0x6b, 0x3a), QColor(0xd5, 0xf0, 0xdd)};
    case PlanAction::NoOp:
    case PlanAction::Read:
    case PlanAction::Forget:
        break;
    }
    return {QColor(0x45, 0x4b, 0x52), QColor(0xe4, 0xe6, 0xe9)};
}

BlastColors BlastStyle::impacted()
{
    return {QColor(0x1d, 0x4f, 0x91), QColor(0xdc, 0xe9, 0xf8)};
}

QColor BlastStyle::selection()
{
    return QColor(0x6a, 0x1b, 0x9a);
}

QColor BlastStyle::edge()
{
    return QColor(0x7a, 0x82, 0x8a);
}

QString BlastStyle::actionLabel(PlanAction action)
{
    return toString(action).toUpper();
}

} // namespace hp
