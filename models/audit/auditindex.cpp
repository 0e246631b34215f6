#include "audit/auditindex.h"

#include "audit/auditrecord.h"

#include <QJsonObject>

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace hp {

StringPool::StringPool()
{
    m_strings.emplace_back();
    m_byUtf8.insert(QByteArray(), 0);
}

int StringPool::intern(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    return internUtf8(utf8.constData(), utf8.size());
}

int StringPool::internUtf8(const char *data, qsizetype length)
{
    // fromRawData: the lookup itself copies nothing.
    const QByteArray key = QByteArray::fromRawData(data, length);
    const auto it = m_byUtf8.constFind(key);
    if (it != m_byUtf8.cend())
        return it.value();
    const int id = size();
    m_strings.push_back(QString::fromUtf8(data, length));
    m_byUtf8.insert(QByteArray(data, length), id);
    return id;
}

void StringPool::append(const QStringList &strings)
{
    for (const QString &s : strings) {
        const QByteArray utf8 = s.toUtf8();
        m_byUtf8.insert(utf8, size());
        m_strings.push_back(s);
    }
}

QStringList StringPool::since(int from) const
{
    QStringList out;
    for (size_t i = size_t(std::max(0, from)); i < m_strings.size(); ++i)
        out.append(m_strings[i]);
    return out;
}

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), so parsing a time costs no QDateTime.
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

// "YYYY-MM-DDTHH:MM:SS.mmmZ" (auditTime) to ms since the epoch; 0 otherwise.
qint64 parseAuditTime(std::string_view t)
{
    if (t.size() != 24 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
        t[16] != ':' || t[19] != '.' || t[23] != 'Z')
        return 0;
    auto num = [&t](size_t at, size_t len, bool &ok) {
        qint64 v = 0;
        for (size_t i = at; i < at + len; ++i) {
            if (t[i] < '0' || t[i] > '9')
                ok = false;
            v = v * 10 + (t[i] - '0');
        }
        return v;
    };
    bool ok = true;
    const qint64 y = num(0, 4, ok), mo = num(5, 2, ok), d = num(8, 2, ok), h = num(11, 2, ok),
                 mi = num(14, 2, ok), s = num(17, 2, ok), ms = num(20, 3, ok);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    const qint64 days = daysFromCivil(y, unsigned(mo), unsigned(d));
    return ((days * 24 + h) * 60 + mi) * 60000 + s * 1000 + ms;
}

qint8 statusCode(std::string_view s)
{
    if (s.empty())
        return -1;
    const auto status = parseChangeStatus(QString::fromUtf8(s.data(), qsizetype(s.size())));
    return status ? static_cast<qint8>(*status) : qint8(-1);
}

} // namespace

struct AuditIndexBuilder::Parser
{
    simdjson::dom::parser parser;
};

AuditIndexBuilder::AuditIndexBuilder() : m_parser(std::make_unique<Parser>()) {}
AuditIndexBuilder::~AuditIndexBuilder() = default;

AuditIndexRow AuditIndexBuilder::build(const AuditEntry &entry)
{
    AuditIndexRow row;
    row.seq = entry.seq;
    if (entry.hash.size() == 32)
        std::memcpy(row.hash.data(), entry.hash.constData(), 32);
    simdjson::dom::element doc;
    if (m_parser->parser.parse(entry.entry.constData(), size_t(entry.entry.size())).get(doc) !=
        simdjson::SUCCESS || !doc.is_object()) {
        row.readable = false;
        return row;
    }
    auto text = [&](const char *key) {
        std::string_view v;
        if (doc[key].get_string().get(v) != simdjson::SUCCESS)
            return std::string_view();
        return v;
    };
    auto intern = [&](std::string_view v) { return m_pool.internUtf8(v.data(), qsizetype(v.size())); };
    row.timeMs = parseAuditTime(text("time"));
    row.principal = intern(text("principal"));
    const std::string_view kind = text("principal_kind");
    row.kind = static_cast<qint8>(kind == "agent"    ? PrincipalKind::Agent
                                  : kind == "system" ? PrincipalKind::System
                                                     : PrincipalKind::Human);
    std::string roles;
    simdjson::dom::array list;
    if (doc["roles"].get_array().get(list) == simdjson::SUCCESS) {
        for (simdjson::dom::element r : list) {
            std::string_view name;
            if (r.get_string().get(name) == simdjson::SUCCESS)
                roles.append(roles.empty() ? "" : ", ").append(name);
        }
    }
    row.roles = intern(roles);
    row.action = intern(text("action"));
    row.change = intern(text("change"));
    int64_t revision = 0;
    if (doc["revision"].get_int64().get(revision) == simdjson::SUCCESS)
        row.revision = static_cast<qint32>(std::clamp<int64_t>(revision, 0, std::numeric_limits<qint32>::max()));
    row.contentHash = intern(text("content_hash"));
    row.policyHash = intern(text("policy_hash"));
    row.denied = text("outcome") == "denied";
    row.reasonCode = intern(text("reason_code"));
    row.reason = intern(text("reason"));
    row.before = statusCode(text("status_before"));
    row.after = statusCode(text("status_after"));
    row.readable = row.timeMs != 0 && !text("action").empty();
    return row;
}

QStringList AuditIndexBuilder::takeNewStrings()
{
    QStringList out = m_pool.since(m_sent);
    m_sent = m_pool.size();
    return out;
}

bool AuditFilter::isEmpty() const
{
    return principal.isEmpty() && action.isEmpty() && changeId.isEmpty() && !denied &&
           !from.isValid() && !to.isValid();
}

QJsonObject AuditFilter::toJson() const
{
    QJsonObject o;
    if (!principal.isEmpty())
        o.insert(QStringLiteral("principal"), principal);
    if (!action.isEmpty())
        o.insert(QStringLiteral("action"), action);
    if (!changeId.isEmpty())
        o.insert(QStringLiteral("change"), changeId);
    if (denied)
        o.insert(QStringLiteral("outcome"), *denied ? QStringLiteral("denied") : QStringLiteral("ok"));
    if (from.isValid())
        o.insert(QStringLiteral("from"), auditTime(from));
    if (to.isValid())
        o.insert(QStringLiteral("to"), auditTime(to));
    return o;
}

AuditMatcher::AuditMatcher(AuditFilter filter)
    : m_filter(std::move(filter))
    , m_fromMs(m_filter.from.isValid() ? m_filter.from.toMSecsSinceEpoch()
                                       : std::numeric_limits<qint64>::min())
    , m_toMs(m_filter.to.isValid() ? m_filter.to.toMSecsSinceEpoch()
                                   : std::numeric_limits<qint64>::max())
{
}

bool AuditMatcher::textMatches(std::vector<qint8> &cache, const QString &needle, int id,
                               const StringPool &pool)
{
    if (needle.isEmpty())
        return true;
    if (size_t(id) >= cache.size())
        cache.resize(size_t(pool.size()), -1);
    qint8 &known = cache[size_t(id)];
    if (known < 0)
        known = pool.at(id).contains(needle, Qt::CaseInsensitive) ? 1 : 0;
    return known == 1;
}

bool AuditMatcher::matches(const AuditIndexRow &row, const StringPool &pool)
{
    if (m_filter.denied && *m_filter.denied != row.denied)
        return false;
    if (row.timeMs < m_fromMs || row.timeMs > m_toMs)
        return false;
    return textMatches(m_principal, m_filter.principal, row.principal, pool) &&
           textMatches(m_action, m_filter.action, row.action, pool) &&
           textMatches(m_change, m_filter.changeId, row.change, pool);
}

} // namespace hp
