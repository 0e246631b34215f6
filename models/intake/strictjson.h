#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

// A strict reader for untrusted JSON (DESIGN §11, §12): simdjson's DOM walked
// by our own code. Beyond RFC 8259 syntax it refuses invalid UTF-8 (with the
// byte offset of the first bad byte), nesting deeper than a limit, lone
// surrogates in \u escapes, and duplicate object keys anywhere (naming their
// JSON path). Syntax errors carry a byte offset, line and column. Typed
// accessors produce errors naming the JSON path and both types, e.g.
// "$.title: expected a string, got number".
//
// Every error is an hp::Error with ExitCode::Usage and one of the reason codes
// invalid_json, invalid_utf8, too_deep, duplicate_key, lone_surrogate,
// too_large, wrong_type, missing_key, unknown_key, invalid_value (and
// ExitCode::Internal out_of_memory when the parser cannot be allocated).
//
// Values are thin views over simdjson's tape (no per-node allocation), so a
// 100 MB Terraform plan is walked at simdjson speed. Lifetimes, like
// std::string_view: every JsonValue/JsonObject/JsonArray is valid while the
// StrictJson that produced it lives and is not re-parsed, and a child borrows
// the path of the value it was reached from, so keep that parent alive
// (a local or the range of a for loop) while the child is used.
namespace hp {

struct StrictJsonOptions
{
    int maxDepth = 64;                      // nested arrays/objects; deeper is too_deep
    qint64 maxBytes = 0xFFFFFFFFLL;         // simdjson's own ceiling is 4 GiB - 1
    bool recordStringSpans = false;         // keep source spans of string values (sourceSpan())
    QString source;                         // file name prefixed to line:column positions
};

enum class JsonType { Null, Bool, Number, String, Array, Object };

QString jsonTypeName(JsonType type);

// Untrusted text for an error message: in double quotes, at most `maxChars`
// characters, with controls, invisible format characters (bidi overrides,
// zero-width characters), line separators and lone surrogates written as
// \uXXXX, so an input cannot reorder or hide the text of our messages.
QString quoteForMessage(const QString &text, qsizetype maxChars = 200);

// Where a value sits: its own segment (an object key, or an array index when
// index >= 0) and, shared, the node of the container holding it; a node
// without parent is the root "$". Containers allocate their node once when
// converted (toObject/toArray); scalars and iteration allocate nothing.
struct JsonPathNode
{
    std::shared_ptr<const JsonPathNode> parent;
    std::string_view key;
    qint64 index = -1;

    QString toString() const; // "$.artifacts[2].name", ["odd key"] when not an identifier
};

// A string value's location in the source text, quotes excluded.
struct JsonSpan
{
    qint64 offset = 0;
    qint64 length = 0;
};

class StrictJson;
class JsonObject;
class JsonArray;

class JsonValue
{
public:
    JsonValue() = default;
    JsonValue(const StrictJson *doc, simdjson::dom::element element, JsonPathNode node)
        : m_doc(doc), m_element(element), m_node(std::move(node))
    {
    }

    JsonType type() const;
    bool isNull() const { return type() == JsonType::Null; }
    QString path() const { return m_node.toString(); }
    const JsonPathNode &pathNode() const { return m_node; }

    Result<QString> toString() const;
    Result<std::string_view> toUtf8() const; // unescaped UTF-8, may contain NUL
    Result<qint64> toInt() const;            // integral numbers in the int64 range
    Result<double> toDouble() const;
    Result<bool> toBool() const;
    Result<JsonObject> toObject() const;
    Result<JsonArray> toArray() const;

    // The span in the source of a string value, when the document was parsed
    // with recordStringSpans.
    std::optional<JsonSpan> sourceSpan() const;

    // An ExitCode::Usage error located at this value: message "PATH: what".
    Error error(const QString &reason, const QString &what) const;
    Error wrongType(const QString &expected) const; // "expected X, got Y"

    simdjson::dom::element raw() const { return m_element; }

private:
    const StrictJson *m_doc = nullptr;
    simdjson::dom::element m_element;
    JsonPathNode m_node;
};

struct JsonMember
{
    std::string_view key;
    JsonValue value;
};

class JsonObject
{
public:
    JsonObject() = default;
    JsonObject(const StrictJson *doc, simdjson::dom::object object, std::shared_ptr<const JsonPathNode> self)
        : m_doc(doc), m_object(object), m_self(std::move(self))
    {
    }

