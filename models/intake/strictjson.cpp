#include "intake/strictjson.h"

#include "domain/utf8.h"

#include "intake/jsondiagnostics.h"

#include <QStringList>

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace hp {

namespace {

Error usageError(const QString &reason, const QString &path, const QString &what)
{
    return makeError(ExitCode::Usage, reason, path.isEmpty() ? what : path + QStringLiteral(": ") + what, path);
}

bool isIdentifier(std::string_view key)
{
    if (key.empty())
        return false;
    for (size_t i = 0; i < key.size(); ++i) {
        const auto c = static_cast<unsigned char>(key[i]);
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0))
            return false;
    }
    return true;
}

QString quotedKey(std::string_view key)
{
    return QLatin1Char('[') + quoteForMessage(QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()))) +
           QLatin1Char(']');
}

JsonType typeOf(simdjson::dom::element e)
{
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::ARRAY: return JsonType::Array;
    case element_type::OBJECT: return JsonType::Object;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return JsonType::Number;
    case element_type::STRING: return JsonType::String;
    case element_type::BOOL: return JsonType::Bool;
    case element_type::NULL_VALUE: return JsonType::Null;
    }
    return JsonType::Null;
}

// Finds the first duplicate among `keys` (document order): the index of the
// second occurrence, or -1. Small objects compare pairwise; large ones sort a
// copy and only on a hit look for the first repeat in document order.
qint64 firstDuplicate(const std::vector<std::string_view> &keys, std::vector<std::string_view> &scratch)
{
    const size_t n = keys.size();
    if (n < 2)
        return -1;
    if (n <= 16) {
        for (size_t i = 1; i < n; ++i) {
            for (size_t j = 0; j < i; ++j) {
                if (keys[i] == keys[j])
                    return static_cast<qint64>(i);
            }
        }
        return -1;
    }
    scratch.assign(keys.begin(), keys.end());
    std::sort(scratch.begin(), scratch.end());
    if (std::adjacent_find(scratch.begin(), scratch.end()) == scratch.end())
        return -1;
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < n; ++i) {
        if (!seen.insert(keys[i]).second)
            return static_cast<qint64>(i);
    }
    return -1;
}

// The string tokens of a valid document, in document order: the next opening
// quote outside a string always starts the next key or string value, and a
// quote ends a string unless an odd run of backslashes precedes it.
class SourceStrings
{
public:
    explicit SourceStrings(QByteArrayView bytes) : m_p(bytes.data()), m_n(bytes.size()) {}

    std::optional<JsonSpan> next()
    {
        const void *open = m_pos < m_n ? std::memchr(m_p + m_pos, '"', static_cast<size_t>(m_n - m_pos)) : nullptr;
        if (!open)
            return std::nullopt;
        const qint64 start = static_cast<const char *>(open) - m_p + 1;
        qint64 i = start;
        for (;;) {
            const void *q = i < m_n ? std::memchr(m_p + i, '"', static_cast<size_t>(m_n - i)) : nullptr;
            if (!q)
                return std::nullopt;
            const qint64 end = static_cast<const char *>(q) - m_p;
            qint64 slashes = 0;
            while (end - slashes - 1 >= start && m_p[end - slashes - 1] == '\\')
                ++slashes;
            if (slashes % 2 == 0) {
                m_pos = end + 1;
                return JsonSpan{start, end - start};
            }
            i = end + 1;
        }
    }

private:
    const char *m_p;
    qint64 m_n;
    qint64 m_pos = 0;
};

struct Frame
{
    bool isObject = false;
    simdjson::dom::object::iterator oit, oend;
    simdjson::dom::array::iterator ait, aend;
    qint64 index = 0;      // next child, for arrays
    std::string_view key;  // this container's own segment: a key,
    qint64 ownIndex = -1;  // or an index >= 0 (the root has neither)
};

} // namespace

QString quoteForMessage(const QString &text, qsizetype maxChars)
{
    QString out = QStringLiteral("\"");
    const qsizetype n = std::min(text.size(), maxChars);
    for (qsizetype i = 0; i < n; ++i) {
        const QChar ch = text.at(i);
        const QChar::Category cat = ch.category();
        const bool hidden = ch.unicode() < 0x20 || (ch.unicode() >= 0x7F && ch.unicode() <= 0x9F) ||
                            cat == QChar::Other_Format || cat == QChar::Separator_Line ||
                            cat == QChar::Separator_Paragraph || ch.isSurrogate();
        if (ch == QLatin1Char('"') || ch == QLatin1Char('\\'))
            out += QLatin1Char('\\') + ch;
        else if (hidden && !(ch.isHighSurrogate() && i + 1 < n && text.at(i + 1).isLowSurrogate()) &&
                 !(ch.isLowSurrogate() && i > 0 && text.at(i - 1).isHighSurrogate()))
            out += QStringLiteral("\\u%1").arg(ch.unicode(), 4, 16, QLatin1Char('0'));
        else
            out += ch;
    }
    if (text.size() > maxChars)
        out += QStringLiteral("…");
    return out + QLatin1Char('"');
}

