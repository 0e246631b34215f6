#include "diff/patchnames.h"

#include <algorithm>
#include <array>

namespace hp::diff::patchnames {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

QByteArrayView trimmedRight(QByteArrayView s)
{
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.chop(1);
    return s;
}

// Reads exactly `n` digits at s[*pos]; returns -1 when they are not there.
int digits(QByteArrayView s, qsizetype *pos, int n)
{
    int value = 0;
    for (int i = 0; i < n; ++i) {
        if (*pos >= s.size() || !isDigit(s[*pos]))
            return -1;
        value = value * 10 + (s[*pos] - '0');
        ++*pos;
    }
    return value;
}

bool expect(QByteArrayView s, qsizetype *pos, char c)
{
    if (*pos >= s.size() || s[*pos] != c)
        return false;
    ++*pos;
    return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), to tell an epoch stamp written in any zone.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

struct IsoStamp
{
    bool valid = false;
    qint64 seconds = 0; // since the epoch, zone applied
    bool fractionZero = true;
};

// "YYYY-MM-DD hh:mm[:ss[.frac]][ +zzzz]" covering all of s.
IsoStamp parseIsoStamp(QByteArrayView s)
{
    IsoStamp out;
    qsizetype p = 0;
    const int y = digits(s, &p, 4);
    if (y < 0 || !expect(s, &p, '-'))
        return out;
    const int mo = digits(s, &p, 2);
    if (mo < 1 || mo > 12 || !expect(s, &p, '-'))
        return out;
    const int d = digits(s, &p, 2);
    if (d < 1 || d > 31 || (!expect(s, &p, ' ') && !expect(s, &p, 'T')))
        return out;
    const int h = digits(s, &p, 2);
    if (h < 0 || !expect(s, &p, ':'))
        return out;
    const int mi = digits(s, &p, 2);
    int sec = 0;
    if (mi < 0)
        return out;
    if (expect(s, &p, ':') && (sec = digits(s, &p, 2)) < 0)
        return out;
    if (expect(s, &p, '.')) {
        const qsizetype start = p;
        for (; p < s.size() && isDigit(s[p]); ++p)
            out.fractionZero = out.fractionZero && s[p] == '0';
        if (p == start)
            return out;
    }
    int zone = 0;
    if (p < s.size() && s[p] == ' ')
        ++p;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
        const int sign = s[p++] == '-' ? -1 : 1;
        const int hhmm = digits(s, &p, 4);
        if (hhmm < 0)
            return out;
        zone = sign * ((hhmm / 100) * 3600 + (hhmm % 100) * 60);
    }
    if (p != s.size())
        return out;
    out.valid = true;
    out.seconds = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400
                  + h * 3600 + mi * 60 + sec - zone;
    return out;
}

// "Www Mmm dd hh:mm:ss yyyy" (ctime, day padded with a space), all of s.
bool isCtimeStamp(QByteArrayView s, bool *epoch)
{
    qsizetype p = 0;
    for (int i = 0; i < 3; ++i, ++p)
        if (p >= s.size() || !isAlpha(s[p]))
            return false;
    if (!expect(s, &p, ' '))
        return false;
    const qsizetype month = p;
    for (int i = 0; i < 3; ++i, ++p)
        if (p >= s.size() || !isAlpha(s[p]))
            return false;
    if (!expect(s, &p, ' '))
        return false;
    expect(s, &p, ' ');
    const qsizetype day = p;
    if (digits(s, &p, 1) < 0)
        return false;
    if (p < s.size() && isDigit(s[p]))
        ++p;
    if (!expect(s, &p, ' '))
        return false;
    const qsizetype time = p;
    if (digits(s, &p, 2) < 0 || !expect(s, &p, ':') || digits(s, &p, 2) < 0 || !expect(s, &p, ':')
        || digits(s, &p, 2) < 0 || !expect(s, &p, ' ') || digits(s, &p, 4) < 0 || p != s.size())
        return false;
    *epoch = s.sliced(month, 3) == "Jan" && s.sliced(day, time - day) == "1 "
             && s.sliced(time) == "00:00:00 1970";
    return true;
}

bool isTimestamp(QByteArrayView s, bool *epoch)
{
    s = trimmedRight(s);
    const IsoStamp iso = parseIsoStamp(s);
    if (iso.valid) {
        *epoch = iso.seconds == 0 && iso.fractionZero;
        return true;
    }
    return isCtimeStamp(s, epoch);
}

