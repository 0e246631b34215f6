#include "diff/displayline.h"

#include "diff/dangeroustext.h"

namespace hp {

namespace {

// Length of the UTF-8 sequence a valid lead byte starts.
int sequenceLength(uchar lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    return 2;
}

} // namespace

DisplayLine DisplayLine::of(QByteArrayView bytes, std::span<const diff::ByteSpan> ranges, int maxColumns)
{
    DisplayLine out;
    const std::vector<diff::DangerousChar> found = diff::DangerousText::scan(bytes);
    // Column of every byte, only when ranges need mapping.
    std::vector<int> columnAt;
    if (!ranges.empty())
        columnAt.assign(static_cast<size_t>(bytes.size()) + 1, -1);
    size_t next = 0;
    qsizetype i = 0;
    while (i < bytes.size() && out.text.size() < maxColumns) {
        const int column = static_cast<int>(out.text.size());
        int length = 1;
        if (next < found.size() && found[next].offset == i) {
            const QString escape = diff::DangerousText::escapeOf(found[next]);
            out.escapes.push_back({column, static_cast<int>(escape.size())});
            out.text += escape;
            length = found[next].length;
            ++next;
        } else {
            const auto c = static_cast<uchar>(bytes[i]);
            if (c == '\t') {
                out.text += QString(kTabWidth - column % kTabWidth, QLatin1Char(' '));
            } else if (c < 0x80) {
                out.text += QLatin1Char(static_cast<char>(c));
            } else {
                // Valid UTF-8: every invalid byte is a finding.
                length = static_cast<int>(std::min<qsizetype>(sequenceLength(c), bytes.size() - i));
                out.text += QString::fromUtf8(bytes.sliced(i, length));
            }
        }
        if (!columnAt.empty()) {
            for (int k = 0; k < length; ++k)
                columnAt[static_cast<size_t>(i + k)] = column;
        }
        i += length;
    }
    if (columnAt.empty())
        return out;
    const int end = static_cast<int>(out.text.size());
    for (qsizetype k = i; k <= bytes.size(); ++k)
        columnAt[static_cast<size_t>(k)] = end;
    for (const diff::ByteSpan &r : ranges) {
        if (r.offset < 0 || r.end() > bytes.size() || r.length <= 0)
            continue;
        const int start = columnAt[static_cast<size_t>(r.offset)];
        const int stop = columnAt[static_cast<size_t>(r.end())];
        if (stop > start)
            out.changed.push_back({start, stop - start});
    }
    return out;
}

} // namespace hp
