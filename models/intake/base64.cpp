#include "intake/base64.h"

#include <array>

namespace hp::intake {

namespace {

constexpr std::array<signed char, 256> makeTable()
{
    std::array<signed char, 256> t{};
    for (auto &v : t)
        v = -1;
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return t;
}

constexpr std::array<signed char, 256> kTable = makeTable();

Error bad(const QString &path, const QString &what)
{
    return makeError(ExitCode::Usage, QStringLiteral("invalid_base64"),
                     path + QStringLiteral(": invalid base64: ") + what, path);
}

QString describe(unsigned char c)
{
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return QStringLiteral("whitespace (byte 0x%1, not allowed)").arg(c, 2, 16, QLatin1Char('0'));
    if (c > 0x20 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(static_cast<char>(c)));
    return QStringLiteral("byte 0x%1").arg(c, 2, 16, QLatin1Char('0'));
}

qint64 paddingOf(std::string_view text)
{
    const size_t n = text.size();
    qint64 pad = 0;
    if (n >= 1 && text[n - 1] == '=')
        ++pad;
    if (pad && n >= 2 && text[n - 2] == '=')
        ++pad;
    return pad;
}

} // namespace

qint64 base64DecodedSize(std::string_view text)
{
    if (text.size() % 4 != 0)
        return -1;
    return static_cast<qint64>(text.size() / 4 * 3) - paddingOf(text);
}

Result<QByteArray> decodeBase64Strict(std::string_view text, const QString &path)
{
    const qint64 n = static_cast<qint64>(text.size());
    const qint64 pad = paddingOf(text);
    const qint64 body = n - pad; // characters that must be in the alphabet
    // Report a stray character before a bad length: it is the likelier cause.
    for (qint64 i = 0; i < body; ++i) {
        const auto c = static_cast<unsigned char>(text[static_cast<size_t>(i)]);
        if (kTable[c] < 0) {
            const QString what = c == '=' ? QStringLiteral("padding '=' before the end")
                                          : QStringLiteral("unexpected %1").arg(describe(c));
            return bad(path, QStringLiteral("%1 at character %2").arg(what).arg(i));
        }
    }
    if (n % 4 != 0)
        return bad(path, QStringLiteral("length %1 is not a multiple of 4 (missing '=' padding?)").arg(n));
    // The last data character may carry only zero bits below the decoded ones.
    if (pad > 0) {
        const qint64 last = body - 1;
        const int v = kTable[static_cast<unsigned char>(text[static_cast<size_t>(last)])];
        if ((pad == 2 && (v & 0x0F)) || (pad == 1 && (v & 0x03)))
            return bad(path, QStringLiteral("non-zero padding bits at character %1 (not canonical)").arg(last));
    }
    QByteArray out(static_cast<qsizetype>(body / 4 * 3 + (pad ? 3 - pad : 0)), Qt::Uninitialized);
    char *o = out.data();
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    qint64 i = 0;
    for (; i + 4 <= body; i += 4) {
        const quint32 v = (static_cast<quint32>(kTable[p[i]]) << 18) | (static_cast<quint32>(kTable[p[i + 1]]) << 12) |
                          (static_cast<quint32>(kTable[p[i + 2]]) << 6) | static_cast<quint32>(kTable[p[i + 3]]);
        *o++ = static_cast<char>(v >> 16);
        *o++ = static_cast<char>((v >> 8) & 0xFF);
        *o++ = static_cast<char>(v & 0xFF);
    }
    if (pad > 0) {
        const quint32 v = (static_cast<quint32>(kTable[p[i]]) << 18) | (static_cast<quint32>(kTable[p[i + 1]]) << 12) |
                          (pad == 1 ? static_cast<quint32>(kTable[p[i + 2]]) << 6 : 0u);
        *o++ = static_cast<char>(v >> 16);
        if (pad == 1)
            *o++ = static_cast<char>((v >> 8) & 0xFF);
    }
    return out;
}

} // namespace hp::intake
