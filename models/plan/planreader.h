#pragma once

#include "intake/strictjson.h"
#include "plan/plandata.h"
#include "plan/plandocument.h"

#include <QString>
#include <QStringList>

#include <string_view>

// Internal to models/plan: typed reads of plan fields on top of StrictJson.
// Absent keys and JSON null read as "not given" (Terraform omits or nulls
// optional fields alike); a value of the wrong type is an error naming its
// JSON path. Names (addresses, types, references) are capped so that a
// hostile 60 MiB "address" is refused instead of copied around.
namespace hp::planread {

constexpr qsizetype kMaxNameBytes = 64 * 1024;

// Present and not null.
std::optional<JsonValue> field(const JsonObject &object, std::string_view key);

Status string(const JsonObject &object, std::string_view key, QString &out, bool required = false,
              qsizetype maxBytes = kMaxNameBytes);
Status boolean(const JsonObject &object, std::string_view key, bool &out);
// An array of strings (each capped like a name).
Status stringList(const JsonValue &value, QStringList &out);
Status stringList(const JsonObject &object, std::string_view key, QStringList &out);
// The raw element of an optional value of any type.
OptElement raw(const JsonObject &object, std::string_view key);
// A mask (after_unknown, *_sensitive, sensitive_values): booleans, objects
// and arrays only, checked all the way down.
Status mask(const JsonObject &object, std::string_view key, OptElement &out);
// A list of attribute paths: [["tags","Name"],["rules",0]].
Status attributePaths(const JsonObject &object, std::string_view key, std::vector<AttributePath> &out);

Error invalidValue(const JsonValue &at, const QString &what);

} // namespace hp::planread
