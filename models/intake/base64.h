#pragma once

#include "domain/result.h"

#include <QByteArray>
#include <QString>

#include <string_view>

// Strict RFC 4648 §4 base64 for artifact contents: the standard alphabet,
// length a multiple of four, '=' padding only at the very end, zero pad bits
// (so each byte string has exactly one accepted encoding), and no whitespace
// or line breaks. Errors are ExitCode::Usage, reason invalid_base64, located
// at `path` and a character offset in the text.
namespace hp::intake {

// Decoded size of well-formed text (what the caps are checked against before
// decoding); -1 when the length is not a multiple of four.
qint64 base64DecodedSize(std::string_view text);

Result<QByteArray> decodeBase64Strict(std::string_view text, const QString &path);

} // namespace hp::intake
