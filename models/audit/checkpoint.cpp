#include "audit/checkpoint.h"

#include "audit/auditrecord.h"
#include "domain/canonicaljson.h"
#include "domain/sha256.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <memory>

namespace hp::checkpoint {

namespace {

constexpr auto kSchema = "holdpoint.checkpoint/1";

struct PkeyFree { void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); } };
struct BioFree { void operator()(BIO *b) const { BIO_free(b); } };
struct CtxFree { void operator()(EVP_PKEY_CTX *c) const { EVP_PKEY_CTX_free(c); } };
struct MdFree { void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); } };
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Error keyError(const QString &path, const QString &what)
{
    return makeError(ExitCode::Usage, QStringLiteral("bad_key"), QStringLiteral("%1: %2").arg(path, what));
}

QByteArray pem(EVP_PKEY *key, bool isPrivate)
{
    std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
    const int ok = isPrivate ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                             : PEM_write_bio_PUBKEY(bio.get(), key);
    if (ok != 1)
        return {};
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, static_cast<qsizetype>(size));
}

// Creates `path` exclusively with `mode` (umask cannot widen or narrow it).
Status writeExclusive(const QString &path, const QByteArray &bytes, mode_t mode)
{
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return makeError(ExitCode::Usage, QStringLiteral("exists"),
                         QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
    bool ok = ::fchmod(fd, mode) == 0;
    qsizetype done = 0;
    while (ok && done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, static_cast<size_t>(bytes.size() - done));
        ok = n > 0;
        done += n > 0 ? n : 0;
    }
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    if (!ok) {
        ::unlink(native.constData());
        return makeError(ExitCode::Internal, QStringLiteral("write_failed"), QStringLiteral("cannot write %1").arg(path));
    }
    return {};
}

Result<Pkey> readKey(const QString &path, bool isPrivate)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return keyError(path, QStringLiteral("cannot read: ") + file.errorString());
    if (isPrivate && (file.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)))
        return keyError(path, QStringLiteral("the private key is readable by others; chmod 600 it"));
    const QByteArray bytes = file.read(64 * 1024);
    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(bytes.constData(), static_cast<int>(bytes.size())));
    Pkey key(isPrivate ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                       : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        return keyError(path, isPrivate ? QStringLiteral("not a PEM private key") : QStringLiteral("not a PEM public key"));
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return keyError(path, QStringLiteral("not an Ed25519 key"));
    return key;
}

QByteArray keyIdOf(EVP_PKEY *key)
{
    unsigned char raw[32];
    size_t size = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1)
        return {};
    return Sha256::digest(QByteArrayView(reinterpret_cast<const char *>(raw), static_cast<qsizetype>(size))).toHex();
}

QJsonObject signedPart(const Checkpoint &c)
{
    return QJsonObject{{QStringLiteral("schema"), QLatin1String(kSchema)},
                       {QStringLiteral("store_id"), c.storeId},
                       {QStringLiteral("seq"), c.seq},
                       {QStringLiteral("head_hash"), QString::fromLatin1(c.headHash.toHex())},
                       {QStringLiteral("time"), auditTime(c.time)},
                       {QStringLiteral("key_id"), QString::fromLatin1(c.keyId)}};
}

} // namespace

Status generateKeyPair(const QString &path)
{
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
    EVP_PKEY *raw = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1)
        return makeError(ExitCode::Internal, QStringLiteral("keygen_failed"), QStringLiteral("Ed25519 key generation failed"));
    Pkey key(raw);
    const QString pubPath = path + QStringLiteral(".pub");
    if (QFile::exists(pubPath))
        return makeError(ExitCode::Usage, QStringLiteral("exists"), QStringLiteral("%1 already exists").arg(pubPath));
    if (Status s = writeExclusive(path, pem(key.get(), true), 0600); !s)
        return s;
    if (Status s = writeExclusive(pubPath, pem(key.get(), false), 0644); !s) {
        QFile::remove(path);
        return s;
    }
    return {};
}

Result<QByteArray> privateKeyId(const QString &keyPath)
{
    Result<Pkey> key = readKey(keyPath, true);
    if (!key)
        return key.error();
    return keyIdOf(key->get());
}

Result<Checkpoint> sign(const QString &keyPath, const QString &storeId, const AuditEntry &head, const QDateTime &time)
{
    Result<Pkey> key = readKey(keyPath, true);
    if (!key)
        return key.error();
    Checkpoint c;
    c.storeId = storeId;
    c.seq = head.seq;
    c.headHash = head.hash;
    c.time = time;
    c.keyId = keyIdOf(key->get());
    const QByteArray message = canonicalJson(signedPart(c));
    std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
    unsigned char sig[64];
    size_t size = sizeof sig;
    if (!md || EVP_DigestSignInit(md.get(), nullptr, nullptr, nullptr, key->get()) != 1
        || EVP_DigestSign(md.get(), sig, &size, reinterpret_cast<const unsigned char *>(message.constData()),
                          static_cast<size_t>(message.size())) != 1)
        return makeError(ExitCode::Internal, QStringLiteral("sign_failed"), QStringLiteral("signing the checkpoint failed"));
    c.signature = QByteArray(reinterpret_cast<const char *>(sig), static_cast<qsizetype>(size));
    return c;
}