void finishName(HeaderName *out)
{
    out->devNull = out->name == "/dev/null";
}

} // namespace

std::optional<QByteArray> unquote(QByteArrayView quoted, qsizetype *consumed)
{
    if (quoted.isEmpty() || quoted[0] != '"')
        return std::nullopt;
    QByteArray out;
    out.reserve(quoted.size());
    for (qsizetype i = 1; i < quoted.size(); ++i) {
        const char c = quoted[i];
        if (c == '"') {
            *consumed = i + 1;
            return out;
        }
        if (c != '\\') {
            out.append(c);
            continue;
        }
        if (++i >= quoted.size())
            return std::nullopt;
        const char e = quoted[i];
        static constexpr std::array<std::pair<char, char>, 9> simple{{{'a', '\a'}, {'b', '\b'},
            {'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'}, {'v', '\v'}, {'\\', '\\'}, {'"', '"'}}};
        bool done = false;
        for (const auto &[code, byte] : simple) {
            if (e == code) {
                out.append(byte);
                done = true;
            }
        }
        if (done)
            continue;
        if (e < '0' || e > '3' || i + 2 >= quoted.size())
            return std::nullopt;
        const char o2 = quoted[i + 1];
        const char o3 = quoted[i + 2];
        if (o2 < '0' || o2 > '7' || o3 < '0' || o3 > '7')
            return std::nullopt;
        out.append(static_cast<char>(((e - '0') << 6) | ((o2 - '0') << 3) | (o3 - '0')));
        i += 2;
    }
    return std::nullopt;
}

bool needsQuoting(QByteArrayView name)
{
    for (const char c : name) {
        const auto b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7f || c == '"' || c == '\\')
            return true;
    }
    return false;
}

