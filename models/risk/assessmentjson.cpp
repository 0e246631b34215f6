#include "risk/assessmentjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace hp {

namespace {

QJsonArray toArray(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject changedToJson(const ChangedContribution &c)
{
    return QJsonObject{{QStringLiteral("address"), c.address},   {QStringLiteral("type"), c.type},
                       {QStringLiteral("action"), toString(c.action)}, {QStringLiteral("node"), c.nodeId},
                       {QStringLiteral("environment"), c.environment}, {QStringLiteral("a"), c.a},
                       {QStringLiteral("e"), c.e},               {QStringLiteral("t"), c.t},
                       {QStringLiteral("value"), c.value}};
}

QJsonObject impactedToJson(const ImpactedNode &n)
{
    return QJsonObject{{QStringLiteral("node"), n.nodeId},
                       {QStringLiteral("nearest_depth"), n.nearestDepth},
                       {QStringLiteral("nearest_path"), toArray(n.nearestPath)},
                       {QStringLiteral("scoring_source"), n.scoringSource},
                       {QStringLiteral("scoring_distance"), n.scoringDistance},
                       {QStringLiteral("scoring_path"), toArray(n.scoringPath)},
                       {QStringLiteral("a"), n.a},
                       {QStringLiteral("decay"), n.decay},
                       {QStringLiteral("environment"), n.environment},
                       {QStringLiteral("e"), n.e},
                       {QStringLiteral("t"), n.t},
                       {QStringLiteral("value"), n.value}};
}

QJsonObject flagToJson(const RiskFlag &f)
{
    return QJsonObject{{QStringLiteral("code"), f.code},
                       {QStringLiteral("evidence"), toArray(f.evidence)},
                       {QStringLiteral("floor"), f.floor ? QJsonValue(toString(*f.floor)) : QJsonValue()}};
}

// Reads typed values out of one JSON object, remembering the first problem.
class Reader
{
public:
    Reader(const QJsonObject &o, QString where) : m_o(o), m_where(std::move(where)) {}

    QJsonValue get(const char *key, QJsonValue::Type type)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.type() != type && m_problem.isEmpty())
            m_problem = m_where + u'.' + QLatin1String(key);
        return v;
    }
    QString text(const char *key) { return get(key, QJsonValue::String).toString(); }
    double number(const char *key) { return get(key, QJsonValue::Double).toDouble(); }
    int integer(const char *key) { return get(key, QJsonValue::Double).toInt(); }
    QJsonArray array(const char *key) { return get(key, QJsonValue::Array).toArray(); }
    QStringList list(const char *key)
    {
        QStringList out;
        const QJsonArray a = array(key);
        for (const QJsonValue &v : a)
            out.append(v.toString());
        return out;
    }
    Impact impact(const char *key)
    {
        const auto i = parseImpact(text(key));
        if (!i && m_problem.isEmpty())
            m_problem = m_where + u'.' + QLatin1String(key);
        return i.value_or(Impact::Low);
    }
    PlanAction action(const char *key)
    {
        const QString name = text(key);
        for (PlanAction a : {PlanAction::NoOp, PlanAction::Create, PlanAction::Read, PlanAction::Update,
                             PlanAction::Replace, PlanAction::Delete, PlanAction::Forget}) {
            if (toString(a) == name)
                return a;
        }
        if (m_problem.isEmpty())
            m_problem = m_where + u'.' + QLatin1String(key);
        return PlanAction::Update;
    }
    const QString &problem() const { return m_problem; }
    void absorb(const Reader &inner)
    {
        if (m_problem.isEmpty())
            m_problem = inner.problem();
    }

private:
    QJsonObject m_o;
    QString m_where;
    QString m_problem;
};

ChangedContribution changedFrom(Reader &r)
{
    ChangedContribution c;
    c.address = r.text("address");
    c.type = r.text("type");
    c.action = r.action("action");
    c.nodeId = r.text("node");
    c.environment = r.text("environment");
    c.a = r.number("a");
    c.e = r.number("e");
    c.t = r.number("t");
    c.value = r.number("value");
    return c;
}

