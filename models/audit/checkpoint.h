#pragma once

#include "domain/result.h"
#include "storage/store.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <vector>

// Signed checkpoints of the audit chain (DESIGN §7). A checkpoint states
// {store, seq, head hash, time}, signed with an Ed25519 key (OpenSSL) the
// auditor keeps outside the store. Whoever can write the store can rewrite
// the whole chain consistently, or cut its tail; only a statement signed
// elsewhere, earlier, can show that. Files:
//   K      private key, PKCS#8 PEM, created with O_EXCL and mode 0600
//   K.pub  public key, SubjectPublicKeyInfo PEM
//   F      RFC 8785 JSON {schema, store_id, seq, head_hash, time, key_id,
//          signature}; the signature covers the canonical JSON of the same
//          object without "signature".
namespace hp {

struct Checkpoint
{
    QString storeId;
    qint64 seq = 0;
    QByteArray headHash; // raw 32 bytes (32 zero bytes for an empty chain)
    QDateTime time;
    QByteArray keyId;     // hex SHA-256 of the raw public key
    QByteArray signature; // raw 64 bytes
};

namespace checkpoint {

// Writes `path` (0600, refused when it exists) and `path`.pub (0644, likewise).
Status generateKeyPair(const QString &path);
// The key id of the private (or public) key file, checking the key is
// Ed25519 and the private key file is not readable by others.
Result<QByteArray> privateKeyId(const QString &keyPath);
// Signs {storeId, head.seq, head.hash, time} with the key.
Result<Checkpoint> sign(const QString &keyPath, const QString &storeId, const AuditEntry &head,
                        const QDateTime &time);
QByteArray toJson(const Checkpoint &checkpoint);
// Strict: every key present with its type, nothing else.
Result<Checkpoint> parse(const QByteArray &json, const QString &source);
// Checks the signature against the public key file, and that the key ids match.
Status verifySignature(const Checkpoint &checkpoint, const QString &publicKeyPath);
// Problems of the chain (`entries` from seq 1, in order) against a verified
// checkpoint: truncated/rolled back (fewer entries than the checkpoint's seq)
// or rewritten (another hash at that seq).
std::vector<AuditProblem> compare(const Checkpoint &checkpoint, qint64 chainLength,
                                  const std::optional<AuditEntry> &entryAtSeq);

} // namespace checkpoint

} // namespace hp