QString jsonTypeName(JsonType type)
{
    switch (type) {
    case JsonType::Null: return QStringLiteral("null");
    case JsonType::Bool: return QStringLiteral("boolean");
    case JsonType::Number: return QStringLiteral("number");
    case JsonType::String: return QStringLiteral("string");
    case JsonType::Array: return QStringLiteral("array");
    case JsonType::Object: return QStringLiteral("object");
    }
    return {};
}

namespace {

void appendSegment(QString &out, std::string_view key, qint64 index)
{
    if (index >= 0)
        out += QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
    else if (isIdentifier(key))
        out += QLatin1Char('.') + QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()));
    else
        out += quotedKey(key);
}

} // namespace

QString JsonPathNode::toString() const
{
    std::vector<const JsonPathNode *> chain;
    for (const JsonPathNode *n = this; n->parent; n = n->parent.get())
        chain.push_back(n);
    QString out = QStringLiteral("$");
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        appendSegment(out, (*it)->key, (*it)->index);
    return out;
}

// ---- JsonValue -------------------------------------------------------------

JsonType JsonValue::type() const
{
    return typeOf(m_element);
}

Error JsonValue::error(const QString &reason, const QString &what) const
{
    return usageError(reason, path(), what);
}

Error JsonValue::wrongType(const QString &expected) const
{
    return error(QStringLiteral("wrong_type"),
                 QStringLiteral("expected %1, got %2").arg(expected, jsonTypeName(type())));
}

Result<std::string_view> JsonValue::toUtf8() const
{
    std::string_view s;
    if (m_element.get_string().get(s))
        return wrongType(QStringLiteral("a string"));
    return s;
}

Result<QString> JsonValue::toString() const
{
    std::string_view s;
    if (m_element.get_string().get(s))
        return wrongType(QStringLiteral("a string"));
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

Result<qint64> JsonValue::toInt() const
{
    int64_t v = 0;
    if (!m_element.get_int64().get(v))
        return static_cast<qint64>(v);
    if (m_element.is_uint64())
        return error(QStringLiteral("invalid_value"), QStringLiteral("integer out of range"));
    if (m_element.is_double())
        return error(QStringLiteral("wrong_type"), QStringLiteral("expected an integer, got a fractional number"));
    return wrongType(QStringLiteral("an integer"));
}

Result<double> JsonValue::toDouble() const
{
    double v = 0;
    if (m_element.get_double().get(v))
        return wrongType(QStringLiteral("a number"));
    return v;
}

Result<bool> JsonValue::toBool() const
{
    bool v = false;
    if (m_element.get_bool().get(v))
        return wrongType(QStringLiteral("a boolean"));
    return v;
}

Result<JsonObject> JsonValue::toObject() const
{
    simdjson::dom::object o;
    if (m_element.get_object().get(o))
        return wrongType(QStringLiteral("an object"));
    return JsonObject(m_doc, o, std::make_shared<const JsonPathNode>(m_node));
}

Result<JsonArray> JsonValue::toArray() const
{
    simdjson::dom::array a;
    if (m_element.get_array().get(a))
        return wrongType(QStringLiteral("an array"));
    return JsonArray(m_doc, a, std::make_shared<const JsonPathNode>(m_node));
}

std::optional<JsonSpan> JsonValue::sourceSpan() const
{
    std::string_view s;
    if (!m_doc || m_element.get_string().get(s))
        return std::nullopt;
    return m_doc->spanOf(s.data());
}

// ---- JsonObject / JsonArray -------------------------------------------------

JsonMember JsonObject::Iterator::operator*() const
{
    const std::string_view key = m_it.key();
    return JsonMember{key, JsonValue(m_owner->m_doc, m_it.value(), JsonPathNode{m_owner->m_self, key, -1})};
}

std::optional<JsonValue> JsonObject::find(std::string_view key) const
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (it.key() == key)
            return JsonValue(m_doc, it.value(), JsonPathNode{m_self, it.key(), -1});
    }
    return std::nullopt;
}

Result<JsonValue> JsonObject::require(std::string_view key) const
{
    if (auto v = find(key))
        return *v;
    return error(QStringLiteral("missing_key"),
                 QStringLiteral("missing required key \"%1\"")
                     .arg(QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()))));
}

Status JsonObject::allowOnly(std::initializer_list<std::string_view> keys) const
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (std::find(keys.begin(), keys.end(), it.key()) != keys.end())
            continue;
        const JsonPathNode node{m_self, it.key(), -1};
        QStringList allowed;
        for (std::string_view k : keys)
            allowed << QString::fromUtf8(k.data(), static_cast<qsizetype>(k.size()));
        return usageError(QStringLiteral("unknown_key"), node.toString(),
                          QStringLiteral("unknown key (allowed here: %1)").arg(allowed.join(QStringLiteral(", "))));
    }
    return {};
}

