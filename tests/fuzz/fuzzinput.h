#pragma once

#include <QByteArray>

#include <cstddef>
#include <cstdint>

// The libFuzzer entry point every fuzz_<name>.cpp defines. The same object is
// linked either with -fsanitize=fuzzer (real fuzzing) or with replay_main.cpp
// (the plain test that replays the seed corpus and every crash reproducer).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace hp::fuzz {

// A deep copy: libFuzzer's buffer is exactly `size` bytes long, so ASan
// catches any read past the end of the copy as it would past the input.
inline QByteArray bytesOf(const std::uint8_t *data, std::size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
}

} // namespace hp::fuzz
