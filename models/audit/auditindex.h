#pragma once

#include "storage/store.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

// The audit trail held compactly for the Audit workspace and exports (DESIGN
// §7, §10): one fixed-size record per entry with every text field interned in
// a StringPool, so a 1,000,000-entry trail is one vector of small records and
// a filter or sort compares integers, never QVariants or parsed JSON.
//
// The pool is append-only: an id, once given, names the same string for the
// pool's life. That lets a loader thread intern into its own pool and send
// each chunk with only the strings it added; the receiving mirror appends
// them in order and gets identical ids (AuditChunk).
namespace hp {

class StringPool
{
public:
    StringPool();
    int intern(const QString &text);
    int internUtf8(const char *data, qsizetype size);
    const QString &at(int id) const { return m_strings[size_t(id)]; }
    int size() const { return static_cast<int>(m_strings.size()); }
    // Appends strings another pool added after its first size() ids.
    void append(const QStringList &strings);
    // Strings from id `from` on.
    QStringList since(int from) const;

private:
    std::vector<QString> m_strings; // id 0 is always ""
    QHash<QByteArray, int> m_byUtf8;
};

// One entry, typed. Text fields are StringPool ids; statuses are ChangeStatus
// values or -1 for none; `readable` is false when the stored entry bytes do not
// parse (shown, never hidden: a verify will say why).
struct AuditIndexRow
{
    qint64 seq = 0;
    qint64 timeMs = 0; // ms since the epoch, UTC; 0 when unreadable
    qint32 principal = 0;
    qint32 roles = 0; // "lead, auditor"
    qint32 action = 0;
    qint32 change = 0;
    qint32 reasonCode = 0;
    qint32 reason = 0;
    qint32 contentHash = 0; // hex
    qint32 policyHash = 0;  // hex
    qint32 revision = 0;
    qint8 kind = 0; // PrincipalKind
    bool denied = false;
    qint8 before = -1;
    qint8 after = -1;
    bool readable = true;
    std::array<unsigned char, 32> hash{};
};

// Rows parsed off the GUI thread, with the strings their pool added.
struct AuditChunk
{
    std::vector<AuditIndexRow> rows;
    QStringList strings; // the loader's pool from the receiver's size() on
    qint64 total = 0;    // entries in the trail when loading began
};

// Parses stored entries (canonical JSON) into AuditIndexRows, interning into
// its own pool. Not thread-safe; one per loader.
class AuditIndexBuilder
{
public:
    AuditIndexBuilder();
    ~AuditIndexBuilder();
    AuditIndexBuilder(const AuditIndexBuilder &) = delete;
    AuditIndexBuilder &operator=(const AuditIndexBuilder &) = delete;

    AuditIndexRow build(const AuditEntry &entry);
    const StringPool &pool() const { return m_pool; }
    // The strings added since the last call (for an AuditChunk).
    QStringList takeNewStrings();

private:
    struct Parser;
    std::unique_ptr<Parser> m_parser;
    StringPool m_pool;
    int m_sent = 1; // id 0 ("") is in every pool from the start
};

// Which entries a view or an export shows. Text criteria are
// case-insensitive substring matches (empty: any); times are inclusive
// bounds (invalid: unbounded).
struct AuditFilter
{
    QString principal;
    QString action;
    QString changeId;
    std::optional<bool> denied; // none: both outcomes
    QDateTime from;
    QDateTime to;
    bool isEmpty() const;
    QJsonObject toJson() const; // for the audit.export entry and headers
};

// An AuditFilter applied to rows of one pool: per pool id it decides once
// whether a string matches and remembers it, so a scan of a million rows
// does integer lookups only. The pool may grow between calls.
class AuditMatcher
{
public:
    explicit AuditMatcher(AuditFilter filter = {});
    bool matches(const AuditIndexRow &row, const StringPool &pool);
    const AuditFilter &filter() const { return m_filter; }

private:
    bool textMatches(std::vector<qint8> &cache, const QString &needle, int id,
                     const StringPool &pool);

    AuditFilter m_filter;
    qint64 m_fromMs;
    qint64 m_toMs;
    std::vector<qint8> m_principal; // per pool id: -1 unknown, 0 no, 1 yes
    std::vector<qint8> m_action;
    std::vector<qint8> m_change;
};

} // namespace hp
