#include "audit/auditverifier.h"

#include "audit/auditrecord.h"

#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace hp {

struct AuditVerifier::Walk
{
    std::vector<Flag> flags;
    qint64 lastGood = Genesis; // last row not classified as inserted
    VerifyReport report;

    void problem(qint64 seq, AuditProblemClass kind, QString detail)
    {
        report.problems.push_back(AuditProblem{seq, kind, std::move(detail)});
    }
};

namespace {

// Rows per task: large enough that scheduling costs nothing next to hashing,
// small enough that both cores stay busy on a short page.
constexpr size_t kChunk = 256;

bool selfCheck(Sha256 &hasher, const AuditEntry &entry)
{
    return entry.prevHash.size() == 32 && entry.hash.size() == 32 &&
           chainHash(hasher, entry.prevHash, entry.entry) == entry.hash;
}

} // namespace

AuditVerifier::~AuditVerifier()
{
    m_checking.waitForFinished();
}

void AuditVerifier::add(const AuditEntry &entry)
{
    flush();
    append(AuditEntry(entry), selfCheck(m_hasher, entry), findEntrySeq(entry.entry));
}

void AuditVerifier::append(AuditEntry &&entry, bool selfOk, qint64 inner)
{
    Row row;
    row.seq = entry.seq;
    row.inner = inner;
    row.prev = std::move(entry.prevHash);
    row.hash = std::move(entry.hash);
    row.selfOk = selfOk;
    m_rows.push_back(std::move(row));
}

void AuditVerifier::addPage(std::vector<AuditEntry> rows)
{
    flush();
    auto page = std::make_shared<Page>();
    page->rows = std::move(rows);
    page->selfOk.assign(page->rows.size(), 0);
    page->inner.assign(page->rows.size(), -1);
    for (size_t at = 0; at < page->rows.size(); at += kChunk)
        page->starts.push_back(at);
    m_page = page;
    // The lambda owns the page (and so the chunk starts the map walks), so
    // nothing it reads can go away while it runs.
    m_checking = QtConcurrent::map(page->starts, [page](size_t start) {
        thread_local Sha256 hasher; // one reused EVP context per pool thread
        const size_t end = std::min(start + kChunk, page->rows.size());
        for (size_t i = start; i < end; ++i) {
            page->selfOk[i] = selfCheck(hasher, page->rows[i]) ? 1 : 0;
            page->inner[i] = findEntrySeq(page->rows[i].entry);
        }
    });
}

void AuditVerifier::flush()
{
    if (!m_page)
        return;
    m_checking.waitForFinished();
    const std::shared_ptr<Page> page = std::move(m_page);
    m_page.reset();
    for (size_t i = 0; i < page->rows.size(); ++i)
        append(std::move(page->rows[i]), page->selfOk[i] != 0, page->inner[i]);
}

QByteArray AuditVerifier::hashOf(qint64 index) const
{
    return index == Genesis ? genesisHash() : m_rows[static_cast<size_t>(index)].hash;
}

qint64 AuditVerifier::predecessor(const Row &row) const
{
    if (row.prev == genesisHash())
        return Genesis;
    return m_byHash.value(row.prev, Nowhere);
}

// Rows i.. that the chain skips: the first later row j whose prev is the hash
// of `lastGood`, provided nothing outside [i, j) links into the range and the
// range links only to lastGood, to itself or to nothing. Returns j, or -1.
qint64 AuditVerifier::resumesAt(qint64 i, qint64 lastGood) const
{
    const auto it = m_byPrev.constFind(hashOf(lastGood));
    if (it == m_byPrev.constEnd())
        return -1;
    const auto next = std::upper_bound(it->begin(), it->end(), i);
    if (next == it->end())
        return -1;
    const qint64 j = *next;
    for (qint64 x = i; x < j; ++x) {
        const Row &row = m_rows[static_cast<size_t>(x)];
        const auto linked = m_byPrev.constFind(row.hash);
        if (linked != m_byPrev.constEnd()) {
            for (qint64 from : *linked) {
                if (from < i || from >= j)
                    return -1;
            }
        }
        const qint64 p = predecessor(row);
        if (p != lastGood && p != Nowhere && (p < i || p >= j))
            return -1;
    }
    return j;
}

bool AuditVerifier::intact() const
{
    const QByteArray *prev = nullptr;
    qint64 expected = 1;
    for (const Row &row : m_rows) {
        if (!row.selfOk || row.seq != expected || row.inner != row.seq ||
            (prev ? row.prev != *prev : row.prev != genesisHash()))
            return false;
        prev = &row.hash;
        ++expected;
    }
    return true;
}

void AuditVerifier::buildIndexes() const
{
    m_byHash.clear();
    m_byPrev.clear();
    for (qint64 index = 0; index < count(); ++index) {
        const Row &row = m_rows[static_cast<size_t>(index)];
        if (!m_byHash.contains(row.hash)) // a later duplicate keeps the first
            m_byHash.insert(row.hash, index);
        m_byPrev[row.prev].push_back(index);
    }
}

