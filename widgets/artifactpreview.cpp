#include "artifactpreview.h"

#include <QLocale>
#include <QStringDecoder>

namespace hp {

namespace {

// Indentation stops growing past this depth, so hostile nesting cannot blow
// the text up quadratically.
constexpr int kMaxIndent = 40;

// A short hex dump (offset, 16 bytes, ASCII) of the start of binary content,
// so a reviewer can at least recognise a format.
QString hexDump(const QByteArray &bytes, qsizetype maxBytes)
{
    QString out;
    const qsizetype n = std::min(bytes.size(), maxBytes);
    for (qsizetype offset = 0; offset < n; offset += 16) {
        QString hex;
        QString ascii;
        for (qsizetype i = offset; i < offset + 16; ++i) {
            if (i < n) {
                const auto byte = static_cast<unsigned char>(bytes[i]);
                hex += QStringLiteral("%1 ").arg(byte, 2, 16, QLatin1Char('0'));
                ascii += (byte >= 0x20 && byte < 0x7f) ? QLatin1Char(static_cast<char>(byte))
                                                       : QLatin1Char('.');
            } else {
                hex += QStringLiteral("   ");
            }
        }
        out += QStringLiteral("%1  %2 %3\n").arg(offset, 8, 16, QLatin1Char('0')).arg(hex, ascii);
    }
    return out;
}

} // namespace

QString ArtifactPreview::sizeText(qint64 bytes)
{
    const QLocale locale(QLocale::English);
    const QString exact = bytes == 1 ? QStringLiteral("1 byte")
                                     : QStringLiteral("%1 bytes").arg(locale.toString(bytes));
    if (bytes < 1024 * 1024)
        return exact;
    return QStringLiteral("%1 MiB (%2)")
        .arg(static_cast<double>(bytes) / (1024.0 * 1024.0), 0, 'f', 1)
        .arg(exact);
}

QString ArtifactPreview::indentJson(QStringView json, qsizetype maxChars)
{
    QString out;
    out.reserve(json.size() + json.size() / 4);
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    auto newline = [&out, &depth] {
        out += QLatin1Char('\n');
        out += QString(2 * std::min(depth, kMaxIndent), QLatin1Char(' '));
    };
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json[i];
        if (out.size() > maxChars)
            return {};
        if (inString) {
            out += c;
            if (escaped)
                escaped = false;
            else if (c == QLatin1Char('\\'))
                escaped = true;
            else if (c == QLatin1Char('"'))
                inString = false;
            continue;
        }
        switch (c.unicode()) {
        case u'"':
            inString = true;
            out += c;
            break;
        case u'{':
        case u'[': {
            out += c;
            ++depth;
            qsizetype next = i + 1;
            while (next < json.size() && json[next].isSpace())
                ++next;
            if (next < json.size() &&
                (json[next] == QLatin1Char('}') || json[next] == QLatin1Char(']'))) {
                out += json[next]; // an empty object or array stays on its line
                --depth;
                i = next;
            } else {
                newline();
            }
            break;
        }
        case u'}':
        case u']':
            if (--depth < 0)
                return {};
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += QStringLiteral(": ");
            break;
        case u' ':
        case u'\t':
        case u'\n':
        case u'\r':
            break;
        default:
            out += c;
        }
    }
    if (depth != 0 || inString)
        return {};
    return out + QLatin1Char('\n');
}

void ArtifactPreview::indentPlan()
{
    if (binary || truncated || text.size() < 200)
        return;
    const qsizetype firstLine = text.indexOf(QLatin1Char('\n'));
    if (firstLine >= 0 && firstLine < 1000)
        return; // already laid out in lines
    const QString indented = indentJson(text, 4 * text.size() + (1 << 20));
    if (indented.isEmpty())
        return;
    text = indented;
    const QString why = QStringLiteral(
        "JSON re-indented for reading (white space only; the stored bytes are unchanged)");
    note = note.isEmpty() ? why : note + QStringLiteral("; ") + why;
}

ArtifactPreview ArtifactPreview::of(const QByteArray &bytes, const QByteArray &sha256, qint64 limit)
{
    ArtifactPreview p;
    // Text formats never hold NUL; look at the start like git does.
    if (bytes.left(8000).contains('\0')) {
        p.binary = true;
        p.note = QStringLiteral("binary, %1").arg(sizeText(bytes.size()));
        if (!sha256.isEmpty())
            p.note += QStringLiteral(", sha256 %1").arg(QString::fromLatin1(sha256.toHex()));
        p.text = QStringLiteral("Binary content, not shown as text. First %1 as hex:\n\n")
                     .arg(sizeText(std::min<qint64>(bytes.size(), 256))) +
                 hexDump(bytes, 256);
        return p;
    }
    QByteArray shown = bytes;
    if (bytes.size() > limit) {
        p.truncated = true;
        shown = bytes.left(limit);
        const qsizetype lastNewline = shown.lastIndexOf('\n');
        if (lastNewline > 0)
            shown.truncate(lastNewline + 1);
    }
    QStringDecoder decoder(QStringDecoder::Utf8);
    p.text = decoder.decode(shown);
    QStringList notes;
    if (p.truncated)
        notes << QStringLiteral("showing the first %1 of %2")
                     .arg(sizeText(shown.size()), sizeText(bytes.size()));
    if (decoder.hasError())
        notes << QStringLiteral("not valid UTF-8: invalid bytes are shown as \uFFFD");
    p.note = notes.join(QStringLiteral("; "));
    return p;
}

} // namespace hp
