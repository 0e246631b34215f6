#pragma once

#include "diff/diffdata.h"

#include <QByteArrayView>

#include <vector>

namespace hp::diff {

// Changed byte ranges inside a pair of lines, relative to each line's start:
// sorted, disjoint, adjacent changes merged.
struct IntraLineDiff
{
    std::vector<ByteSpan> left;
    std::vector<ByteSpan> right;
};

// Intra-line differences at token level: each line is cut into words
// (identifiers; bytes >= 0x80 count as word bytes, so UTF-8 is never split),
// numbers, runs of blanks and single punctuation bytes; the two token
// sequences are compared with Myers' O(ND) algorithm, so separate edits in
// one line ("cpu: 100m, memory: 128Mi" -> "cpu: 200m, memory: 256Mi") are
// separate ranges instead of one span from the first to the last change.
// Changes separated only by blanks are merged (a reader sees one edit).
class IntraLine
{
public:
    enum class TokenKind : quint8 { Word, Number, Blank, Punct };
    struct Token
    {
        qsizetype offset = 0;
        qsizetype length = 0;
        quint32 hash = 0;
        TokenKind kind = TokenKind::Punct;
    };

    // Beyond this edit distance (in tokens) the middle of the lines, after
    // their common first and last tokens, is marked changed as a whole.
    static constexpr int MaxEditDistance = 400;

    static void tokenize(QByteArrayView line, std::vector<Token> &out);
    static IntraLineDiff diff(QByteArrayView left, QByteArrayView right);
};

} // namespace hp::diff
