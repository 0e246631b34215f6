#include "audit/auditexport.h"

#include "audit/auditrecord.h"
#include "domain/canonicaljson.h"
#include "itemmodels/csv.h"

#include <QJsonDocument>
#include <QJsonValue>

namespace hp {

namespace {

constexpr qint64 kPage = 5000;

QString hexOf(const QByteArray &raw)
{
    return QString::fromLatin1(raw.toHex());
}

QString statusName(qint8 status)
{
    return status < 0 ? QString() : toString(static_cast<ChangeStatus>(status));
}

Error writeFailed(const QIODevice &out)
{
    return makeError(ExitCode::Internal, QStringLiteral("write_failed"),
                     QStringLiteral("cannot write the export: %1").arg(out.errorString()));
}

} // namespace

QByteArray auditJsonLine(const AuditEntry &entry)
{
    // The stored bytes are spliced in as the object only when they are one
    // JSON object (a damaged store must still export: its line then fails
    // verification instead of making the file unreadable).
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(entry.entry, &err);
    const bool object = err.error == QJsonParseError::NoError && doc.isObject();
    QByteArray line;
    line.reserve(entry.entry.size() * 2 + 200);
    line += "{\"seq\":" + QByteArray::number(entry.seq) + ",\"prev_hash\":\"" +
            entry.prevHash.toHex() + "\",\"hash\":\"" + entry.hash.toHex() + "\",\"entry\":";
    line += object ? canonicalJson(doc.object()) : QByteArray("null");
    line += ",\"canonical\":" + canonicalJson(QJsonValue(QString::fromUtf8(entry.entry))) + "}\n";
    return line;
}

QStringList auditCsvHeader()
{
    return {QStringLiteral("seq"),         QStringLiteral("time"),          QStringLiteral("principal"),
            QStringLiteral("kind"),        QStringLiteral("roles"),         QStringLiteral("action"),
            QStringLiteral("change"),      QStringLiteral("revision"),      QStringLiteral("outcome"),
            QStringLiteral("reason_code"), QStringLiteral("reason"),        QStringLiteral("status_before"),
            QStringLiteral("status_after"), QStringLiteral("content_hash"), QStringLiteral("policy_hash"),
            QStringLiteral("prev_hash"),   QStringLiteral("hash")};
}

QStringList auditCsvFields(const AuditIndexRow &row, const StringPool &pool, const QByteArray &prevHash)
{
    const QByteArray hash(reinterpret_cast<const char *>(row.hash.data()), qsizetype(row.hash.size()));
    return {QString::number(row.seq),
            row.timeMs == 0 ? QString() : auditTime(QDateTime::fromMSecsSinceEpoch(row.timeMs, Qt::UTC)),
            pool.at(row.principal),
            toString(static_cast<PrincipalKind>(row.kind)),
            pool.at(row.roles),
            pool.at(row.action),
            pool.at(row.change),
            row.revision > 0 ? QString::number(row.revision) : QString(),
            row.denied ? QStringLiteral("denied") : QStringLiteral("ok"),
            pool.at(row.reasonCode),
            pool.at(row.reason),
            statusName(row.before),
            statusName(row.after),
            pool.at(row.contentHash),
            pool.at(row.policyHash),
            hexOf(prevHash),
            hexOf(hash)};
}

namespace {

QByteArray jsonlHeader(Store &store, const AuditFilter &filter)
{
    const QJsonObject header{{QStringLiteral("format"), QStringLiteral("holdpoint.audit-export/1")},
                             {QStringLiteral("store"), store.info().storeId},
                             {QStringLiteral("full"), filter.isEmpty()},
                             {QStringLiteral("filter"), filter.toJson()}};
    return canonicalJson(header) + '\n';
}

} // namespace

Result<AuditExportStats> exportAudit(Store &store, const AuditFilter &filter, AuditExportFormat format,
                                     QIODevice &out, const std::function<bool(qint64, qint64)> &progress)
{
    AuditIndexBuilder builder;
    AuditMatcher matcher(filter);
    AuditExportStats stats;
    const QByteArray head = format == AuditExportFormat::JsonLines
                                ? jsonlHeader(store, filter)
                                : csv::record(auditCsvHeader()).toUtf8();
    if (out.write(head) != head.size())
        return writeFailed(out);
    Result<qint64> headSeq = store.auditHeadSeq();
    if (!headSeq)
        return headSeq.error();
    const qint64 total = *headSeq;
    for (qint64 from = 0;;) {
        Result<std::vector<AuditEntry>> page = store.auditEntries(from, kPage);
        if (!page)
            return page.error();
        if (page->empty())
            break;
        for (const AuditEntry &entry : *page) {
            ++stats.scanned;
            const AuditIndexRow row = builder.build(entry);
            if (!matcher.matches(row, builder.pool()))
                continue;
            const QByteArray bytes = format == AuditExportFormat::JsonLines
                                         ? auditJsonLine(entry)
                                         : csv::record(auditCsvFields(row, builder.pool(), entry.prevHash)).toUtf8();
            if (out.write(bytes) != bytes.size())
                return writeFailed(out);
            ++stats.written;
            stats.lastSeq = entry.seq;
        }
        from = page->back().seq + 1;
        if (progress && !progress(stats.scanned, total))
            return makeError(ExitCode::Internal, QStringLiteral("cancelled"),
                             QStringLiteral("the export was cancelled"));
    }
    if (format == AuditExportFormat::JsonLines) {
        const QByteArray trailer = canonicalJson(QJsonObject{{QStringLiteral("end"), true},
                                                             {QStringLiteral("entries"), stats.written},
                                                             {QStringLiteral("last_seq"), stats.lastSeq}}) +
                                   '\n';
        if (out.write(trailer) != trailer.size())
            return writeFailed(out);
    }
    return stats;
}

} // namespace hp