QByteArray toJson(const Checkpoint &c)
{
    QJsonObject o = signedPart(c);
    o.insert(QStringLiteral("signature"), QString::fromLatin1(c.signature.toBase64()));
    return canonicalJson(o) + '\n';
}

Result<Checkpoint> parse(const QByteArray &json, const QString &source)
{
    const auto bad = [&](const QString &what) {
        return makeError(ExitCode::Usage, QStringLiteral("bad_checkpoint"), QStringLiteral("%1: %2").arg(source, what));
    };
    if (json.size() > 64 * 1024)
        return bad(QStringLiteral("too large for a checkpoint"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad(QStringLiteral("not a JSON object"));
    const QJsonObject o = doc.object();
    const QStringList keys{QStringLiteral("schema"), QStringLiteral("store_id"), QStringLiteral("seq"),
                           QStringLiteral("head_hash"), QStringLiteral("time"), QStringLiteral("key_id"),
                           QStringLiteral("signature")};
    for (const QString &k : o.keys())
        if (!keys.contains(k))
            return bad(QStringLiteral("unknown key %1").arg(k));
    if (o.value(QStringLiteral("schema")).toString() != QLatin1String(kSchema))
        return bad(QStringLiteral("schema is not %1").arg(QLatin1String(kSchema)));
    for (const QString &k : keys) // QJsonDocument keeps the last of duplicate keys silently
        if (json.count(QByteArray("\"") + k.toLatin1() + "\"") != 1)
            return bad(QStringLiteral("key %1 must appear exactly once").arg(k));
    Checkpoint c;
    c.storeId = o.value(QStringLiteral("store_id")).toString();
    const double seq = o.value(QStringLiteral("seq")).toDouble(-1);
    constexpr double kMaxExact = 9007199254740991.0; // 2^53 − 1: beyond it a double skips integers
    if (!(seq >= 0 && seq <= kMaxExact && std::floor(seq) == seq))
        return bad(QStringLiteral("seq is not a whole number from 0 to 2^53"));
    c.seq = static_cast<qint64>(seq);
    c.headHash = QByteArray::fromHex(o.value(QStringLiteral("head_hash")).toString().toLatin1());
    c.time = QDateTime::fromString(o.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    c.keyId = o.value(QStringLiteral("key_id")).toString().toLatin1();
    c.signature = QByteArray::fromBase64(o.value(QStringLiteral("signature")).toString().toLatin1());
    if (c.storeId.isEmpty() || c.headHash.size() != 32
        || !c.time.isValid() || c.keyId.size() != 64 || c.signature.size() != 64)
        return bad(QStringLiteral("a field is missing or malformed"));
    return c;
}

Status verifySignature(const Checkpoint &c, const QString &publicKeyPath)
{
    Result<Pkey> key = readKey(publicKeyPath, false);
    if (!key)
        return key.error();
    const auto fail = [&](const QString &what) {
        return makeError(ExitCode::StoreProblem, QStringLiteral("bad_signature"), what);
    };
    if (keyIdOf(key->get()) != c.keyId)
        return fail(QStringLiteral("the checkpoint was signed with key %1, not with %2").arg(QString::fromLatin1(c.keyId), publicKeyPath));
    const QByteArray message = canonicalJson(signedPart(c));
    std::unique_ptr<EVP_MD_CTX, MdFree> md(EVP_MD_CTX_new());
    if (!md || EVP_DigestVerifyInit(md.get(), nullptr, nullptr, nullptr, key->get()) != 1
        || EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char *>(c.signature.constData()),
                            static_cast<size_t>(c.signature.size()),
                            reinterpret_cast<const unsigned char *>(message.constData()),
                            static_cast<size_t>(message.size())) != 1)
        return fail(QStringLiteral("the checkpoint's signature does not verify: it was altered or forged"));
    return {};
}

std::vector<AuditProblem> compare(const Checkpoint &c, qint64 chainLength, const std::optional<AuditEntry> &entryAtSeq)
{
    std::vector<AuditProblem> out;
    if (c.seq == 0)
        return out;
    if (chainLength < c.seq) {
        out.push_back({chainLength + 1, AuditProblemClass::Truncated,
                       QStringLiteral("the chain ends at seq %1, but the checkpoint of %2 covers seq %3: entries were "
                                      "removed or the store was rolled back")
                           .arg(chainLength).arg(auditTime(c.time)).arg(c.seq)});
    } else if (!entryAtSeq || entryAtSeq->hash != c.headHash) {
        out.push_back({c.seq, AuditProblemClass::Modified,
                       QStringLiteral("the hash at seq %1 differs from the checkpoint of %2: the chain up to it was "
                                      "rewritten")
                           .arg(c.seq).arg(auditTime(c.time))});
    }
    return out;
}

} // namespace hp::checkpoint
