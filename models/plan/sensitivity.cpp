#include "plan/sensitivity.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace hp {

namespace {

QString hex4(char16_t c)
{
    return QStringLiteral("\\u%1").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0'));
}

// How a JSON writer may have spelled `s` inside a string literal. `html`
// adds Go's escapes of <, > and & (Terraform's JSON has them); `ascii` escapes
// everything beyond ASCII (Python's default).
QString jsonEscaped(QStringView s, bool html, bool ascii)
{
    QString out;
    out.reserve(s.size() + 8);
    for (QChar ch : s) {
        const char16_t c = ch.unicode();
        switch (c) {
        case u'"': out += QStringLiteral("\\\""); continue;
        case u'\\': out += QStringLiteral("\\\\"); continue;
        case u'\n': out += QStringLiteral("\\n"); continue;
        case u'\r': out += QStringLiteral("\\r"); continue;
        case u'\t': out += QStringLiteral("\\t"); continue;
        case u'\b': out += QStringLiteral("\\b"); continue;
        case u'\f': out += QStringLiteral("\\f"); continue;
        default: break;
        }
        const bool htmlChar = c == u'<' || c == u'>' || c == u'&' || c == 0x2028 || c == 0x2029;
        if (c < 0x20 || (html && htmlChar) || (ascii && c > 0x7E))
            out += hex4(c);
        else
            out += ch;
    }
    return out;
}

} // namespace

struct Redactor::Data
{
    QStringList secrets;            // as given, deduplicated
    QSet<QString> exact;            // secrets and their escaped spellings
    qsizetype longestExact = 0;
    std::vector<QString> patterns;  // substrings to mask, longest first
    // Bit c is set when some pattern starts with UTF-16 unit c: one test per
    // character of the text before any comparison. Patterns are then
    // bucketed by their first two units (every pattern has at least
    // kMinSubstring), so secrets sharing a first letter cost little.
    std::array<quint64, 1024> firstUnits{};
    QHash<quint32, std::vector<int>> byPrefix; // pattern indexes, longest first

    static quint32 prefixKey(char16_t a, char16_t b) { return (quint32(a) << 16) | b; }

    bool startsPattern(char16_t c) const { return (firstUnits[c >> 6] >> (c & 63)) & 1U; }
    void build();
};

void Redactor::Data::build()
{
    QSet<QString> substrings;
    for (const QString &s : std::as_const(secrets)) {
        const QString spellings[] = {s, jsonEscaped(s, false, false), jsonEscaped(s, true, false),
                                     jsonEscaped(s, true, true)};
        for (const QString &v : spellings) {
            exact.insert(v);
            longestExact = std::max(longestExact, v.size());
            if (v.size() >= kMinSubstring)
                substrings.insert(v);
        }
    }
    patterns.assign(substrings.cbegin(), substrings.cend());
    std::sort(patterns.begin(), patterns.end(), [](const QString &a, const QString &b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    for (int i = 0; i < static_cast<int>(patterns.size()); ++i) {
        const QString &p = patterns[static_cast<size_t>(i)];
        const char16_t c = p[0].unicode();
        firstUnits[c >> 6] |= quint64(1) << (c & 63);
        byPrefix[prefixKey(c, p[1].unicode())].push_back(i);
    }
}

Redactor::Redactor() = default;

Redactor::Redactor(std::shared_ptr<const Data> data) : d(std::move(data)) {}

Redactor Redactor::fromSecrets(const QStringList &secrets)
{
    auto data = std::make_shared<Data>();
    QSet<QString> seen;
    for (const QString &s : secrets) {
        if (!s.isEmpty() && !seen.contains(s)) {
            seen.insert(s);
            data->secrets.append(s);
        }
    }
    if (data->secrets.isEmpty())
        return Redactor();
    data->secrets.sort();
    data->build();
    return Redactor(std::move(data));
}

bool Redactor::isEmpty() const
{
    return !d;
}

int Redactor::secretCount() const
{
    return d ? static_cast<int>(d->secrets.size()) : 0;
}

bool Redactor::isSecret(QStringView value) const
{
    return d && value.size() <= d->longestExact && d->exact.contains(value.toString());
}

bool Redactor::containsSecret(QStringView text) const
{
    return redact(text) != text;
}

QString Redactor::redact(QStringView text) const
{
    if (!d)
        return text.toString();
    if (isSecret(text))
        return mask();
    QString out;
    qsizetype copied = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i + 1 < n; ++i) {
        const char16_t c = text[i].unicode();
        if (!d->startsPattern(c))
            continue;
        const auto bucket = d->byPrefix.constFind(Data::prefixKey(c, text[i + 1].unicode()));
        if (bucket == d->byPrefix.cend())
            continue;
        for (int idx : *bucket) {
            const QString &p = d->patterns[static_cast<size_t>(idx)];
            if (n - i < p.size() || text.sliced(i, p.size()) != p)
                continue;
            out += text.sliced(copied, i - copied);
            out += mask();
            i += p.size() - 1;
            copied = i + 1;
            break;
        }
    }
    if (copied == 0)
        return text.toString();
    out += text.sliced(copied);
    return out;
}

QString Redactor::redact(const QString &text) const
{
    if (!d)
        return text;
    QString out = redact(QStringView(text));
    return out == text ? text : out;
}

QByteArray Redactor::redactUtf8(QByteArrayView text) const
{
    if (!d)
        return text.toByteArray();
    return redact(QString::fromUtf8(text)).toUtf8();
}

QStringList Redactor::redact(const QStringList &texts) const
{
    if (!d)
        return texts;
    QStringList out;
    out.reserve(texts.size());
    for (const QString &t : texts)
        out.append(redact(t));
    return out;
}

Redactor Redactor::merged(const Redactor &other) const
{
    if (!other.d)
        return *this;
    if (!d)
        return other;
    return fromSecrets(d->secrets + other.d->secrets);
}

} // namespace hp