VerifyReport AuditVerifier::finish() const
{
    if (intact()) {
        VerifyReport clean;
        clean.entries = count();
        if (!m_rows.empty())
            clean.headHash = m_rows.back().hash;
        return clean;
    }
    buildIndexes();
    Walk walk;
    walk.flags.assign(m_rows.size(), Clean);
    walk.report.entries = count();
    if (!m_rows.empty())
        walk.report.headHash = m_rows.back().hash;
    for (qint64 i = 0; i < count(); ++i)
        classify(i, walk);
    std::stable_sort(walk.report.problems.begin(), walk.report.problems.end(),
                     [](const AuditProblem &a, const AuditProblem &b) { return a.seq < b.seq; });
    return walk.report;
}

void AuditVerifier::classify(qint64 i, Walk &walk) const
{
    const auto at = [this](qint64 x) -> const Row & { return m_rows[static_cast<size_t>(x)]; };
    if (walk.flags[static_cast<size_t>(i)] == Inserted)
        return; // part of a range already reported
    const Row &row = at(i);
    const qint64 expected = i == 0 ? 1 : at(i - 1).seq + 1;
    if (row.seq != expected) {
        walk.problem(
            expected, AuditProblemClass::Missing,
            row.seq == expected + 1
                ? QStringLiteral("entry %1 is missing").arg(expected)
                : QStringLiteral("entries %1 to %2 are missing").arg(expected).arg(row.seq - 1));
    }
    const qint64 resume = resumesAt(i, walk.lastGood);
    if (resume > i) {
        for (qint64 x = i; x < resume; ++x) {
            walk.flags[static_cast<size_t>(x)] = Inserted;
            walk.problem(at(x).seq, AuditProblemClass::Inserted,
                         QStringLiteral("entry %1 is not part of the chain: entry %2 links past it")
                             .arg(at(x).seq)
                             .arg(at(resume).seq));
        }
        return;
    }
    if (!row.selfOk || row.inner < 0) {
        walk.flags[static_cast<size_t>(i)] = Flagged;
        walk.problem(row.seq, AuditProblemClass::Modified,
                     row.inner < 0
                         ? QStringLiteral("entry %1 is unreadable").arg(row.seq)
                         : QStringLiteral("entry %1 does not match its hash").arg(row.seq));
    } else if (row.prev != hashOf(walk.lastGood)) {
        if (row.seq == expected)
            classifyBrokenLink(i, walk);
    } else if (walk.lastGood == i - 1 && row.seq == expected) {
        // Linked to its neighbour: its inner seq must keep the neighbour's offset.
        const qint64 prevShift = i == 0 ? 0 : at(i - 1).seq - at(i - 1).inner;
        const bool neighbourClean = i == 0 || walk.flags[static_cast<size_t>(i - 1)] == Clean;
        if (row.seq - row.inner != prevShift && neighbourClean) {
            walk.flags[static_cast<size_t>(i)] = Flagged;
            walk.problem(
                row.seq, AuditProblemClass::Modified,
                QStringLiteral("entry %1 says it is entry %2").arg(row.seq).arg(row.inner));
        }
    }
    walk.lastGood = i;
}

// The row is intact (its hash matches) but does not link to the last good row
// before it, and no gap or insertion explains that.
void AuditVerifier::classifyBrokenLink(qint64 i, Walk &walk) const
{
    const Row &row = m_rows[static_cast<size_t>(i)];
    const qint64 shift = row.seq - row.inner;
    const bool previousFlagged =
        walk.lastGood >= 0 && walk.flags[static_cast<size_t>(walk.lastGood)] != Clean;
    const qint64 p = predecessor(row);
    auto flag = [&](AuditProblemClass kind, qint64 seq, QString detail) {
        walk.flags[static_cast<size_t>(i)] = Flagged;
        walk.problem(seq, kind, std::move(detail));
    };
    if (shift == 0 && previousFlagged) {
        // Explained by the previous row's problem (its hash changed or it moved).
    } else if (shift != 0 && p != Nowhere) {
        flag(AuditProblemClass::Reordered, row.seq,
             QStringLiteral("entry %1 is stored at position %2").arg(row.inner).arg(row.seq));
    } else if (shift != 0 && row.inner > row.seq) {
        const qint64 first =
            walk.lastGood >= 0 ? m_rows[static_cast<size_t>(walk.lastGood)].inner + 1 : 1;
        flag(AuditProblemClass::Missing, first,
             first == row.inner - 1
                 ? QStringLiteral("entry %1 was removed and later entries renumbered").arg(first)
                 : QStringLiteral("entries %1 to %2 were removed and later entries renumbered")
                       .arg(first)
                       .arg(row.inner - 1));
    } else if (shift == 0 && p == Nowhere && i == count() - 1) {
        flag(AuditProblemClass::Inserted, row.seq,
             QStringLiteral("entry %1 does not link to the entry before it").arg(row.seq));
    } else if (shift == 0 && p == Nowhere && walk.lastGood >= 0) {
        const qint64 before = m_rows[static_cast<size_t>(walk.lastGood)].seq;
        walk.flags[static_cast<size_t>(walk.lastGood)] = Flagged;
        walk.problem(before, AuditProblemClass::Modified,
                     QStringLiteral("entry %1 was rewritten: entry %2 no longer links to it")
                         .arg(before)
                         .arg(row.seq));
    } else if (p != Nowhere) {
        flag(AuditProblemClass::Reordered, row.seq,
             QStringLiteral("entry %1 links to an entry stored elsewhere").arg(row.seq));
    } else {
        flag(AuditProblemClass::Modified, row.seq,
             QStringLiteral("entry %1 does not link to the entry before it").arg(row.seq));
    }
}

} // namespace hp
