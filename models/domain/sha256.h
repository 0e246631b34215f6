#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

// SHA-256 through OpenSSL's EVP interface with a context reused across
// digests (DESIGN §7: not QCryptographicHash, not the deprecated SHA256_*).
namespace hp {

class Sha256
{
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void reset();
    void update(QByteArrayView data);
    QByteArray finish(); // raw 32 bytes; resets for the next digest

    static QByteArray digest(QByteArrayView data); // one-shot, thread-local context

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace hp
