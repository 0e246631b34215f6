#include "audit/auditexport.h"

#include "audit/auditrecord.h"
#include "domain/canonicaljson.h"
#include "domain/sha256.h"
#include "intake/strictjson.h"

#include <QJsonDocument>

#include <simdjson.h>

#include <algorithm>

// `audit verify --file`: the export format is described in auditexport.h.
namespace hp {

namespace {

struct Line
{
    qint64 seq = 0;
    QByteArray prev;
    QByteArray hash;
    bool selfOk = false;
};

Error notExport(const QString &name, const QString &why)
{
    return makeError(ExitCode::Usage, QStringLiteral("not_an_export"),
                     QStringLiteral("%1 is not a holdpoint audit export: %2").arg(name, why), name);
}

Result<QByteArray> hexField(const JsonObject &o, std::string_view key)
{
    Result<JsonValue> v = o.require(key);
    if (!v)
        return v.error();
    Result<QString> s = v->toString();
    if (!s)
        return s.error();
    const QByteArray raw = QByteArray::fromHex(s->toLatin1());
    if (s->size() != 64 || raw.size() != 32 || QString::fromLatin1(raw.toHex()) != *s)
        return v->error(QStringLiteral("invalid_value"), QStringLiteral("expected 64 lower-case hex digits"));
    return raw;
}

// Checks one entry line on its own; `line.seq` is set as soon as it is known.
Status checkEntry(StrictJson &json, const QByteArray &bytes, Sha256 &hasher, Line &line)
{
    if (Status s = json.parse(bytes); !s)
        return s;
    Result<JsonObject> o = json.root().toObject();
    if (!o)
        return o.error();
    if (Status s = o->allowOnly({"seq", "prev_hash", "hash", "entry", "canonical"}); !s)
        return s;
    Result<JsonValue> seq = o->require("seq");
    if (!seq)
        return seq.error();
    Result<qint64> n = seq->toInt();
    if (!n)
        return n.error();
    line.seq = *n;
    Result<QByteArray> prev = hexField(*o, "prev_hash");
    if (!prev)
        return prev.error();
    Result<QByteArray> hash = hexField(*o, "hash");
    if (!hash)
        return hash.error();
    line.prev = *prev;
    line.hash = *hash;
    Result<JsonValue> canonicalValue = o->require("canonical");
    if (!canonicalValue)
        return canonicalValue.error();
    Result<std::string_view> canonical = canonicalValue->toUtf8();
    if (!canonical)
        return canonical.error();
    const QByteArray entry(canonical->data(), qsizetype(canonical->size()));
    if (chainHash(hasher, line.prev, entry) != line.hash)
        return makeError(ExitCode::StoreProblem, QStringLiteral("modified"),
                         QStringLiteral("hash does not match SHA-256(prev_hash ‖ canonical)"));
    if (findEntrySeq(entry) != line.seq)
        return makeError(ExitCode::StoreProblem, QStringLiteral("modified"),
                         QStringLiteral("the canonical entry names seq %1").arg(findEntrySeq(entry)));
    Result<JsonValue> object = o->require("entry");
    if (!object)
        return object.error();
    const std::string minified = simdjson::minify(object->raw());
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(minified.data(), qsizetype(minified.size())));
    if (!doc.isObject() || canonicalJson(doc.object()) != entry)
        return makeError(ExitCode::Mismatch, QStringLiteral("mismatch"),
                         QStringLiteral("the entry object differs from its canonical string"));
    line.selfOk = true;
    return {};
}

AuditProblemClass classOf(const Error &e)
{
    return e.code == ExitCode::Mismatch ? AuditProblemClass::Mismatch : AuditProblemClass::Modified;
}

Status checkHeader(const QByteArray &bytes, const QString &name, ExportVerifyReport &report)
{
    StrictJson json;
    if (Status s = json.parse(bytes); !s)
        return notExport(name, QStringLiteral("line 1: %1").arg(s.error().message));
    Result<JsonObject> o = json.root().toObject();
    std::optional<JsonValue> format = o ? o->find("format") : std::nullopt;
    Result<QString> f = format ? format->toString() : Result<QString>(QString());
    if (!f || *f != QLatin1String("holdpoint.audit-export/1"))
        return notExport(name, QStringLiteral("line 1 lacks \"format\":\"holdpoint.audit-export/1\""));
    std::optional<JsonValue> full = o->find("full");
    Result<bool> isFull = full ? full->toBool() : Result<bool>(false);
    report.full = isFull && *isFull;
    return {};
}

// Trailer {"end":true,"entries":N,"last_seq":S}: false when `bytes` is not one.
bool readTrailer(const QByteArray &bytes, qint64 &entries, qint64 &lastSeq)
{
    StrictJson json;
    if (!json.parse(bytes))
        return false;
    Result<JsonObject> o = json.root().toObject();
    if (!o || !o->find("end"))
        return false;
    std::optional<JsonValue> n = o->find("entries");
    std::optional<JsonValue> last = o->find("last_seq");
    Result<qint64> a = n ? n->toInt() : Result<qint64>(qint64(-1));
    Result<qint64> b = last ? last->toInt() : Result<qint64>(qint64(-1));
    entries = a ? *a : -1;
    lastSeq = b ? *b : -1;
    return true;
}

void addProblem(ExportVerifyReport &r, qint64 seq, AuditProblemClass kind, const QString &detail)
{
    r.problems.push_back(AuditProblem{seq, kind, detail});
}

// Order, links and completeness over all lines (file order kept in `lines`).
void checkSequence(std::vector<Line> &lines, ExportVerifyReport &report)
{
    qint64 maxSeq = 0;
    for (const Line &l : lines) {
        if (l.seq <= maxSeq && l.seq > 0)
            addProblem(report, l.seq, AuditProblemClass::Reordered,
                       QStringLiteral("seq %1 comes after seq %2 in the file").arg(l.seq).arg(maxSeq));
        maxSeq = std::max(maxSeq, l.seq);
    }
    std::stable_sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) { return a.seq < b.seq; });
    qint64 expect = 1; // a filtered export's leading run of left-out seqs is a gap too
    const Line *previous = nullptr;
    for (const Line &l : lines) {
        if (previous && l.seq == previous->seq) {
            addProblem(report, l.seq, AuditProblemClass::Inserted, QStringLiteral("seq %1 appears twice").arg(l.seq));
            continue;
        }
        if (l.seq > expect) {
            if (report.full)
                addProblem(report, expect, AuditProblemClass::Missing,
                           l.seq - expect == 1 ? QStringLiteral("seq %1 is not in the export").arg(expect)
                                               : QStringLiteral("seqs %1–%2 are not in the export")
                                                     .arg(expect).arg(l.seq - 1));
            else
                ++report.gaps;
        }
        const bool linked = previous && previous->seq == l.seq - 1;
        const bool genesis = report.full && l.seq == 1;
        if (l.selfOk && genesis && l.prev != genesisHash())
            addProblem(report, l.seq, AuditProblemClass::Modified, QStringLiteral("the first entry's prev_hash is not 32 zero bytes"));
        if (l.selfOk && linked && previous->selfOk && l.prev != previous->hash)
            addProblem(report, l.seq, AuditProblemClass::Modified,
                       QStringLiteral("prev_hash does not match the hash of seq %1").arg(previous->seq));
        expect = l.seq + 1;
        previous = &l;
    }
    if (!lines.empty())
        report.headHash = lines.back().hash;
}

} // namespace

