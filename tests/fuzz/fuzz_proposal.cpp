// libFuzzer target: ProposalParser::parse on untrusted proposal JSON.
// Small limits, so that the caps are reached by inputs the fuzzer can build;
// the base directory is empty, so an artifact `path` never reads a real file.
#include "fuzzinput.h"
#include "intake/proposalparser.h"

#include <QDir>
#include <QTemporaryDir>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const QTemporaryDir emptyDir;
    hp::IntakeLimits limits;
    limits.maxArtifactBytes = 4096;
    limits.maxRevisionBytes = 16384;
    limits.maxEnvelopeBytes = 8192;
    limits.maxDepth = 16;
    limits.maxArtifacts = 8;
    limits.maxStringChars = 256;
    const hp::ProposalParser parser(limits);
    const auto proposal = parser.parse(hp::fuzz::bytesOf(data, size), QDir(emptyDir.path()));
    static_cast<void>(proposal.ok());
    return 0;
}
