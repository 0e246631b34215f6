#include "diff/intraline.h"

#include <algorithm>
#include <cstring>

namespace hp::diff {

namespace {

using Token = IntraLine::Token;
using TokenKind = IntraLine::TokenKind;

bool isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80 || (c >= '0' && c <= '9');
}
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isBlank(unsigned char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

struct Sequence
{
    QByteArrayView text;
    std::vector<Token> tokens;
};

// Buffers reused across calls on one thread: a 200,000-line change pairs
// tens of thousands of lines, and allocating per pair would dominate.
struct Scratch
{
    Sequence a;
    Sequence b;
    std::vector<char> changedA;
    std::vector<char> changedB;
    std::vector<int> frontier;
    std::vector<int> trace;
    std::vector<size_t> start;
};

bool same(const Sequence &a, int i, const Sequence &b, int j)
{
    const Token &x = a.tokens[static_cast<size_t>(i)];
    const Token &y = b.tokens[static_cast<size_t>(j)];
    return x.hash == y.hash && x.length == y.length
           && std::memcmp(a.text.data() + x.offset, b.text.data() + y.offset, static_cast<size_t>(x.length)) == 0;
}

// Myers' greedy forward search over tokens [lo, hiA) x [lo, hiB) (the
// common head and tail already removed), then a walk back through the saved
// frontiers marking the tokens not on the path as changed. Returns false
// when the edit distance exceeds `maxD`.
class Myers
{
public:
    explicit Myers(Scratch &s)
        : m_a(s.a), m_b(s.b), m_changedA(s.changedA), m_changedB(s.changedB), m_v(s.frontier), m_trace(s.trace),
          m_start(s.start)
    {
    }

    bool run(int lo, int hiA, int hiB, int maxD)
    {
        m_lo = lo;
        const int n = hiA - lo;
        const int m = hiB - lo;
        const int limit = std::min(n + m, maxD);
        // Frontier of step d is stored for diagonals -d..d at m_start[d].
        m_trace.clear();
        m_start.clear();
        std::vector<int> &v = m_v;
        v.assign(static_cast<size_t>(2 * limit + 3), 0);
        const int off = limit + 1;
        for (int d = 0; d <= limit; ++d) {
            for (int k = -d; k <= d; k += 2) {
                int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                                  : v[off + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && same(m_a, lo + x, m_b, lo + y)) {
                    ++x;
                    ++y;
                }
                v[off + k] = x;
                if (x >= n && y >= m) {
                    save(v, off, d);
                    backtrack(n, m, d);
                    return true;
                }
            }
            save(v, off, d);
        }
        return false;
    }

private:
    void save(const std::vector<int> &v, int off, int d)
    {
        m_start.push_back(m_trace.size());
        m_trace.insert(m_trace.end(), v.begin() + off - d, v.begin() + off + d + 1);
    }
    int frontier(int d, int k) const { return m_trace[m_start[static_cast<size_t>(d)] + static_cast<size_t>(k + d)]; }

    void backtrack(int x, int y, int d)
    {
        for (; d > 0; --d) {
            const int k = x - y;
            const bool down = k == -d || (k != d && frontier(d - 1, k - 1) < frontier(d - 1, k + 1));
            const int prevK = down ? k + 1 : k - 1;
            const int prevX = frontier(d - 1, prevK);
            const int prevY = prevX - prevK;
            if (down)
                m_changedB[static_cast<size_t>(m_lo + prevY)] = 1;
            else
                m_changedA[static_cast<size_t>(m_lo + prevX)] = 1;
            x = prevX;
            y = prevY;
        }
    }

    const Sequence &m_a;
    const Sequence &m_b;
    std::vector<char> &m_changedA;
    std::vector<char> &m_changedB;
    std::vector<int> &m_v;
    std::vector<int> &m_trace;
    std::vector<size_t> &m_start;
    int m_lo = 0;
};

// Changed tokens to byte ranges; changes separated only by blanks merge.
std::vector<ByteSpan> toRanges(const Sequence &s, const std::vector<char> &changed)
{
    std::vector<ByteSpan> out;
    const auto count = static_cast<int>(s.tokens.size());
    int lastChanged = -1;
    for (int i = 0; i < count; ++i) {
        if (!changed[static_cast<size_t>(i)])
            continue;
        const Token &t = s.tokens[static_cast<size_t>(i)];
        bool onlyBlanksBetween = lastChanged >= 0;
        for (int j = lastChanged + 1; onlyBlanksBetween && j < i; ++j)
            onlyBlanksBetween = s.tokens[static_cast<size_t>(j)].kind == TokenKind::Blank;
        if (onlyBlanksBetween)
            out.back().length = t.offset + t.length - out.back().offset;
        else
            out.push_back({t.offset, t.length});
        lastChanged = i;
    }
    return out;
}

} // namespace

void IntraLine::tokenize(QByteArrayView line, std::vector<Token> &out)
{
    out.clear();
    const auto *p = reinterpret_cast<const unsigned char *>(line.data());
    const qsizetype n = line.size();
    for (qsizetype i = 0; i < n;) {
        const qsizetype start = i;
        TokenKind kind = TokenKind::Punct;
        if (isDigit(p[i])) {
            kind = TokenKind::Number;
            while (i < n && isDigit(p[i]))
                ++i;
        } else if (isWordByte(p[i])) {
            kind = TokenKind::Word;
            while (i < n && isWordByte(p[i]))
                ++i;
        } else if (isBlank(p[i])) {
            kind = TokenKind::Blank;
            while (i < n && isBlank(p[i]))
                ++i;
        } else {
            ++i;
        }
        quint32 h = 2166136261u; // FNV-1a
        for (qsizetype j = start; j < i; ++j)
            h = (h ^ p[j]) * 16777619u;
        out.push_back(Token{start, i - start, h, kind});
    }
}

IntraLineDiff IntraLine::diff(QByteArrayView left, QByteArrayView right)
{
    thread_local Scratch scratch;
    Sequence &a = scratch.a;
    Sequence &b = scratch.b;
    a.text = left;
    b.text = right;
    tokenize(left, a.tokens);
    tokenize(right, b.tokens);
    const auto n = static_cast<int>(a.tokens.size());
    const auto m = static_cast<int>(b.tokens.size());
    int head = 0;
    while (head < n && head < m && same(a, head, b, head))
        ++head;
    int tail = 0;
    while (tail < n - head && tail < m - head && same(a, n - 1 - tail, b, m - 1 - tail))
        ++tail;

    std::vector<char> &changedA = scratch.changedA;
    std::vector<char> &changedB = scratch.changedB;
    changedA.assign(static_cast<size_t>(n), 0);
    changedB.assign(static_cast<size_t>(m), 0);
    Myers myers(scratch);
    if (!myers.run(head, n - tail, m - tail, MaxEditDistance)) {
        std::fill(changedA.begin() + head, changedA.end() - tail, 1);
        std::fill(changedB.begin() + head, changedB.end() - tail, 1);
    }
    return IntraLineDiff{toRanges(a, changedA), toRanges(b, changedB)};
}

} // namespace hp::diff