    qint64 size() const { return static_cast<qint64>(m_object.size()); }
    QString path() const { return m_self ? m_self->toString() : QStringLiteral("$"); }

    std::optional<JsonValue> find(std::string_view key) const;
    Result<JsonValue> require(std::string_view key) const; // missing_key when absent
    // unknown_key, naming the first member whose key is not listed.
    Status allowOnly(std::initializer_list<std::string_view> keys) const;
    Error error(const QString &reason, const QString &what) const;

    class Iterator
    {
    public:
        Iterator(const JsonObject *owner, simdjson::dom::object::iterator it) : m_owner(owner), m_it(it) {}
        JsonMember operator*() const;
        Iterator &operator++()
        {
            ++m_it;
            return *this;
        }
        bool operator!=(const Iterator &o) const { return m_it != o.m_it; }

    private:
        const JsonObject *m_owner;
        simdjson::dom::object::iterator m_it;
    };
    Iterator begin() const { return Iterator(this, m_object.begin()); }
    Iterator end() const { return Iterator(this, m_object.end()); }

    simdjson::dom::object raw() const { return m_object; }

private:
    const StrictJson *m_doc = nullptr;
    simdjson::dom::object m_object;
    std::shared_ptr<const JsonPathNode> m_self;
};

class JsonArray
{
public:
    JsonArray() = default;
    JsonArray(const StrictJson *doc, simdjson::dom::array array, std::shared_ptr<const JsonPathNode> self)
        : m_doc(doc), m_array(array), m_self(std::move(self))
    {
    }

    qint64 size() const { return static_cast<qint64>(m_array.size()); }
    QString path() const { return m_self ? m_self->toString() : QStringLiteral("$"); }
    Error error(const QString &reason, const QString &what) const;

    class Iterator
    {
    public:
        Iterator(const JsonArray *owner, simdjson::dom::array::iterator it, qint64 index)
            : m_owner(owner), m_it(it), m_index(index)
        {
        }
        JsonValue operator*() const;
        Iterator &operator++()
        {
            ++m_it;
            ++m_index;
            return *this;
        }
        bool operator!=(const Iterator &o) const { return m_it != o.m_it; }

    private:
        const JsonArray *m_owner;
        simdjson::dom::array::iterator m_it;
        qint64 m_index;
    };
    Iterator begin() const { return Iterator(this, m_array.begin(), 0); }
    Iterator end() const { return Iterator(this, m_array.end(), size()); }

    simdjson::dom::array raw() const { return m_array; }

private:
    const StrictJson *m_doc = nullptr;
    simdjson::dom::array m_array;
    std::shared_ptr<const JsonPathNode> m_self;
};

class StrictJson
{
public:
    explicit StrictJson(StrictJsonOptions options = {});
    ~StrictJson();
    StrictJson(const StrictJson &) = delete;
    StrictJson &operator=(const StrictJson &) = delete;

    // Parses and checks the whole document. When `bytes` has simdjson::SIMDJSON_PADDING
    // spare capacity (see reservePadded) it is parsed in place, else copied.
    Status parse(const QByteArray &bytes);
    Status parse(QByteArrayView bytes);

    JsonValue root() const; // after a successful parse
    const StrictJsonOptions &options() const { return m_options; }

    // Gives `buffer` the spare capacity simdjson reads past the end, so that
    // parse() needs no copy (for large inputs read by the caller).
    static void reservePadded(QByteArray &buffer, qint64 size);

    // Offset of the first byte that is not part of well-formed UTF-8
    // (RFC 3629: no overlongs, surrogates or code points above U+10FFFF), or
    // -1 when all of `bytes` is valid.
    static qint64 firstInvalidUtf8(QByteArrayView bytes);

private:
    friend class JsonValue;
    Status parseBuffer(QByteArrayView bytes, bool padded);
    Status checkDocument(QByteArrayView bytes);
    Error explainFailure(QByteArrayView bytes, simdjson::error_code code) const;
    std::optional<JsonSpan> spanOf(const char *unescaped) const;

    StrictJsonOptions m_options;
    std::unique_ptr<simdjson::dom::parser> m_parser;
    simdjson::dom::element m_root;
    bool m_parsed = false;
    // With recordStringSpans: string values in document order, keyed by where
    // simdjson put their unescaped bytes (increasing in document order).
    std::vector<const char *> m_spanKeys;
    std::vector<JsonSpan> m_spans;
};

} // namespace hp
