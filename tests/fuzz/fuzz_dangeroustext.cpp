// libFuzzer target: the dangerous-text scanner on raw bytes: scan, escape,
// and the byte-to-display offset map at every offset (sampled for long
// inputs), out-of-range ones included.
#include "diff/dangeroustext.h"
#include "fuzzinput.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = hp::fuzz::bytesOf(data, size);
    const auto findings = hp::diff::DangerousText::scan(bytes);
    static_cast<void>(hp::diff::DangerousText::contains(bytes));
    const auto escaped = hp::diff::DangerousText::escape(bytes, findings);
    static_cast<void>(escaped.text.size());
    for (const hp::diff::DangerousChar &found : findings)
        static_cast<void>(hp::diff::DangerousText::escapeOf(found));
    // Every offset of a short input; a long one is sampled, since each call
    // may walk the findings and the fuzzer must not time out on volume.
    const qsizetype step = std::max<qsizetype>(1, bytes.size() / 1024);
    for (qsizetype offset = -1; offset <= bytes.size() + 1; offset += step)
        static_cast<void>(hp::diff::DangerousText::displayOffset(bytes, findings, offset));
    static_cast<void>(hp::diff::DangerousText::displayOffset(bytes, findings, bytes.size()));
    static_cast<void>(hp::diff::DangerousText::escaped(bytes));
    return 0;
}
