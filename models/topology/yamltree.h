#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <vector>

// A strict YAML reader for catalogs and manifests (DESIGN §12: libfyaml;
// aliases and anchors refused). Each document becomes a small tree of plain
// values with 1-based line and column, so every later error can name
// file:line:column. Refused, each with its position: invalid UTF-8, aliases,
// anchors, non-scalar mapping keys, duplicate keys, nesting deeper than
// maxDepth, and anything libfyaml itself reports.
namespace hp {

struct YamlNode
{
    enum class Type { Scalar, Mapping, Sequence };

    Type type = Type::Scalar;
    QString scalar;   // Scalar only
    bool plain = false; // a plain (unquoted) scalar; `~`, `null` and empty plain read as null
    int line = 0;
    int column = 0;
    std::vector<QString> keys;   // Mapping: keys[i] names items[i]
    std::vector<YamlNode> items; // Mapping values or Sequence entries

    bool isNull() const;
    bool isMapping() const { return type == Type::Mapping; }
    bool isSequence() const { return type == Type::Sequence; }
    bool isScalar() const { return type == Type::Scalar && !isNull(); }
    const YamlNode *value(QStringView key) const; // nullptr when absent
};

struct YamlReadOptions
{
    QString source; // file name for messages
    int maxDepth = 32;
};

class YamlTreeReader
{
public:
    explicit YamlTreeReader(YamlReadOptions options) : m_options(std::move(options)) {}

    // Every document of the stream, in order (empty documents included as null scalars).
    Result<std::vector<YamlNode>> read(const QByteArray &yaml) const;

    // "file:line:column"
    static QString location(const QString &source, int line, int column);

private:
    YamlReadOptions m_options;
};

} // namespace hp
