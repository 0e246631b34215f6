#include "plan/planreader.h"

#include "plan/planvalues.h"

namespace hp::planread {

namespace {

Status checkMask(const JsonValue &value)
{
    switch (value.type()) {
    case JsonType::Bool:
    case JsonType::Null: return {};
    case JsonType::Object: {
        const JsonObject object = value.toObject().value();
        for (const JsonMember &m : object) {
            if (Status s = checkMask(m.value); !s)
                return s;
        }
        return {};
    }
    case JsonType::Array: {
        const JsonArray array = value.toArray().value();
        for (const JsonValue &item : array) {
            if (Status s = checkMask(item); !s)
                return s;
        }
        return {};
    }
    default: return value.wrongType(QStringLiteral("a boolean, object or array (a mask)"));
    }
}

Result<PathStep> pathStep(const JsonValue &v)
{
    if (v.type() == JsonType::String) {
        auto s = v.toUtf8();
        if (static_cast<qsizetype>(s->size()) > kMaxNameBytes)
            return v.error(QStringLiteral("too_large"), QStringLiteral("path step longer than %1 bytes").arg(kMaxNameBytes));
        return PathStep{planvalue::fromUtf8(*s), -1};
    }
    auto i = v.toInt();
    if (!i)
        return v.wrongType(QStringLiteral("a string or an integer (a path step)"));
    if (*i < 0)
        return invalidValue(v, QStringLiteral("negative index in a path"));
    return PathStep{QString(), *i};
}

} // namespace

Error invalidValue(const JsonValue &at, const QString &what)
{
    return at.error(QStringLiteral("invalid_value"), what);
}

std::optional<JsonValue> field(const JsonObject &object, std::string_view key)
{
    auto v = object.find(key);
    if (!v || v->isNull())
        return std::nullopt;
    return v;
}

Status string(const JsonObject &object, std::string_view key, QString &out, bool required, qsizetype maxBytes)
{
    auto v = field(object, key);
    if (!v) {
        if (!required)
            return {};
        return object.error(QStringLiteral("missing_key"),
                            QStringLiteral("missing required key \"%1\"").arg(planvalue::fromUtf8(key)));
    }
    auto s = v->toUtf8();
    if (!s)
        return s.error();
    if (static_cast<qsizetype>(s->size()) > maxBytes)
        return v->error(QStringLiteral("too_large"),
                        QStringLiteral("%1 bytes, more than the %2 allowed here").arg(s->size()).arg(maxBytes));
    out = planvalue::fromUtf8(*s);
    return {};
}

Status boolean(const JsonObject &object, std::string_view key, bool &out)
{
    auto v = field(object, key);
    if (!v)
        return {};
    auto b = v->toBool();
    if (!b)
        return b.error();
    out = *b;
    return {};
}

Status stringList(const JsonValue &value, QStringList &out)
{
    auto array = value.toArray();
    if (!array)
        return array.error();
    for (const JsonValue &item : *array) {
        auto s = item.toUtf8();
        if (!s)
            return s.error();
        if (static_cast<qsizetype>(s->size()) > kMaxNameBytes)
            return item.error(QStringLiteral("too_large"), QStringLiteral("longer than %1 bytes").arg(kMaxNameBytes));
        out.append(planvalue::fromUtf8(*s));
    }
    return {};
}

Status stringList(const JsonObject &object, std::string_view key, QStringList &out)
{
    auto v = field(object, key);
    return v ? stringList(*v, out) : Status();
}

OptElement raw(const JsonObject &object, std::string_view key)
{
    auto v = field(object, key);
    if (!v)
        return std::nullopt;
    return v->raw();
}

Status mask(const JsonObject &object, std::string_view key, OptElement &out)
{
    auto v = field(object, key);
    if (!v)
        return {};
    if (Status s = checkMask(*v); !s)
        return s;
    out = v->raw();
    return {};
}

Status attributePaths(const JsonObject &object, std::string_view key, std::vector<AttributePath> &out)
{
    auto v = field(object, key);
    if (!v)
        return {};
    auto paths = v->toArray();
    if (!paths)
        return paths.error();
    for (const JsonValue &p : *paths) {
        auto steps = p.toArray();
        if (!steps)
            return steps.error();
        AttributePath path;
        for (const JsonValue &step : *steps) {
            auto parsed = pathStep(step);
            if (!parsed)
                return parsed.error();
            path.push_back(*parsed);
        }
        out.push_back(std::move(path));
    }
    return {};
}

} // namespace hp::planread
