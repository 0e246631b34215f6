// libFuzzer target: StrictJson::parse, then a walk of every value through the
// typed accessors (the paths and conversions callers rely on), with string
// spans recorded.
#include "fuzzinput.h"
#include "intake/strictjson.h"

namespace {

void walk(const hp::JsonValue &value, int depth)
{
    static_cast<void>(value.path());
    static_cast<void>(value.sourceSpan());
    switch (value.type()) {
    case hp::JsonType::Object: {
        const auto object = value.toObject();
        if (!object.ok())
            return;
        static_cast<void>(object->require("name").ok());
        static_cast<void>(object->allowOnly({"name", "kind"}).ok());
        for (const hp::JsonMember member : *object)
            walk(member.value, depth + 1);
        return;
    }
    case hp::JsonType::Array: {
        const auto array = value.toArray();
        if (!array.ok())
            return;
        for (const hp::JsonValue item : *array)
            walk(item, depth + 1);
        return;
    }
    case hp::JsonType::String:
        if (const auto text = value.toString(); text.ok())
            static_cast<void>(hp::quoteForMessage(*text, 40));
        return;
    case hp::JsonType::Number:
        static_cast<void>(value.toInt().ok());
        static_cast<void>(value.toDouble().ok());
        static_cast<void>(value.toBool().ok()); // wrong_type: exercises the message
        return;
    case hp::JsonType::Bool:
    case hp::JsonType::Null:
        static_cast<void>(value.toBool().ok());
        return;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = hp::fuzz::bytesOf(data, size);
    static_cast<void>(hp::StrictJson::firstInvalidUtf8(bytes));
    hp::StrictJsonOptions options;
    options.maxDepth = 64;
    options.recordStringSpans = true;
    options.source = QStringLiteral("fuzz.json");
    hp::StrictJson json(options);
    if (json.parse(bytes).ok())
        walk(json.root(), 0);
    return 0;
}
