#pragma once

#include "plan/planparser.h"

#include <QFile>
#include <QString>
#include <QTest>

// Shared by the plan tests: the fixtures of tests/data/plan.
namespace hp::plantest {

inline QString dataPath(const QString &name)
{
    return QStringLiteral(HP_TEST_DATA "/plan/") + name;
}

inline QByteArray readData(const QString &name)
{
    QFile f(dataPath(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s", qPrintable(name));
    return f.readAll();
}

// Parses a fixture; a failure names the file and the parser's message.
inline Plan load(const QString &name)
{
    auto plan = PlanParser().parseFile(dataPath(name));
    if (!plan)
        qFatal("%s does not parse: %s", qPrintable(name), qPrintable(plan.error().message));
    return std::move(plan.value());
}

inline const PlanResourceChange &change(const Plan &plan, const QString &address)
{
    const int i = plan.findResourceChange(address);
    if (i < 0)
        qFatal("no resource change %s", qPrintable(address));
    return plan.resourceChanges[static_cast<size_t>(i)];
}

} // namespace hp::plantest
