// libFuzzer target: PatchParser::parse on untrusted unified-diff text.
#include "diff/patchparser.h"
#include "fuzzinput.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto patch = hp::diff::PatchParser::parse(hp::fuzz::bytesOf(data, size), QStringLiteral("fuzz.patch"));
    static_cast<void>(patch.ok());
    return 0;
}