QByteArray quote(QByteArrayView name)
{
    if (!needsQuoting(name))
        return name.toByteArray();
    QByteArray out;
    out.reserve(name.size() * 2 + 2);
    out.append('"');
    for (const char c : name) {
        const auto b = static_cast<unsigned char>(c);
        switch (c) {
        case '\a': out.append("\\a"); break;
        case '\b': out.append("\\b"); break;
        case '\f': out.append("\\f"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        case '\v': out.append("\\v"); break;
        case '\\': out.append("\\\\"); break;
        case '"': out.append("\\\""); break;
        default:
            if (b < 0x20 || b >= 0x7f) {
                out.append('\\');
                out.append(static_cast<char>('0' + (b >> 6)));
                out.append(static_cast<char>('0' + ((b >> 3) & 7)));
                out.append(static_cast<char>('0' + (b & 7)));
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
    return out;
}

QByteArrayView stripFirstComponent(QByteArrayView name)
{
    const qsizetype slash = name.indexOf('/');
    return slash < 0 ? name : name.sliced(slash + 1);
}

HeaderName parseHeaderName(QByteArrayView rest)
{
    HeaderName out;
    rest = trimmedRight(rest);
    if (!rest.isEmpty() && rest[0] == '"') {
        qsizetype used = 0;
        const auto name = unquote(rest, &used);
        out.valid = name.has_value();
        out.name = name.value_or(QByteArray());
        out.stamp = trimmedRight(rest.sliced(used)).trimmed();
    } else if (const qsizetype tab = rest.indexOf('\t'); tab >= 0) {
        out.name = rest.first(tab).toByteArray();
        out.stamp = rest.sliced(tab + 1).trimmed();
    } else {
        // kubectl on some systems separates name and stamp with spaces: take
        // the earliest split after which the rest reads as a timestamp.
        out.name = rest.toByteArray();
        bool epoch = false;
        for (qsizetype i = 1; i < rest.size(); ++i) {
            if (rest[i - 1] == ' ' && rest[i] != ' ' && isTimestamp(rest.sliced(i), &epoch)) {
                out.name = trimmedRight(rest.first(i)).toByteArray();
                out.stamp = rest.sliced(i);
                break;
            }
        }
    }
    bool epoch = false;
    out.epoch = !out.stamp.isEmpty() && isTimestamp(out.stamp, &epoch) && epoch;
    finishName(&out);
    return out;
}

HeaderName parseGitHeaderName(QByteArrayView rest)
{
    HeaderName out;
    rest = trimmedRight(rest);
    if (!rest.isEmpty() && rest[0] == '"') {
        qsizetype used = 0;
        const auto name = unquote(rest, &used);
        out.valid = name.has_value();
        out.name = name.value_or(QByteArray());
    } else {
        const qsizetype tab = rest.indexOf('\t');
        out.name = (tab < 0 ? rest : rest.first(tab)).toByteArray();
    }
    finishName(&out);
    return out;
}

bool isEpochTimestamp(QByteArrayView stamp)
{
    bool epoch = false;
    return isTimestamp(stamp, &epoch) && epoch;
}

GitNames parseGitDiffLine(QByteArrayView rest)
{
    rest = trimmedRight(rest);
    GitNames out;
    auto strip = [](QByteArrayView n) { return stripFirstComponent(n).toByteArray(); };
    if (!rest.isEmpty() && rest[0] == '"') {
        qsizetype used = 0;
        const auto first = unquote(rest, &used);
        if (!first || used >= rest.size() || rest[used] != ' ')
            return out;
        const HeaderName second = parseGitHeaderName(rest.sliced(used + 1));
        if (!second.valid)
            return out;
        return {strip(*first), strip(second.name)};
    }
    if (const qsizetype q = rest.indexOf(" \""); q >= 0) {
        const HeaderName second = parseGitHeaderName(rest.sliced(q + 1));
        if (second.valid)
            return {strip(rest.first(q)), strip(second.name)};
        return out;
    }
    // Unquoted names may hold spaces: both halves must name the same file.
    for (qsizetype i = rest.indexOf(' '); i >= 0; i = rest.indexOf(' ', i + 1)) {
        const QByteArrayView a = rest.first(i);
        const QByteArrayView b = rest.sliced(i + 1);
        if (a.contains('/') && b.contains('/') && stripFirstComponent(a) == stripFirstComponent(b)
            && !stripFirstComponent(a).isEmpty())
            return {strip(a), strip(b)};
    }
    return out;
}

namespace {

// v1, v2beta1, v1alpha2: Kubernetes API version names.
bool isKubeVersion(QByteArrayView t)
{
    if (t.size() < 2 || t[0] != 'v' || !isDigit(t[1]))
        return false;
    qsizetype p = 1;
    while (p < t.size() && isDigit(t[p]))
        ++p;
    if (p == t.size())
        return true;
    const QByteArrayView tail = t.sliced(p);
    for (const QByteArrayView stage : {QByteArrayView("alpha"), QByteArrayView("beta")}) {
        if (tail.startsWith(stage) && tail.size() > stage.size()) {
            const QByteArrayView n = tail.sliced(stage.size());
            return std::all_of(n.begin(), n.end(), isDigit);
        }
    }
    return false;
}

QString joinTokens(const std::vector<QByteArrayView> &tokens, size_t from, size_t to)
{
    QByteArray out;
    for (size_t i = from; i < to; ++i) {
        if (i > from)
            out.append('.');
        out.append(tokens[i]);
    }
    return QString::fromUtf8(out);
}

} // namespace

std::optional<KubeObject> kubeObjectFromPath(QByteArrayView path)
{
    const qsizetype slash = path.lastIndexOf('/');
    if (slash <= 0)
        return std::nullopt;
    const QByteArrayView file = path.sliced(slash + 1);
    const QByteArrayView dir = path.first(slash);
    const QByteArrayView parent = dir.sliced(dir.lastIndexOf('/') + 1);
    if (!parent.startsWith("LIVE-") && !parent.startsWith("MERGED-"))
        return std::nullopt;

    std::vector<QByteArrayView> tokens;
    for (qsizetype start = 0;;) {
        const qsizetype dot = file.indexOf('.', start);
        tokens.push_back(file.sliced(start, (dot < 0 ? file.size() : dot) - start));
        if (dot < 0)
            break;
        start = dot + 1;
    }
    const auto version = std::find_if(tokens.begin(), tokens.end(), isKubeVersion);
    const auto v = static_cast<size_t>(version - tokens.begin());
    // Kind, namespace (may be empty) and a name of at least one token follow.
    if (version == tokens.end() || v + 3 >= tokens.size() || tokens[v + 1].isEmpty())
        return std::nullopt;
    for (size_t i = 0; i < v; ++i)
        if (tokens[i].isEmpty())
            return std::nullopt;
    KubeObject out;
    out.group = joinTokens(tokens, 0, v);
    out.version = QString::fromUtf8(tokens[v]);
    out.kind = QString::fromUtf8(tokens[v + 1]);
    out.ns = QString::fromUtf8(tokens[v + 2]);
    out.name = joinTokens(tokens, v + 3, tokens.size());
    if (out.name.isEmpty())
        return std::nullopt;
    return out;
}

} // namespace hp::diff::patchnames
