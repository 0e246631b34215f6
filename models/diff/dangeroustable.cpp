#include "diff/dangeroustable.h"

#include "domain/log.h"

#include <QFile>

#include <algorithm>

namespace hp::diff {

namespace {

constexpr char32_t MaxCodePoint = 0x10FFFF;

bool parseCodePoint(QByteArrayView text, char32_t *out)
{
    if (!text.startsWith("U+") || text.size() < 6 || text.size() > 8)
        return false;
    bool ok = false;
    const uint value = text.sliced(2).toUInt(&ok, 16);
    if (!ok || value > MaxCodePoint)
        return false;
    *out = static_cast<char32_t>(value);
    return true;
}

std::optional<DangerCategory> parseCategory(QByteArrayView text)
{
    for (const DangerCategory c : {DangerCategory::Bidi, DangerCategory::Invisible, DangerCategory::Separator,
                                   DangerCategory::Control}) {
        if (text == categoryName(c).toLatin1())
            return c;
    }
    return std::nullopt;
}

Error tableError(int line, const QString &what)
{
    return makeError(ExitCode::Internal, QStringLiteral("bad_character_table"),
                     QStringLiteral("character table line %1: %2").arg(line).arg(what),
                     QStringLiteral("charsets/dangerous.txt:%1").arg(line));
}

// Used only when the resource cannot be read: flags every control character
// and everything beyond ASCII, so a broken build errs on the loud side.
DangerousTable strictFallback()
{
    const QByteArray text = "U+0000..U+0008\tcontrol\tcontrol character\n"
                            "U+000B..U+001F\tcontrol\tcontrol character\n"
                            "U+007F..U+10FFFF\tinvisible\tcharacter not checked (character table missing)\n";
    return *DangerousTable::parse(text);
}

} // namespace

QString categoryName(DangerCategory category)
{
    switch (category) {
    case DangerCategory::Bidi: return QStringLiteral("bidi");
    case DangerCategory::Invisible: return QStringLiteral("invisible");
    case DangerCategory::Separator: return QStringLiteral("separator");
    case DangerCategory::Control: return QStringLiteral("control");
    case DangerCategory::InvalidUtf8: return QStringLiteral("invalid-utf8");
    }
    return {};
}

Result<DangerousTable> DangerousTable::parse(QByteArrayView text)
{
    DangerousTable table;
    int lineNo = 0;
    for (qsizetype pos = 0; pos < text.size();) {
        qsizetype end = text.indexOf('\n', pos);
        if (end < 0)
            end = text.size();
        QByteArrayView line = text.sliced(pos, end - pos);
        pos = end + 1;
        ++lineNo;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype tab1 = line.indexOf('\t');
        const qsizetype tab2 = tab1 < 0 ? -1 : line.indexOf('\t', tab1 + 1);
        if (tab2 < 0)
            return tableError(lineNo, QStringLiteral("expected FIRST[..LAST] TAB category TAB label"));
        const QByteArrayView range = line.first(tab1);
        const qsizetype dots = range.indexOf("..");
        Entry e;
        if (!parseCodePoint(dots < 0 ? range : range.first(dots), &e.first)
            || !parseCodePoint(dots < 0 ? range : range.sliced(dots + 2), &e.last) || e.last < e.first)
            return tableError(lineNo, QStringLiteral("expected a code point U+XXXX or a range U+XXXX..U+YYYY"));
        const auto category = parseCategory(line.sliced(tab1 + 1, tab2 - tab1 - 1).trimmed());
        if (!category)
            return tableError(lineNo, QStringLiteral("expected a category: bidi, invisible, separator or control"));
        e.category = *category;
        e.label = QString::fromUtf8(line.sliced(tab2 + 1).trimmed());
        if (e.label.isEmpty())
            return tableError(lineNo, QStringLiteral("expected a label after the category"));
        table.m_entries.push_back(std::move(e));
    }
    auto &entries = table.m_entries;
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.first < b.first; });
    for (size_t i = 1; i < entries.size(); ++i) {
        if (entries[i].first <= entries[i - 1].last)
            return tableError(0, QStringLiteral("the entries for U+%1 and U+%2 overlap")
                                     .arg(static_cast<uint>(entries[i - 1].first), 4, 16, QLatin1Char('0'))
                                     .arg(static_cast<uint>(entries[i].first), 4, 16, QLatin1Char('0')));
    }
    return table;
}

const DangerousTable &DangerousTable::builtin()
{
    static const DangerousTable table = [] {
        QFile file(QStringLiteral(":/holdpoint/charsets/dangerous.txt"));
        if (!file.open(QIODevice::ReadOnly)) {
            log::core()->critical("dangerous character table :/holdpoint/charsets/dangerous.txt is missing; "
                                  "flagging every non-ASCII character instead");
            return strictFallback();
        }
        Result<DangerousTable> parsed = parse(file.readAll());
        if (!parsed) {
            log::core()->critical("dangerous character table: {}; flagging every non-ASCII character instead",
                                  parsed.error().message.toStdString());
            return strictFallback();
        }
        return std::move(*parsed);
    }();
    return table;
}

const DangerousTable::Entry *DangerousTable::find(char32_t codePoint) const
{
    auto it = std::upper_bound(m_entries.begin(), m_entries.end(), codePoint,
                               [](char32_t cp, const Entry &e) { return cp < e.first; });
    if (it == m_entries.begin())
        return nullptr;
    --it;
    return codePoint <= it->last ? &*it : nullptr;
}

} // namespace hp::diff
