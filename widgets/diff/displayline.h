#pragma once

#include "diff/diffdata.h"

#include <QByteArrayView>
#include <QString>

#include <climits>
#include <span>
#include <vector>

// One line's bytes as a diff pane shows them: UTF-8 decoded, tabs expanded
// to the next multiple of 8 columns, every dangerous character replaced by
// its visible escape ("<U+202E>", "<0xFF>"), and the intra-line ranges and
// escapes in display columns. Display only: the bytes are never changed.
namespace hp {

struct ColumnSpan
{
    int start = 0;
    int length = 0;
};

struct DisplayLine
{
    QString text;
    std::vector<ColumnSpan> changed; // intra-line ranges
    std::vector<ColumnSpan> escapes; // dangerous characters

    // `ranges` are byte ranges relative to `bytes`. Stops once the text
    // reaches `maxColumns` (a pane needs only what it can show).
    static DisplayLine of(QByteArrayView bytes, std::span<const diff::ByteSpan> ranges = {},
                          int maxColumns = INT_MAX);
    static constexpr int kTabWidth = 8;
};

} // namespace hp
