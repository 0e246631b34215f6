#include "itemmodels/csv.h"

namespace hp::csv {

QString field(const QString &value)
{
    QString v = value;
    if (!v.isEmpty()) {
        const QChar first = v.front();
        if (first == u'=' || first == u'+' || first == u'-' || first == u'@')
            v.prepend(u'\'');
    }
    const bool quote = v.contains(u',') || v.contains(u'"') || v.contains(u'\r') ||
                       v.contains(u'\n');
    if (!quote)
        return v;
    v.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + v + u'"';
}

QString record(const QStringList &fields)
{
    QString out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += u',';
        out += field(fields.at(i));
    }
    return out + QStringLiteral("\r\n");
}

std::vector<QStringList> parse(QStringView text)
{
    std::vector<QStringList> records;
    QStringList current;
    QString value;
    bool quoted = false;
    bool any = false; // the current record has begun
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text[i + 1] == u'"') {
                value += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                value += c;
            }
            continue;
        }
        any = true;
        if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            current << value;
            value.clear();
        } else if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n')
                ++i;
            current << value;
            value.clear();
            records.push_back(current);
            current.clear();
            any = false;
        } else {
            value += c;
        }
    }
    if (any || !value.isEmpty()) {
        current << value;
        records.push_back(current);
    }
    return records;
}

} // namespace hp::csv
