// libFuzzer target: PlanParser::parse on untrusted `terraform show -json` text.
#include "fuzzinput.h"
#include "plan/planparser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    hp::PlanParseOptions options;
    options.source = QStringLiteral("fuzz.plan.json");
    const hp::PlanParser parser(options);
    const auto plan = parser.parse(hp::fuzz::bytesOf(data, size));
    static_cast<void>(plan.ok());
    return 0;
}
