#include "diff/difffinder.h"

#include "diff/displayline.h"

namespace hp {

namespace {

struct Search
{
    const QString &query;
    QByteArray asciiQuery; // empty unless the query is ASCII without tabs
    std::vector<FindSpot> &out;
    int limit;

    bool full() const { return static_cast<int>(out.size()) >= limit; }

    // An ASCII query can only match where the bytes hold it (escapes aside,
    // which an ASCII query of "<U+" would find: those lines are checked in full).
    bool worthReading(QByteArrayView bytes) const
    {
        if (asciiQuery.isEmpty() || asciiQuery.contains('<') || asciiQuery.contains('>'))
            return true;
        return QLatin1StringView(bytes.data(), bytes.size())
            .contains(QLatin1StringView(asciiQuery), Qt::CaseInsensitive);
    }

    void cell(const diff::SideBySide &s, const diff::Cell &c, DangerSpot where)
    {
        if (c.kind == diff::CellKind::Padding || full())
            return;
        const QByteArrayView bytes = where.right ? s.rightText(c) : s.leftText(c);
        if (!worthReading(bytes))
            return;
        const QString text = DisplayLine::of(bytes).text;
        for (qsizetype at = text.indexOf(query, 0, Qt::CaseInsensitive); at >= 0 && !full();
             at = text.indexOf(query, at + 1, Qt::CaseInsensitive))
            out.push_back({where, static_cast<int>(at)});
    }

    void row(const diff::SideBySide &s, const diff::Row &r, int file, int index, bool inHidden)
    {
        if (r.kind == diff::RowKind::Fold || r.kind == diff::RowKind::Binary)
            return;
        // An unchanged line is one line: found once, on the new side.
        if (r.left.kind != diff::CellKind::Context)
            cell(s, r.left, {file, index, inHidden, false});
        cell(s, r.right, {file, index, inHidden, true});
    }
};

bool isPlainAscii(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x80 || c == QLatin1Char('\t'))
            return false;
    }
    return true;
}

} // namespace

std::vector<FindSpot> DiffFinder::find(const DiffDocument &doc, const QString &query, int limit)
{
    std::vector<FindSpot> out;
    if (query.isEmpty())
        return out;
    Search search{query, isPlainAscii(query) ? query.toLatin1() : QByteArray(), out, limit};
    for (int f = 0; f < static_cast<int>(doc.files.size()) && !search.full(); ++f) {
        const diff::SideBySide &s = doc.files[static_cast<size_t>(f)].rows;
        for (int r = 0; r < static_cast<int>(s.rows.size()); ++r) {
            const diff::Row &row = s.rows[static_cast<size_t>(r)];
            search.row(s, row, f, r, false);
            if (row.kind == diff::RowKind::Fold && row.hiddenFirst >= 0) {
                for (int h = row.hiddenFirst; h < row.hiddenFirst + row.foldLines; ++h)
                    search.row(s, s.hidden[static_cast<size_t>(h)], f, h, true);
            }
        }
    }
    return out;
}

} // namespace hp
