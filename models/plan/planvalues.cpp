#include "plan/planvalues.h"

#include <algorithm>
#include <charconv>

namespace hp::planvalue {

namespace {

using simdjson::dom::element_type;

QString numberText(JsonElement e)
{
    int64_t i = 0;
    if (!e.get_int64().get(i))
        return QString::number(static_cast<qint64>(i));
    uint64_t u = 0;
    if (!e.get_uint64().get(u))
        return QString::number(static_cast<quint64>(u));
    double d = 0;
    if (e.get_double().get(d))
        return QString();
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);
    return QString::fromLatin1(buf, static_cast<qsizetype>(res.ptr - buf));
}

void appendQuoted(QString &out, QStringView s, qsizetype cap)
{
    out += QLatin1Char('"');
    for (QChar ch : s) {
        if (out.size() > cap)
            return;
        const char16_t c = ch.unicode();
        if (c == u'"' || c == u'\\') {
            out += QLatin1Char('\\');
            out += ch;
        } else if (c == u'\n') {
            out += QStringLiteral("\\n");
        } else if (c == u'\t') {
            out += QStringLiteral("\\t");
        } else if (c < 0x20) {
            out += QStringLiteral("\\u%1").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0'));
        } else {
            out += ch;
        }
    }
    out += QLatin1Char('"');
}

void appendString(QString &out, std::string_view s, const Redactor &redactor, qsizetype cap)
{
    const QString text = redactor.redact(fromUtf8(s));
    if (text == Redactor::mask())
        out += text;
    else
        appendQuoted(out, text, cap);
}

// Compact JSON; stops adding once `out` passed `cap` (each string is redacted
// whole before it is added, so a cut never leaves part of a secret).
void appendJson(QString &out, JsonElement e, const Redactor &redactor, qsizetype cap)
{
    if (out.size() > cap)
        return;
    switch (e.type()) {
    case element_type::OBJECT: {
        out += QLatin1Char('{');
        bool first = true;
        for (const auto &[key, value] : sortedMembers(e)) {
            if (!first)
                out += QLatin1Char(',');
            first = false;
            appendString(out, key, redactor, cap);
            out += QLatin1Char(':');
            appendJson(out, value, redactor, cap);
            if (out.size() > cap)
                return;
        }
        out += QLatin1Char('}');
        return;
    }
    case element_type::ARRAY: {
        out += QLatin1Char('[');
        bool first = true;
        const simdjson::dom::array items = arrayOf(e);
        for (JsonElement item : items) {
            if (!first)
                out += QLatin1Char(',');
            first = false;
            appendJson(out, item, redactor, cap);
            if (out.size() > cap)
                return;
        }
        out += QLatin1Char(']');
        return;
    }
    case element_type::STRING: appendString(out, stringOf(e), redactor, cap); return;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: out += redactor.redact(numberText(e)); return;
    case element_type::BOOL: out += boolOf(e) ? QStringLiteral("true") : QStringLiteral("false"); return;
    case element_type::NULL_VALUE: out += QStringLiteral("null"); return;
    }
}

} // namespace