ImpactedNode impactedFrom(Reader &r)
{
    ImpactedNode n;
    n.nodeId = r.text("node");
    n.nearestDepth = r.integer("nearest_depth");
    n.nearestPath = r.list("nearest_path");
    n.scoringSource = r.text("scoring_source");
    n.scoringDistance = r.integer("scoring_distance");
    n.scoringPath = r.list("scoring_path");
    n.a = r.number("a");
    n.decay = r.number("decay");
    n.environment = r.text("environment");
    n.e = r.number("e");
    n.t = r.number("t");
    n.value = r.number("value");
    return n;
}

RiskFlag flagFrom(Reader &r, const QJsonObject &o)
{
    RiskFlag f;
    f.code = r.text("code");
    f.evidence = r.list("evidence");
    if (!o.value(QStringLiteral("floor")).isNull())
        f.floor = r.impact("floor");
    return f;
}

// Reads every object of array `key` with `read`.
template<class T, class F> std::vector<T> readArray(Reader &r, const char *key, F read)
{
    std::vector<T> out;
    const QJsonArray a = r.array(key);
    for (qsizetype i = 0; i < a.size(); ++i) {
        const QJsonObject o = a.at(i).toObject();
        Reader inner(o, QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i));
        out.push_back(read(inner, o));
        r.absorb(inner);
    }
    return out;
}

Error badAssessment(const QString &key)
{
    return makeError(ExitCode::StoreProblem, QStringLiteral("bad_assessment"),
                     QStringLiteral("a stored assessment is unreadable at %1").arg(key), key);
}

} // namespace

QJsonObject assessmentToJson(const Assessment &a)
{
    QJsonArray changed, impacted, flags;
    for (const ChangedContribution &c : a.changed)
        changed.append(changedToJson(c));
    for (const ImpactedNode &n : a.impacted)
        impacted.append(impactedToJson(n));
    for (const RiskFlag &f : a.flags)
        flags.append(flagToJson(f));
    return QJsonObject{{QStringLiteral("score"), a.score},
                       {QStringLiteral("score_class"), toString(a.scoreClass)},
                       {QStringLiteral("class"), toString(a.riskClass)},
                       {QStringLiteral("changed_term"), a.changedTerm},
                       {QStringLiteral("impact_term"), a.impactTerm},
                       {QStringLiteral("effective_environment"), a.effectiveEnvironment},
                       {QStringLiteral("topology_hash"), QString::fromLatin1(a.topologyHash)},
                       {QStringLiteral("changed"), changed},
                       {QStringLiteral("changed_nodes"), toArray(a.changedNodes)},
                       {QStringLiteral("impacted"), impacted},
                       {QStringLiteral("flags"), flags}};
}

Result<Assessment> assessmentFromJson(const QJsonObject &json)
{
    Reader r(json, QStringLiteral("assessment"));
    Assessment a;
    a.score = r.integer("score");
    a.scoreClass = r.impact("score_class");
    a.riskClass = r.impact("class");
    a.changedTerm = r.number("changed_term");
    a.impactTerm = r.number("impact_term");
    a.effectiveEnvironment = r.text("effective_environment");
    a.topologyHash = r.text("topology_hash").toLatin1();
    a.changedNodes = r.list("changed_nodes");
    a.changed = readArray<ChangedContribution>(r, "changed",
                                               [](Reader &in, const QJsonObject &) { return changedFrom(in); });
    a.impacted = readArray<ImpactedNode>(r, "impacted",
                                         [](Reader &in, const QJsonObject &) { return impactedFrom(in); });
    a.flags = readArray<RiskFlag>(r, "flags", [](Reader &in, const QJsonObject &o) { return flagFrom(in, o); });
    if (!r.problem().isEmpty())
        return badAssessment(r.problem());
    return a;
}

QByteArray assessmentBytes(const Assessment &assessment)
{
    return QJsonDocument(assessmentToJson(assessment)).toJson(QJsonDocument::Compact);
}

Result<Assessment> assessmentFromBytes(const QByteArray &bytes)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return badAssessment(QStringLiteral("offset %1").arg(error.offset));
    return assessmentFromJson(doc.object());
}

} // namespace hp
