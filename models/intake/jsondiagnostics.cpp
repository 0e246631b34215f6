#include "intake/jsondiagnostics.h"

#include "domain/utf8.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace hp::jsondiag {

namespace {

QString byteText(unsigned char c)
{
    if (c >= 0x21 && c < 0x7F)
        return QStringLiteral("'%1'").arg(QLatin1Char(static_cast<char>(c)));
    return QStringLiteral("byte 0x%1").arg(c, 2, 16, QLatin1Char('0'));
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// An RFC 8259 recogniser with an explicit container stack.
class Scanner
{
public:
    Scanner(QByteArrayView bytes, int maxDepth) : m_p(bytes.data()), m_n(bytes.size()), m_maxDepth(maxDepth) {}

    std::optional<Problem> run();

private:
    enum class State { Value, ValueOrClose, Key, KeyOrClose, Colon, After };

    std::optional<Problem> fail(qint64 at, QString what, QString reason = QStringLiteral("invalid_json"))
    {
        return Problem{std::move(reason), std::move(what), at};
    }
    std::optional<Problem> truncated(const char *inside)
    {
        return fail(m_n, QStringLiteral("unexpected end of input %1").arg(QLatin1String(inside)));
    }
    void skipWhitespace()
    {
        while (m_i < m_n && (m_p[m_i] == ' ' || m_p[m_i] == '\t' || m_p[m_i] == '\n' || m_p[m_i] == '\r'))
            ++m_i;
    }
    unsigned char at(qint64 i) const { return static_cast<unsigned char>(m_p[i]); }

    std::optional<Problem> value(State &state);
    std::optional<Problem> after(State &state);
    std::optional<Problem> string();
    std::optional<Problem> escape();
    std::optional<Problem> number();
    std::optional<Problem> literal();
    int readHex4(qint64 i) const;

    const char *m_p;
    qint64 m_n;
    int m_maxDepth;
    qint64 m_i = 0;
    std::vector<char> m_stack;
};

std::optional<Problem> Scanner::run()
{
    if (m_n >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF)
        return fail(0, QStringLiteral("a byte order mark is not allowed before JSON"));
    State state = State::Value;
    for (;;) {
        skipWhitespace();
        if (m_i == m_n) {
            if (state == State::After && m_stack.empty())
                return std::nullopt;
            if (m_n == 0 || (state == State::Value && m_stack.empty()))
                return fail(m_n, QStringLiteral("the input is empty"));
            return truncated(m_stack.back() == '[' ? "inside an array" : "inside an object");
        }
        std::optional<Problem> problem;
        const char c = m_p[m_i];
        switch (state) {
        case State::Value:
        case State::ValueOrClose:
            problem = value(state);
            break;
        case State::Key:
        case State::KeyOrClose:
            if (state == State::KeyOrClose && c == '}') {
                m_stack.pop_back();
                ++m_i;
                state = State::After;
            } else if (c == '"') {
                problem = string();
                state = State::Colon;
            } else {
                problem = fail(m_i, QStringLiteral("expected a string key, found %1").arg(byteText(at(m_i))));
            }
            break;
        case State::Colon:
            if (c != ':')
                return fail(m_i, QStringLiteral("expected ':' after an object key, found %1").arg(byteText(at(m_i))));
            ++m_i;
            state = State::Value;
            break;
        case State::After:
            problem = after(state);
            break;
        }
        if (problem)
            return problem;
    }
}

std::optional<Problem> Scanner::value(State &state)
{
    const char c = m_p[m_i];
    if (state == State::ValueOrClose && c == ']') {
        m_stack.pop_back();
        ++m_i;
        state = State::After;
        return std::nullopt;
    }
    if (c == '[' || c == '{') {
        if (static_cast<qint64>(m_stack.size()) >= m_maxDepth)
            return fail(m_i,
                        QStringLiteral("nesting deeper than %1 arrays/objects").arg(m_maxDepth),
                        QStringLiteral("too_deep"));
        m_stack.push_back(c);
        ++m_i;
        state = c == '[' ? State::ValueOrClose : State::KeyOrClose;
        return std::nullopt;
    }
    state = State::After;
    if (c == '"')
        return string();
    if (c == '-' || (c >= '0' && c <= '9'))
        return number();
    if (c == 't' || c == 'f' || c == 'n')
        return literal();
    return fail(m_i, QStringLiteral("expected a value, found %1").arg(byteText(at(m_i))));
}

std::optional<Problem> Scanner::after(State &state)
{
    const char c = m_p[m_i];
    if (m_stack.empty())
        return fail(m_i, QStringLiteral("unexpected %1 after the end of the JSON value").arg(byteText(at(m_i))));
    const char open = m_stack.back();
    if (c == ',') {
        ++m_i;
        state = open == '[' ? State::Value : State::Key;
        return std::nullopt;
    }
    if ((open == '[' && c == ']') || (open == '{' && c == '}')) {
        m_stack.pop_back();
        ++m_i;
        return std::nullopt;
    }
    return fail(m_i,
                QStringLiteral("expected ',' or '%1', found %2")
                    .arg(QString(QLatin1Char(open == '[' ? ']' : '}')), byteText(at(m_i))));
}

int Scanner::readHex4(qint64 i) const
{
    if (i + 4 > m_n)
        return -2;
    int v = 0;
    for (qint64 k = i; k < i + 4; ++k) {
        const int h = hexValue(m_p[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

std::optional<Problem> Scanner::string()
{
    ++m_i;
    while (m_i < m_n) {
        const unsigned char c = at(m_i);
        if (c == '"') {
            ++m_i;
            return std::nullopt;
        }
        if (c == '\\') {
            if (auto p = escape())
                return p;
            continue;
        }
        if (c < 0x20)
            return fail(m_i, QStringLiteral("unescaped control character %1 in a string").arg(byteText(c)));
        ++m_i;
    }
    return truncated("inside a string");
}

// At m_p[m_i] == '\\'; leaves m_i after the escape (and its pair).
std::optional<Problem> Scanner::escape()
{
    const qint64 e = m_i;
    if (e + 1 >= m_n)
        return truncated("inside a string");
    const char c = m_p[e + 1];
    if (c != '\0' && std::strchr("\"\\/bfnrt", c)) {
        m_i = e + 2;
        return std::nullopt;
    }
    if (c != 'u')
        return fail(e, QStringLiteral("invalid escape \\%1 in a string").arg(byteText(at(e + 1))));
    const int cp = readHex4(e + 2);
    if (cp == -2)
        return truncated("inside a \\u escape");
    if (cp < 0)
        return fail(e, QStringLiteral("\\u must be followed by four hexadecimal digits"));
    m_i = e + 6;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(e,
                    QStringLiteral("lone low surrogate \\u%1 (not preceded by a high surrogate)")
                        .arg(cp, 4, 16, QLatin1Char('0')),
                    QStringLiteral("lone_surrogate"));
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        const bool escapeFollows = m_i + 1 < m_n && m_p[m_i] == '\\' && m_p[m_i + 1] == 'u';
        const int low = escapeFollows ? readHex4(m_i + 2) : -1;
        if (low < 0xDC00 || low > 0xDFFF)
            return fail(e,
                        QStringLiteral("lone high surrogate \\u%1 (not followed by a low surrogate)")
                            .arg(cp, 4, 16, QLatin1Char('0')),
                        QStringLiteral("lone_surrogate"));
        m_i += 6;
    }
    return std::nullopt;
}

std::optional<Problem> Scanner::number()
{
    const qint64 start = m_i;
    auto digits = [&]() {
        const qint64 from = m_i;
        while (m_i < m_n && m_p[m_i] >= '0' && m_p[m_i] <= '9')
            ++m_i;
        return m_i - from;
    };
    auto expectDigits = [&](const char *after) -> std::optional<Problem> {
        if (m_i == m_n)
            return truncated("inside a number");
        if (digits() == 0)
            return fail(m_i, QStringLiteral("expected a digit %1, found %2").arg(QLatin1String(after), byteText(at(m_i))));
        return std::nullopt;
    };
    if (m_p[m_i] == '-')
        ++m_i;
    if (m_i < m_n && m_p[m_i] == '0') {
        ++m_i;
    } else if (auto p = expectDigits("in a number")) {
        return p;
    }
    bool integral = true;
    if (m_i < m_n && m_p[m_i] == '.') {
        ++m_i;
        integral = false;
        if (auto p = expectDigits("after the decimal point"))
            return p;
    }
    if (m_i < m_n && (m_p[m_i] == 'e' || m_p[m_i] == 'E')) {
        ++m_i;
        integral = false;
        if (m_i < m_n && (m_p[m_i] == '+' || m_p[m_i] == '-'))
            ++m_i;
        if (auto p = expectDigits("in the exponent"))
            return p;
    }
    // simdjson refuses integers beyond int64/uint64 and numbers that
    // overflow a double; say so here too.
    const std::string text(m_p + start, static_cast<size_t>(m_i - start));
    bool inRange = true;
    if (integral) {
        qint64 s = 0;
        quint64 u = 0;
        const char *b = text.data();
        const char *end = b + text.size();
        inRange = std::from_chars(b, end, s).ec == std::errc() || std::from_chars(b, end, u).ec == std::errc();
    } else {
        inRange = std::isfinite(std::strtod(text.c_str(), nullptr));
    }
    if (!inRange)
        return fail(start, QStringLiteral("number %1 is out of range").arg(QString::fromLatin1(text.substr(0, 40))));
    return std::nullopt;
}

std::optional<Problem> Scanner::literal()
{
    static constexpr std::string_view kWords[] = {"true", "false", "null"};
    for (std::string_view w : kWords) {
        if (w.front() != m_p[m_i])
            continue;
        for (size_t k = 0; k < w.size(); ++k) {
            const qint64 i = m_i + static_cast<qint64>(k);
            if (i == m_n)
                return truncated("inside a literal");
            if (m_p[i] != w[k])
                return fail(m_i, QStringLiteral("invalid literal (expected %1)").arg(QLatin1String(w)));
        }
        m_i += static_cast<qint64>(w.size());
        return std::nullopt;
    }
    return fail(m_i, QStringLiteral("expected a value, found %1").arg(byteText(at(m_i))));
}

} // namespace

std::optional<Problem> findProblem(QByteArrayView bytes, int maxDepth)
{
    return Scanner(bytes, maxDepth).run();
}

QString lineColumn(QByteArrayView bytes, qint64 offset)
{
    const qint64 end = std::min(offset, bytes.size());
    qint64 line = 1;
    qint64 lineStart = 0;
    for (qint64 i = 0; i < end; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return QStringLiteral("%1:%2").arg(line).arg(end - lineStart + 1);
}

QString describeOffset(QByteArrayView bytes, qint64 offset)
{
    const QString lc = lineColumn(bytes, offset);
    const qsizetype colon = lc.indexOf(QLatin1Char(':'));
    return QStringLiteral("line %1, column %2 (byte offset %3)").arg(lc.left(colon), lc.mid(colon + 1)).arg(offset);
}

} // namespace hp::jsondiag
