#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

// RFC 8785 (JSON Canonicalization Scheme) output for values we build ourselves
// (audit entries, the content-hash meta record). Integers only: a non-integral
// number, or one beyond ±2^53, is a programming error and is written as 0 with a
// logged soft assert. Object keys are sorted by UTF-16 code units; strings are
// escaped as ECMAScript's JSON.stringify does.
namespace hp {

QByteArray canonicalJson(const QJsonValue &value);
QByteArray canonicalJson(const QJsonObject &object);

} // namespace hp
