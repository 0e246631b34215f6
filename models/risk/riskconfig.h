#pragma once

#include "domain/types.h"

#include <QMap>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

// Every constant of the policy's `risk:` block (DESIGN §5), with the shipped
// defaults, plus the policy's `targets:` map. The policy engine fills it from
// the policy in force; the risk model reads nothing else.
namespace hp {

struct RiskConfig
{
    // Action weight a.
    double actionDelete = 1.0;
    double actionReplace = 0.9;
    double actionUpdate = 0.35;
    double actionCreate = 0.1;
    double actionForget = 0.1;
    // Environment weight e by name; environments not listed take `other`.
    QMap<QString, double> environment{{QStringLiteral("production"), 1.0}, {QStringLiteral("staging"), 0.4}};
    double environmentOther = 0.15;
    // Tier weight t; unknown tier takes tier 3.
    double tier1 = 1.0;
    double tier2 = 0.5;
    double tier3 = 0.2;
    double customerFacing = 1.5;
    double depthDecay = 0.6;
    double impactFactor = 0.5;
    double divisor = 2.0;
    // Score thresholds of the classes (an integer score below medium is low).
    int thresholdMedium = 20;
    int thresholdHigh = 45;
    int thresholdCritical = 70;
    int massChangeCount = 10;
    qint64 massChangeWindowSeconds = 24 * 3600;
    // flag code -> environment (or "other") -> floor class.
    QMap<QString, QMap<QString, Impact>> floors = defaultFloors();
    // Policy `targets:`: target glob -> environment, first match in order.
    std::vector<std::pair<QString, QString>> targets{{QStringLiteral("account:prod-*"), QStringLiteral("production")}};

    static QMap<QString, QMap<QString, Impact>> defaultFloors();

    double environmentWeight(const QString &environment) const;
    double tierWeight(int tier, bool customerFacing) const;
    Impact classOf(int score) const;
    // The floor of `flag` in `environment`: its own key, else "other"; none when neither.
    std::optional<Impact> floorOf(const QString &flag, const QString &environment) const;
};

} // namespace hp