QString fromUtf8(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

simdjson::dom::object objectOf(JsonElement e)
{
    simdjson::dom::object o;
    if (e.get_object().get(o))
        return {};
    return o;
}

simdjson::dom::array arrayOf(JsonElement e)
{
    simdjson::dom::array a;
    if (e.get_array().get(a))
        return {};
    return a;
}

std::string_view stringOf(JsonElement e)
{
    std::string_view s;
    if (e.get_string().get(s))
        return {};
    return s;
}

bool boolOf(JsonElement e)
{
    bool b = false;
    if (e.get_bool().get(b))
        return false;
    return b;
}

bool isObject(JsonElement e)
{
    return e.type() == element_type::OBJECT;
}

bool isArray(JsonElement e)
{
    return e.type() == element_type::ARRAY;
}

bool isContainer(JsonElement e)
{
    return isObject(e) || isArray(e);
}

bool isTrue(const OptElement &e)
{
    bool b = false;
    return e && !e->get_bool().get(b) && b;
}

OptElement member(const OptElement &e, std::string_view key)
{
    simdjson::dom::object o;
    if (!e || e->get_object().get(o))
        return std::nullopt;
    JsonElement v;
    if (o.at_key(key).get(v) || v.is_null())
        return std::nullopt;
    return v;
}

OptElement element(const OptElement &e, qint64 index)
{
    simdjson::dom::array a;
    if (!e || index < 0 || e->get_array().get(a))
        return std::nullopt;
    JsonElement v;
    if (a.at(static_cast<size_t>(index)).get(v) || v.is_null())
        return std::nullopt;
    return v;
}

OptElement child(const OptElement &e, const PathStep &step)
{
    if (step.isIndex())
        return element(e, step.index);
    const QByteArray key = step.key.toUtf8();
    return member(e, std::string_view(key.constData(), static_cast<size_t>(key.size())));
}

OptElement at(const OptElement &e, const AttributePath &path)
{
    OptElement cur = e;
    for (const PathStep &step : path) {
        cur = child(cur, step);
        if (!cur)
            break;
    }
    return cur;
}

bool markedAt(const OptElement &mask, const AttributePath &path)
{
    OptElement cur = mask;
    for (const PathStep &step : path) {
        if (!cur)
            return false;
        if (isTrue(cur))
            return true;
        cur = child(cur, step);
    }
    return isTrue(cur);
}

bool anyTrue(const OptElement &mask)
{
    if (!mask)
        return false;
    if (isTrue(mask))
        return true;
    if (isObject(*mask)) {
        const simdjson::dom::object fields = objectOf(*mask);
        for (auto field : fields) {
            if (anyTrue(field.value))
                return true;
        }
    } else if (isArray(*mask)) {
        const simdjson::dom::array items = arrayOf(*mask);
        for (JsonElement item : items) {
            if (anyTrue(item))
                return true;
        }
    }
    return false;
}

bool deepEqual(JsonElement a, JsonElement b)
{
    const bool aNum = a.is_number();
    if (aNum || b.is_number())
        return aNum && b.is_number() && numberText(a) == numberText(b);
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case element_type::STRING: return stringOf(a) == stringOf(b);
    case element_type::BOOL: return boolOf(a) == boolOf(b);
    case element_type::NULL_VALUE: return true;
    case element_type::ARRAY: {
        const simdjson::dom::array x = arrayOf(a);
        const simdjson::dom::array y = arrayOf(b);
        if (x.size() != y.size())
            return false;
        auto it = y.begin();
        for (JsonElement item : x) {
            if (!deepEqual(item, *it))
                return false;
            ++it;
        }
        return true;
    }
    case element_type::OBJECT: {
        const auto x = sortedMembers(a);
        const auto y = sortedMembers(b);
        return std::equal(x.begin(), x.end(), y.begin(), y.end(), [](const auto &l, const auto &r) {
            return l.first == r.first && deepEqual(l.second, r.second);
        });
    }
    default: return false;
    }
}

std::vector<std::pair<std::string_view, JsonElement>> sortedMembers(JsonElement object)
{
    std::vector<std::pair<std::string_view, JsonElement>> out;
    simdjson::dom::object o;
    if (object.get_object().get(o))
        return out;
    out.reserve(o.size());
    for (auto field : o)
        out.emplace_back(field.key, field.value);
    std::sort(out.begin(), out.end(), [](const auto &l, const auto &r) { return l.first < r.first; });
    return out;
}

QString render(JsonElement e, const Redactor &redactor, qsizetype cap)
{
    QString out;
    appendJson(out, e, redactor, cap);
    if (out.size() > cap) {
        const qsizetype full = out.size();
        out.truncate(cap);
        out += QStringLiteral("… (shortened: %1 characters or more in all)").arg(full);
    }
    return out;
}

} // namespace hp::planvalue
