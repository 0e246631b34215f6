#pragma once

#include "diff/diffdocument.h"

#include <QString>

#include <vector>

// Find in diff: every occurrence of a text (case-insensitive, in the text as
// shown: tabs expanded, dangerous characters escaped) in the lines of a
// document, folded lines included, in reading order.
namespace hp {

struct FindSpot
{
    DangerSpot where; // the row and side
    int column = 0;   // display column of the match
};

class DiffFinder
{
public:
    static constexpr int kMaxMatches = 100000;
    static std::vector<FindSpot> find(const DiffDocument &doc, const QString &query,
                                      int limit = kMaxMatches);
};

} // namespace hp
