#pragma once

#include "domain/types.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

// One audit entry before it is chained (DESIGN §7). canonicalEntry() gives
// the exact bytes stored in audit_log.entry and hashed into the chain:
// RFC 8785 JSON with integers only and these keys, every one always present:
//   seq, time ("YYYY-MM-DDTHH:MM:SS.mmmZ", UTC), principal, principal_kind,
//   roles (names), host, app_version, action, change, revision,
//   content_hash (hex or ""), policy_hash (hex or ""), outcome ("ok" or
//   "denied"), reason_code, reason, status_before, status_after ("" when
//   none), payload (object).
// Payloads never use the key "seq" (findEntrySeq relies on the top-level one
// being the last "seq" key in the bytes).
namespace hp {

class Sha256;

struct AuditRecord
{
    QDateTime time;
    QString principal;
    PrincipalKind principalKind = PrincipalKind::Human;
    RoleSet roles;
    QString host;
    QString appVersion;
    QString action;
    QString changeId;
    int revision = 0;
    QByteArray contentHash; // raw; empty when none
    QByteArray policyHash;  // raw; empty when none
    bool denied = false;
    QString reasonCode;
    QString reason;
    std::optional<ChangeStatus> statusBefore;
    std::optional<ChangeStatus> statusAfter;
    QJsonObject payload;
};

QString auditTime(const QDateTime &time); // "YYYY-MM-DDTHH:MM:SS.mmmZ"
QByteArray canonicalEntry(const AuditRecord &record, qint64 seq);
// SHA-256(prevHash ‖ entry) with the caller's reused context.
QByteArray chainHash(Sha256 &hasher, const QByteArray &prevHash, const QByteArray &entry);
// The genesis prev_hash: 32 zero bytes.
QByteArray genesisHash();
// The top-level "seq" of canonical entry bytes without a full parse; -1 when
// there is none or it is not a non-negative integer.
qint64 findEntrySeq(const QByteArray &entry);

} // namespace hp
