#include "intake/contenthash.h"

#include "domain/canonicaljson.h"
#include "domain/sha256.h"

#include <QJsonObject>

#include <algorithm>
#include <array>
#include <cstdint>

namespace hp {

namespace {

void putU32be(Sha256 &h, quint32 v)
{
    const std::array<char, 4> b{static_cast<char>((v >> 24) & 0xFF), static_cast<char>((v >> 16) & 0xFF),
                                static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
    h.update(QByteArrayView(b.data(), 4));
}

void putU64be(Sha256 &h, quint64 v)
{
    std::array<char, 8> b{};
    for (int i = 0; i < 8; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<char>((v >> (56 - 8 * i)) & 0xFF);
    h.update(QByteArrayView(b.data(), 8));
}

void putField(Sha256 &h, const QByteArray &bytes)
{
    putU32be(h, static_cast<quint32>(bytes.size()));
    h.update(bytes);
}

// The sort key of §3.1: (kind name, name) compared as UTF-8 bytes, so the hash
// does not depend on the order the submitter listed the artifacts in.
struct Keyed
{
    QByteArray kind;
    QByteArray name;
    const Artifact *artifact = nullptr;
};

} // namespace

QByteArray metaRecord(const RevisionMeta &meta)
{
    QJsonObject o;
    o.insert(QStringLiteral("environment"), meta.environment);
    o.insert(QStringLiteral("kind"), toString(meta.kind));
    o.insert(QStringLiteral("target"), meta.target);
    return canonicalJson(o);
}

QByteArray contentHash(const RevisionMeta &meta, const std::vector<Artifact> &artifacts)
{
    std::vector<Keyed> keyed;
    keyed.reserve(artifacts.size());
    for (const Artifact &a : artifacts)
        keyed.push_back(Keyed{toString(a.kind).toUtf8(), a.name.toUtf8(), &a});
    // QByteArray's operator< is a byte-wise (memcmp) comparison.
    std::sort(keyed.begin(), keyed.end(), [](const Keyed &x, const Keyed &y) {
        if (x.kind != y.kind)
            return x.kind < y.kind;
        return x.name < y.name;
    });

    Sha256 h;
    h.update(QByteArrayView("HPB1\0", 5));
    putField(h, metaRecord(meta));
    for (const Keyed &k : keyed) {
        putField(h, k.kind);
        putField(h, k.name);
        putU32be(h, static_cast<quint32>(k.artifact->parts.size()));
        for (const QByteArray &part : k.artifact->parts) {
            putU64be(h, static_cast<quint64>(part.size()));
            h.update(part);
        }
    }
    return h.finish();
}

void hashArtifacts(std::vector<Artifact> &artifacts)
{
    Sha256 h;
    for (Artifact &a : artifacts) {
        h.update(a.parts.empty() ? QByteArray() : a.parts.back());
        a.sha256 = h.finish();
    }
}

} // namespace hp
