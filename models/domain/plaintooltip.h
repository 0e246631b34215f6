#pragma once

#include <QString>

// Qt shows a tooltip as rich text when it merely looks like HTML, so text an
// agent sent (titles, addresses, attribute values) would be interpreted.
// This escapes it and keeps its line breaks: tooltips stay plain text.
namespace hp {

inline QString plainToolTip(const QString &text)
{
    if (text.isEmpty())
        return text;
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace hp
