#include "audit/auditrecord.h"

#include "domain/canonicaljson.h"
#include "domain/sha256.h"

#include <QJsonArray>
#include <QTimeZone>

namespace hp {

QString auditTime(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + u'Z';
}

QByteArray canonicalEntry(const AuditRecord &r, qint64 seq)
{
    QJsonObject o;
    o.insert(u"seq", seq);
    o.insert(u"time", auditTime(r.time));
    o.insert(u"principal", r.principal);
    o.insert(u"principal_kind", toString(r.principalKind));
    o.insert(u"roles", QJsonArray::fromStringList(r.roles.names()));
    o.insert(u"host", r.host);
    o.insert(u"app_version", r.appVersion);
    o.insert(u"action", r.action);
    o.insert(u"change", r.changeId);
    o.insert(u"revision", r.revision);
    o.insert(u"content_hash", QString::fromLatin1(r.contentHash.toHex()));
    o.insert(u"policy_hash", QString::fromLatin1(r.policyHash.toHex()));
    o.insert(u"outcome", r.denied ? QStringLiteral("denied") : QStringLiteral("ok"));
    o.insert(u"reason_code", r.reasonCode);
    o.insert(u"reason", r.reason);
    o.insert(u"status_before", r.statusBefore ? toString(*r.statusBefore) : QString());
    o.insert(u"status_after", r.statusAfter ? toString(*r.statusAfter) : QString());
    o.insert(u"payload", r.payload);
    return canonicalJson(o);
}

QByteArray chainHash(Sha256 &hasher, const QByteArray &prevHash, const QByteArray &entry)
{
    hasher.reset();
    hasher.update(prevHash);
    hasher.update(entry);
    return hasher.finish();
}

QByteArray genesisHash()
{
    return QByteArray(32, '\0');
}

qint64 findEntrySeq(const QByteArray &entry)
{
    // Keys are sorted, so the top-level "seq" follows "payload" and "roles";
    // only plain strings come after it. Inside strings a quote is always
    // escaped, so the last unescaped `"seq":` is the top-level key.
    static const QByteArray key = QByteArrayLiteral("\"seq\":");
    const qsizetype at = entry.lastIndexOf(key);
    if (at < 0)
        return -1;
    qsizetype i = at + key.size();
    qint64 value = 0;
    int digits = 0;
    while (i < entry.size() && entry.at(i) >= '0' && entry.at(i) <= '9' && digits < 16) {
        value = value * 10 + (entry.at(i) - '0');
        ++i;
        ++digits;
    }
    if (digits == 0 || (i < entry.size() && entry.at(i) != ',' && entry.at(i) != '}'))
        return -1;
    return value;
}

} // namespace hp