Result<ExportVerifyReport> verifyExport(QIODevice &in, const QString &name, const ExportVerifyLimits &limits)
{
    ExportVerifyReport report;
    std::vector<Line> lines;
    Sha256 hasher;
    StrictJson json;
    bool trailer = false;
    qint64 trailerEntries = -1, trailerLast = -1, lineNo = 0;
    while (!in.atEnd()) {
        QByteArray bytes = in.readLine(limits.maxLineBytes + 2);
        ++lineNo;
        if (bytes.size() > limits.maxLineBytes)
            return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                             QStringLiteral("%1:%2: line longer than %3 bytes").arg(name).arg(lineNo).arg(limits.maxLineBytes), name);
        if (lineNo > limits.maxLines)
            return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                             QStringLiteral("%1: more than %2 lines").arg(name).arg(limits.maxLines), name);
        if (bytes.endsWith('\n'))
            bytes.chop(1);
        if (lineNo == 1) {
            if (Status s = checkHeader(bytes, name, report); !s)
                return s.error();
            continue;
        }
        if (trailer)
            addProblem(report, trailerLast + 1, AuditProblemClass::Inserted,
                       QStringLiteral("line %1 follows the trailer line").arg(lineNo));
        if (readTrailer(bytes, trailerEntries, trailerLast)) {
            trailer = true;
            continue;
        }
        Line line;
        line.seq = lines.empty() ? 1 : lines.back().seq + 1; // where a damaged line sits
        if (Status s = checkEntry(json, bytes, hasher, line); !s)
            addProblem(report, line.seq, classOf(s.error()),
                       QStringLiteral("line %1: %2").arg(lineNo).arg(s.error().message));
        lines.push_back(std::move(line));
    }
    if (lineNo == 0)
        return notExport(name, QStringLiteral("the file is empty"));
    report.entries = static_cast<qint64>(lines.size());
    const qint64 lastInFile = lines.empty() ? 0 : lines.back().seq;
    checkSequence(lines, report);
    if (!trailer)
        addProblem(report, lastInFile + 1, AuditProblemClass::Truncated,
                   QStringLiteral("the export ends without its trailer line after seq %1").arg(lastInFile));
    else if (trailerEntries != report.entries || trailerLast != lastInFile)
        addProblem(report, lastInFile + 1, AuditProblemClass::Truncated,
                   QStringLiteral("the trailer names %1 entries up to seq %2; the file holds %3 up to seq %4")
                       .arg(trailerEntries).arg(trailerLast).arg(report.entries).arg(lastInFile));
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const AuditProblem &a, const AuditProblem &b) { return a.seq < b.seq; });
    return report;
}

} // namespace hp
