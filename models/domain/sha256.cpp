#include "domain/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace hp {

struct Sha256::Impl
{
    EVP_MD_CTX *ctx = nullptr;
    EVP_MD *md = nullptr; // fetched once: implicit fetch per digest costs measurably
};

Sha256::Sha256() : d(std::make_unique<Impl>())
{
    d->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    d->ctx = EVP_MD_CTX_new();
    if (!d->md || !d->ctx)
        std::abort(); // no SHA-256 means no audit trail: nothing sane to continue with
    reset();
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(d->ctx);
    EVP_MD_free(d->md);
}

void Sha256::reset()
{
    EVP_DigestInit_ex2(d->ctx, d->md, nullptr);
}

void Sha256::update(QByteArrayView data)
{
    if (!data.isEmpty())
        EVP_DigestUpdate(d->ctx, data.data(), static_cast<size_t>(data.size()));
}

QByteArray Sha256::finish()
{
    QByteArray out(32, Qt::Uninitialized);
    unsigned int len = 0;
    EVP_DigestFinal_ex(d->ctx, reinterpret_cast<unsigned char *>(out.data()), &len);
    reset();
    return out;
}

QByteArray Sha256::digest(QByteArrayView data)
{
    thread_local Sha256 hasher;
    hasher.update(data);
    return hasher.finish();
}

} // namespace hp