Error JsonObject::error(const QString &reason, const QString &what) const
{
    return usageError(reason, path(), what);
}

JsonValue JsonArray::Iterator::operator*() const
{
    return JsonValue(m_owner->m_doc, *m_it, JsonPathNode{m_owner->m_self, {}, m_index});
}

Error JsonArray::error(const QString &reason, const QString &what) const
{
    return usageError(reason, path(), what);
}

// ---- StrictJson --------------------------------------------------------------

StrictJson::StrictJson(StrictJsonOptions options)
    : m_options(std::move(options))
    , m_parser(std::make_unique<simdjson::dom::parser>(
          static_cast<size_t>(std::clamp<qint64>(m_options.maxBytes, 0, 0xFFFFFFFFLL))))
{
}

StrictJson::~StrictJson() = default;

void StrictJson::reservePadded(QByteArray &buffer, qint64 size)
{
    buffer.reserve(static_cast<qsizetype>(size + simdjson::SIMDJSON_PADDING));
}

qint64 StrictJson::firstInvalidUtf8(QByteArrayView bytes)
{
    return hp::firstInvalidUtf8(bytes);
}

Status StrictJson::parse(const QByteArray &bytes)
{
    // capacity() also counts free space *before* the data, so ask the array
    // how much room follows it (a shallow copy: data_ptr() is non-const).
    QByteArray shared = bytes;
    const bool padded =
        !bytes.isNull() && shared.data_ptr().freeSpaceAtEnd() >= static_cast<qsizetype>(simdjson::SIMDJSON_PADDING);
    return parseBuffer(QByteArrayView(bytes), padded);
}

Status StrictJson::parse(QByteArrayView bytes)
{
    return parseBuffer(bytes, false);
}

JsonValue StrictJson::root() const
{
    Q_ASSERT(m_parsed);
    return JsonValue(this, m_root, JsonPathNode{});
}

Status StrictJson::parseBuffer(QByteArrayView bytes, bool padded)
{
    m_parsed = false;
    m_spanKeys.clear();
    m_spans.clear();
    if (bytes.size() > m_options.maxBytes) {
        return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                         QStringLiteral("the JSON is %1 bytes, more than the limit of %2 bytes")
                             .arg(bytes.size())
                             .arg(m_options.maxBytes),
                         m_options.source);
    }
    // simdjson counts the document itself as a level, and an empty innermost
    // container as none; one level of slack here, and checkDocument() applies
    // our exact limit.
    const simdjson::error_code alloc = m_parser->allocate(static_cast<size_t>(bytes.size()),
                                                          static_cast<size_t>(std::max(1, m_options.maxDepth)) + 1);
    if (alloc)
        return makeError(ExitCode::Internal, QStringLiteral("out_of_memory"),
                         QStringLiteral("cannot allocate a JSON parser for %1 bytes").arg(bytes.size()));
    const auto *data = reinterpret_cast<const uint8_t *>(bytes.isNull() ? "" : bytes.data());
    const simdjson::error_code code =
        m_parser->parse(data, static_cast<size_t>(bytes.size()), !padded).get(m_root);
    if (code)
        return explainFailure(bytes, code);
    if (Status s = checkDocument(bytes); !s)
        return s;
    m_parsed = true;
    return {};
}

Error StrictJson::explainFailure(QByteArrayView bytes, simdjson::error_code code) const
{
    auto at = [&](const QString &reason, const QString &what, qint64 offset) {
        QString where = jsondiag::lineColumn(bytes, offset);
        if (!m_options.source.isEmpty())
            where = m_options.source + QLatin1Char(':') + where;
        return makeError(ExitCode::Usage, reason,
                         QStringLiteral("%1 at %2").arg(what, jsondiag::describeOffset(bytes, offset)), where);
    };
    // simdjson names only the kind of failure; our own passes find where.
    const qint64 bad = hp::firstInvalidUtf8(bytes);
    if (bad >= 0)
        return at(QStringLiteral("invalid_utf8"),
                  QStringLiteral("invalid UTF-8 (byte 0x%1)")
                      .arg(static_cast<unsigned char>(bytes[bad]), 2, 16, QLatin1Char('0')),
                  bad);
    if (auto problem = jsondiag::findProblem(bytes, m_options.maxDepth))
        return at(problem->reason, problem->what, problem->offset);
    const QString reason = code == simdjson::DEPTH_ERROR ? QStringLiteral("too_deep") : QStringLiteral("invalid_json");
    return makeError(ExitCode::Usage, reason,
                     QStringLiteral("invalid JSON: %1").arg(QString::fromUtf8(simdjson::error_message(code))),
                     m_options.source);
}

