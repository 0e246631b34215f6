#include "cli/output.h"

#include "diff/dangeroustext.h"

#include <QJsonDocument>
#include <QTimeZone>

namespace hp::cli {

namespace {

void write(std::FILE *f, const QByteArray &b)
{
    if (!b.isEmpty())
        std::fwrite(b.constData(), 1, static_cast<size_t>(b.size()), f);
    std::fflush(f);
}

} // namespace

void Output::text(const QString &s)
{
    write(m_out, s.toUtf8());
}

void Output::bytes(const QByteArray &b)
{
    write(m_out, b);
}

void Output::note(const QString &s)
{
    write(m_err, s.toUtf8() + '\n');
}

void Output::json(const QJsonObject &object)
{
    write(m_out, QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
}

int Output::error(const Error &e, bool asJson)
{
    if (asJson) {
        const QJsonObject inner{{QStringLiteral("code"), e.reason},
                                {QStringLiteral("message"), e.message},
                                {QStringLiteral("path"), e.path}};
        write(m_err, QJsonDocument(QJsonObject{{QStringLiteral("error"), inner}})
                             .toJson(QJsonDocument::Compact) +
                         '\n');
    } else {
        QString line = QStringLiteral("holdpointctl: ") + oneLine(e.message);
        if (!e.path.isEmpty() && !e.message.contains(e.path))
            line += QStringLiteral(" (at %1)").arg(oneLine(e.path));
        write(m_err, line.toUtf8() + '\n');
    }
    return static_cast<int>(e.code);
}

QString hex(const QByteArray &raw)
{
    return QString::fromLatin1(raw.toHex());
}

QString isoTime(const QDateTime &t)
{
    if (!t.isValid())
        return {};
    return t.toTimeZone(QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QString oneLine(const QString &untrusted)
{
    // The §9 table leaves TAB, LF and the CR of CRLF alone; on one line they
    // would break the layout, so they are escaped too.
    QString out = diff::DangerousText::escapedString(untrusted);
    out.replace(QLatin1Char('\t'), QStringLiteral("<U+0009>"));
    out.replace(QLatin1Char('\n'), QStringLiteral("<U+000A>"));
    out.replace(QLatin1Char('\r'), QStringLiteral("<U+000D>"));
    return out;
}

QString block(const QString &untrusted)
{
    return diff::DangerousText::escapedString(untrusted);
}

} // namespace hp::cli
