#pragma once

#include "plan/plandocument.h"
#include "plan/sensitivity.h"

#include <QString>

#include <string_view>
#include <utility>
#include <vector>

// Internal to models/plan: reading and rendering values of the parsed plan.
// Every function that produces text takes the plan's Redactor, so no caller
// can render a value unredacted by forgetting a step.
namespace hp::planvalue {

QString fromUtf8(std::string_view s);

bool isObject(JsonElement e);
bool isArray(JsonElement e);
bool isContainer(JsonElement e);
bool isTrue(const OptElement &e); // the JSON literal true

// Typed views; an element of another type gives an empty view / false.
simdjson::dom::object objectOf(JsonElement e);
simdjson::dom::array arrayOf(JsonElement e);
std::string_view stringOf(JsonElement e);
bool boolOf(JsonElement e);

OptElement member(const OptElement &e, std::string_view key); // of an object
OptElement element(const OptElement &e, qint64 index);        // of an array
OptElement child(const OptElement &e, const PathStep &step);
OptElement at(const OptElement &e, const AttributePath &path);

// A mask (after_unknown, *_sensitive) marks `path` when it is true there or
// at any step on the way.
bool markedAt(const OptElement &mask, const AttributePath &path);
// Any true anywhere inside.
bool anyTrue(const OptElement &mask);

bool deepEqual(JsonElement a, JsonElement b);

// Members of an object sorted by key (Terraform's own order, stable whatever
// order the input used).
std::vector<std::pair<std::string_view, JsonElement>> sortedMembers(JsonElement object);

// A scalar as Terraform shows it ("text", 3, true, null), a container as
// compact JSON. Strings and keys pass through `redactor`; a string that is a
// secret as a whole becomes (sensitive) without quotes. Text beyond `cap`
// characters is cut, after redaction, with a note of the full length.
QString render(JsonElement e, const Redactor &redactor, qsizetype cap = 64 * 1024);

} // namespace hp::planvalue