namespace {

// One pass over the whole tape after simdjson accepted the syntax: duplicate
// keys anywhere, our exact depth limit, and (optionally) the source span of
// every string value. Iterative: depth costs heap frames, not call stack.
class DocumentChecker
{
public:
    DocumentChecker(QByteArrayView bytes, int maxDepth, std::vector<const char *> *spanKeys,
                    std::vector<JsonSpan> *spans)
        : m_strings(bytes), m_maxDepth(maxDepth), m_spanKeys(spanKeys), m_spans(spans)
    {
    }

    Status run(simdjson::dom::element root)
    {
        if (Status s = enter(root, {}, -1); !s)
            return s;
        while (!m_stack.empty()) {
            Frame &f = m_stack.back();
            simdjson::dom::element child;
            std::string_view key;
            qint64 index = -1;
            if (f.isObject ? !(f.oit != f.oend) : !(f.ait != f.aend)) {
                m_stack.pop_back();
                continue;
            }
            if (f.isObject) {
                key = f.oit.key();
                child = f.oit.value();
                ++f.oit;
                if (m_spans)
                    m_strings.next(); // the key's span: keys are not recorded
            } else {
                index = f.index++;
                child = *f.ait;
                ++f.ait;
            }
            if (Status s = enter(child, key, index); !s) // may grow the stack: `f` is dead here
                return s;
        }
        return {};
    }

private:
    // "$" and the segment of every open container but the root, then one more.
    QString pathTo(std::string_view key, qint64 index) const
    {
        QString path = QStringLiteral("$");
        for (size_t i = 1; i < m_stack.size(); ++i)
            appendSegment(path, m_stack[i].key, m_stack[i].ownIndex);
        if (!m_stack.empty())
            appendSegment(path, key, index);
        return path;
    }

    Status enter(simdjson::dom::element e, std::string_view key, qint64 ownIndex)
    {
        Frame f;
        f.key = key;
        f.ownIndex = ownIndex;
        simdjson::dom::object o;
        simdjson::dom::array a;
        std::string_view s;
        const bool isObject = !e.get_object().get(o);
        const bool isArray = !isObject && !e.get_array().get(a);
        if ((isObject || isArray) && static_cast<qint64>(m_stack.size()) >= m_maxDepth)
            return usageError(QStringLiteral("too_deep"), pathTo(key, ownIndex),
                              QStringLiteral("nesting deeper than %1 arrays/objects").arg(m_maxDepth));
        if (isObject) {
            if (Status st = checkKeys(o, key, ownIndex); !st)
                return st;
            f.isObject = true;
            f.oit = o.begin();
            f.oend = o.end();
            m_stack.push_back(f);
        } else if (isArray) {
            f.ait = a.begin();
            f.aend = a.end();
            m_stack.push_back(f);
        } else if (m_spans && !e.get_string().get(s)) {
            if (const std::optional<JsonSpan> span = m_strings.next()) {
                m_spanKeys->push_back(s.data());
                m_spans->push_back(*span);
            }
        }
        return {};
    }

    Status checkKeys(simdjson::dom::object o, std::string_view key, qint64 ownIndex)
    {
        m_keys.clear();
        for (auto it = o.begin(); it != o.end(); ++it)
            m_keys.push_back(it.key());
        const qint64 dup = firstDuplicate(m_keys, m_scratch);
        if (dup < 0)
            return {};
        const std::string_view name = m_keys[static_cast<size_t>(dup)];
        QString path = pathTo(key, ownIndex);
        appendSegment(path, name, -1);
        return usageError(QStringLiteral("duplicate_key"), path,
                          QStringLiteral("duplicate key %1 (keys must be unique in an object)")
                              .arg(quoteForMessage(QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())))));
    }

    SourceStrings m_strings;
    int m_maxDepth;
    std::vector<const char *> *m_spanKeys;
    std::vector<JsonSpan> *m_spans; // null: spans not recorded
    std::vector<Frame> m_stack;
    std::vector<std::string_view> m_keys;
    std::vector<std::string_view> m_scratch;
};

} // namespace

Status StrictJson::checkDocument(QByteArrayView bytes)
{
    const bool record = m_options.recordStringSpans;
    DocumentChecker checker(bytes, m_options.maxDepth, record ? &m_spanKeys : nullptr, record ? &m_spans : nullptr);
    return checker.run(m_root);
}

std::optional<JsonSpan> StrictJson::spanOf(const char *unescaped) const
{
    const auto it = std::lower_bound(m_spanKeys.begin(), m_spanKeys.end(), unescaped);
    if (it == m_spanKeys.end() || *it != unescaped)
        return std::nullopt;
    return m_spans[static_cast<size_t>(it - m_spanKeys.begin())];
}

} // namespace hp
