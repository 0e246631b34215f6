#pragma once

#include "domain/sha256.h"
#include "storage/store.h"

#include <QFuture>
#include <QHash>

#include <memory>
#include <vector>

// Verifies a hash chain of audit rows (DESIGN §7) without a store: feed the
// rows in ascending row seq, then ask for the report.
//
// Each row is first checked on its own (hash == SHA-256(prev ‖ entry), the
// entry's inner "seq" == the row's seq), then the sequence: seq continuity and
// prev == the previous row's hash. Problems are then classified by seq, each
// cause reported once rather than every broken link it causes:
//   modified   a row's entry bytes, prev or hash changed, or an entry was
//              rewritten with a fresh hash (the next row no longer links to it)
//   missing    a gap in the seqs, or rows renumbered over a removed entry
//   reordered  a self-consistent entry stored at another entry's position
//   inserted   rows the chain skips: nothing outside them links to them and
//              the next genuine row links to the row before them
// Truncation and consistent rewrites need a checkpoint (not here).
//
// addPage() checks each row of a page on its own in chunks across the global
// QThreadPool (each worker thread with its own reused Sha256 context) while
// the caller reads the next page; rows join the sequence in order when the
// next page arrives or at flush(). Links are independent, so only the
// sequence walk in finish() is serial.
namespace hp {

class AuditVerifier
{
public:
    AuditVerifier() = default;
    ~AuditVerifier();
    AuditVerifier(const AuditVerifier &) = delete;
    AuditVerifier &operator=(const AuditVerifier &) = delete;

    void add(const AuditEntry &row);
    // Rows in ascending seq, after every row given before.
    void addPage(std::vector<AuditEntry> rows);
    // Waits for the page being checked and adds it; call before count()/finish().
    void flush();
    qint64 count() const { return static_cast<qint64>(m_rows.size()); }
    // Classifies every problem, sorted by seq; headHash is the last row's hash.
    VerifyReport finish() const;

private:
    struct Row
    {
        qint64 seq = 0;
        qint64 inner = -1; // the entry's own "seq", -1 if unreadable
        QByteArray prev;
        QByteArray hash;
        bool selfOk = false;
    };
    // Pseudo row indices: the genesis (before the first row) and no row at all.
    static constexpr qint64 Genesis = -1;
    static constexpr qint64 Nowhere = -2;
    enum Flag : char
    {
        Clean,
        Flagged,
        Inserted
    };

    struct Walk; // classification state, see auditverifier.cpp
    struct Page  // rows being checked in the pool
    {
        std::vector<AuditEntry> rows;
        std::vector<char> selfOk;
        std::vector<qint64> inner;
        std::vector<size_t> starts; // first row of each chunk
    };

    void append(AuditEntry &&entry, bool selfOk, qint64 inner);

    QByteArray hashOf(qint64 index) const;
    qint64 predecessor(const Row &row) const;
    qint64 resumesAt(qint64 i, qint64 lastGood) const;
    void classify(qint64 i, Walk &walk) const;
    void classifyBrokenLink(qint64 i, Walk &walk) const;

    Sha256 m_hasher;
    std::vector<Row> m_rows;
    bool intact() const; // every row self-consistent, numbered and linked in order
    void buildIndexes() const;

    // Built by finish() only when the chain is not intact: a clean chain of
    // a million rows never pays for them.
    mutable QHash<QByteArray, qint64> m_byHash;              // hash → first row index
    mutable QHash<QByteArray, std::vector<qint64>> m_byPrev; // prev → row indices, ascending
    std::shared_ptr<Page> m_page;
    QFuture<void> m_checking;
};

} // namespace hp
