#include "risk/riskconfig.h"

namespace hp {

QMap<QString, QMap<QString, Impact>> RiskConfig::defaultFloors()
{
    const QString prod = QStringLiteral("production");
    const QString other = QStringLiteral("other");
    return {
        {QStringLiteral("DATA_LOSS"), {{prod, Impact::Critical}, {other, Impact::High}}},
        {QStringLiteral("SECURITY"), {{prod, Impact::High}}},
        {QStringLiteral("MASS_CHANGE"), {{prod, Impact::Critical}, {other, Impact::Critical}}},
        {QStringLiteral("DESTRUCTIVE_COMMAND"), {{prod, Impact::Critical}, {other, Impact::High}}},
        {QStringLiteral("UNASSESSED"), {{prod, Impact::High}}},
        {QStringLiteral("DANGEROUS_TEXT"), {{prod, Impact::High}, {other, Impact::High}}},
        {QStringLiteral("ENV_MISMATCH"), {{prod, Impact::High}, {other, Impact::High}}},
    };
}

double RiskConfig::environmentWeight(const QString &env) const
{
    return environment.value(env, environmentOther);
}

double RiskConfig::tierWeight(int tier, bool isCustomerFacing) const
{
    const double t = tier == 1 ? tier1 : tier == 2 ? tier2 : tier3;
    return isCustomerFacing ? t * customerFacing : t;
}

Impact RiskConfig::classOf(int score) const
{
    if (score >= thresholdCritical)
        return Impact::Critical;
    if (score >= thresholdHigh)
        return Impact::High;
    if (score >= thresholdMedium)
        return Impact::Medium;
    return Impact::Low;
}

std::optional<Impact> RiskConfig::floorOf(const QString &flag, const QString &env) const
{
    const auto it = floors.constFind(flag);
    if (it == floors.cend())
        return std::nullopt;
    if (const auto own = it->constFind(env); own != it->cend())
        return *own;
    if (const auto other = it->constFind(QStringLiteral("other")); other != it->cend())
        return *other;
    return std::nullopt;
}

} // namespace hp
