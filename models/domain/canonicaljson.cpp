#include "domain/canonicaljson.h"

#include <QJsonArray>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

namespace hp {

namespace {

void writeString(QByteArray &out, const QString &s)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const QByteArray utf8 = s.toUtf8();
    for (char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void writeValue(QByteArray &out, const QJsonValue &v);

void writeObject(QByteArray &out, const QJsonObject &o)
{
    // RFC 8785 §3.2.3: keys sorted by their UTF-16 code units, which is
    // exactly QString's operator<.
    QStringList keys = o.keys();
    std::sort(keys.begin(), keys.end(), [](const QString &a, const QString &b) {
        return QString::compare(a, b, Qt::CaseSensitive) < 0;
    });
    out += '{';
    bool first = true;
    for (const QString &k : keys) {
        if (!first)
            out += ',';
        first = false;
        writeString(out, k);
        out += ':';
        writeValue(out, o.value(k));
    }
    out += '}';
}

void writeValue(QByteArray &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double: {
        const double d = v.toDouble();
        constexpr double kMaxSafe = 9007199254740992.0; // 2^53
        if (std::trunc(d) != d || std::fabs(d) > kMaxSafe) {
            spdlog::get("core") ? spdlog::get("core")->error("canonicalJson: non-integer number {}", d)
                                : spdlog::error("canonicalJson: non-integer number {}", d);
            out += '0';
        } else {
            out += QByteArray::number(static_cast<qint64>(d));
        }
        break;
    }
    case QJsonValue::String:
        writeString(out, v.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i)
                out += ',';
            writeValue(out, a.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object:
        writeObject(out, v.toObject());
        break;
    }
}

} // namespace

QByteArray canonicalJson(const QJsonValue &value)
{
    QByteArray out;
    writeValue(out, value);
    return out;
}

QByteArray canonicalJson(const QJsonObject &object)
{
    QByteArray out;
    writeObject(out, object);
    return out;
}

} // namespace hp
