// libFuzzer target: CatalogReader::read on untrusted Backstage catalog YAML,
// and the terraform-address annotation splitter on the same bytes.
#include "fuzzinput.h"
#include "topology/catalogreader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes = hp::fuzz::bytesOf(data, size);
    const auto topology = hp::CatalogReader::read(bytes, QStringLiteral("fuzz.yaml"));
    static_cast<void>(topology.ok());
    static_cast<void>(hp::CatalogReader::splitAddresses(QString::fromUtf8(bytes)));
    return 0;
}
