// The proposal file format (holdpoint.proposal/1)
// ================================================
//
// A proposal is one JSON object (UTF-8, RFC 8259). Example:
//
//   {
//     "schema": "holdpoint.proposal/1",
//     "title": "Bump cost-explorer generation",
//     "kind": "infra",
//     "agent": {"name": "tf-agent", "version": "2.3.1", "run_id": "run-8812"},
//     "operator": "maria",
//     "intent": "Task and rationale ...",
//     "declared_impact": "medium",
//     "environment": "production",
//     "target": "account:prod-billing",
//     "idempotency_key": "run-8812-1",
//     "artifacts": [
//       {"kind": "terraform-plan", "name": "plan.json", "path": "plan.json"},
//       {"kind": "terraform-planfile", "name": "tfplan", "content_base64": "..."},
//       {"kind": "unified-diff", "name": "fix.patch", "content_utf8": "--- a/x\n+++ b/x\n..."},
//       {"kind": "file-pair", "name": "etc/app.conf", "before_utf8": "...", "after_path": "app.conf.new"},
//       {"kind": "k8s-manifest", "name": "deploy.yaml", "path": "deploy.yaml"},
//       {"kind": "command", "name": "steps.sh", "content_utf8": "kubectl rollout restart deploy/api\n"}
//     ]
//   }
//
// Top-level keys (every one optional except "artifacts"; a revision inherits
// what it leaves out from its change, and the store requires a title for a
// new change):
//   schema            if present, exactly "holdpoint.proposal/1"
//   title             single line, 1..512 characters
//   kind              "infra" | "policy"
//   agent             object with optional string keys name, version, run_id
//                     (single line each)
//   operator          login: 1..64 of A-Z a-z 0-9 . _ @ $ -, not starting with -
//   intent            text; tab, LF and CR are the only control characters allowed
//   declared_impact   "low" | "medium" | "high" | "critical"
//   environment       [a-z0-9][a-z0-9_-]{0,63}
//   target            1..256 characters, no control characters
//   idempotency_key   1..128 characters of printable ASCII (space to '~')
//   artifacts         array of 1..maxArtifacts (default 1000) artifact objects
// Text fields are at most maxStringChars (default 65,536) characters.
//
// An artifact has "kind" (terraform-plan, terraform-planfile, unified-diff,
// file-pair, k8s-manifest, command), "name" (1..4096 characters, no NUL or
// other C0 control; (kind, name) unique in the proposal) and its content:
//   - every kind but file-pair: exactly one of
//       content_utf8    the bytes are the string's UTF-8
//       content_base64  strict RFC 4648 base64 (standard alphabet, '='
//                       padding, zero pad bits, no whitespace or line breaks)
//       path            a file, relative to the proposal file's directory
//                       (stdin: the current directory); absolute paths are
//                       refused (DESIGN §3: relative to the proposal file)
//   - file-pair: at most one of before_utf8 / before_base64 / before_path and
//     at most one of after_utf8 / after_base64 / after_path. A missing
//     "before" is a new file (empty first part), a missing "after" a deleted
//     file (empty last part); not both missing.
// Bytes are kept exactly as received: no newline, encoding or Unicode
// normalisation.
//
// Refused, with ExitCode::Usage, a reason code and a JSON path or a
// line:column/byte offset: invalid JSON (invalid_json), invalid UTF-8
// (invalid_utf8, byte offset), lone surrogates in \u escapes
// (lone_surrogate), nesting deeper than maxDepth (too_deep), duplicate keys
// anywhere (duplicate_key), unknown keys anywhere, so typos never pass
// silently (unknown_key), wrong JSON types (wrong_type), a missing required
// key (missing_key), bad values (invalid_value), bad base64 (invalid_base64),
// two content forms (ambiguous_content) or none (missing_content), an
// unreadable artifact file (file_not_found, file_unreadable), bad names
// (invalid_name), a repeated (kind, name) (duplicate_artifact), no or too
// many artifacts (no_artifacts, too_many_artifacts), and sizes beyond the caps
// (too_large): decoded bytes per artifact (64 MiB) and per revision
// (256 MiB), and the envelope, i.e. the JSON's size minus the raw lengths of
// its inline content strings (1 MiB). A file is never read whole before its
// size is checked, and stdin is read only up to the envelope plus the
// revision cap in base64. Nothing is returned half-parsed.

#include "intake/proposalparser.h"

#include "intake/base64.h"
#include "intake/contenthash.h"
#include "intake/proposalrules.h"
#include "intake/strictjson.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <set>
#include <span>
#include <unistd.h>

namespace hp {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kSchema = "holdpoint.proposal/1";

enum class Form { None, Utf8, Base64, Path };

// Where one part's bytes come from, found in the first pass.
struct PartSource
{
    Form form = Form::None;
    std::string_view text; // the string value (a path for Form::Path)
    QString jsonPath;      // of the key that gave it
};

struct ArtifactSpec
{
    ArtifactKind kind = ArtifactKind::UnifiedDiff;
    QString name;
    QString jsonPath;
    std::vector<PartSource> parts;
};

Error usage(const QString &reason, const QString &path, const QString &what)
{
    return makeError(ExitCode::Usage, reason, path.isEmpty() ? what : path + QStringLiteral(": ") + what, path);
}

QString fromView(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

// Reads into `out` from an optional string key; absent leaves `out` empty.
Status optionalString(const JsonObject &o, std::string_view key, std::optional<QString> &out)
{
    const std::optional<JsonValue> v = o.find(key);
    if (!v)
        return {};
    Result<QString> s = v->toString();
    if (!s)
        return s.error();
    out = *s;
    return {};
}

// An enum-valued string key parsed by `parse`, naming the allowed values.
template<class E>
Status optionalEnum(const JsonObject &o, std::string_view key, std::optional<E> (*parse)(QStringView),
                    const QString &allowed, std::optional<E> &out)
{
    std::optional<QString> text;
    if (Status s = optionalString(o, key, text); !s || !text)
        return s;
    out = parse(*text);
    if (!out)
        return o.find(key)->error(QStringLiteral("invalid_value"),
                                  QStringLiteral("unknown value %1 (expected %2)").arg(quoteForMessage(*text, 64), allowed));
    return {};
}

class Reader
{
public:
    Reader(const IntakeLimits &limits, const QDir &baseDir) : m_limits(limits), m_baseDir(baseDir) {}

    Result<Proposal> read(const QByteArray &json, const QString &source);

private:
    Status readFields(const JsonObject &root, Proposal &p) const;
    Status readAgent(const JsonObject &root, Proposal &p) const;
    Status readArtifacts(const JsonObject &root);
    Result<ArtifactSpec> readArtifact(const JsonValue &value);
    Status readContent(const JsonObject &o, ArtifactSpec &spec);
    Result<PartSource> readForm(const JsonObject &o, std::string_view utf8Key, std::string_view base64Key,
                                std::string_view pathKey);
    Status load(const ArtifactSpec &spec, Artifact &out, qint64 &revisionTotal) const;
    Result<QByteArray> loadPart(const PartSource &part, qint64 artifactSoFar, qint64 revisionSoFar) const;
    Result<QByteArray> readArtifactFile(const PartSource &part, qint64 artifactSoFar, qint64 revisionSoFar) const;

    IntakeLimits m_limits;
    QDir m_baseDir;
    std::vector<ArtifactSpec> m_specs;
    std::set<std::pair<ArtifactKind, QString>> m_names;
    qint64 m_inlineBytes = 0; // raw JSON bytes of inline contents (outside the envelope)
};

Result<Proposal> Reader::read(const QByteArray &json, const QString &source)
{
    const qint64 inputCap = intake::maxInputBytes(m_limits);
    if (json.size() > inputCap)
        return usage(QStringLiteral("too_large"), {},
                     QStringLiteral("the proposal is %1 bytes, more than the limit of %2 bytes (the envelope plus "
                                    "the revision cap in base64)")
                         .arg(json.size())
                         .arg(inputCap));
    StrictJson doc(StrictJsonOptions{m_limits.maxDepth, inputCap, true, source});
    if (Status s = doc.parse(json); !s)
        return s.error();
    Result<JsonObject> root = doc.root().toObject();
    if (!root)
        return root.error();
    Proposal proposal;
    if (Status s = readFields(*root, proposal); !s)
        return s.error();
    if (Status s = readArtifacts(*root); !s)
        return s.error();
    const qint64 envelope = json.size() - m_inlineBytes;
    if (envelope > m_limits.maxEnvelopeBytes)
        return usage(QStringLiteral("too_large"), QStringLiteral("$"),
                     QStringLiteral("the proposal envelope (the JSON without its inline artifact contents) is %1 "
                                    "bytes, more than the limit of %2 bytes")
                         .arg(envelope)
                         .arg(m_limits.maxEnvelopeBytes));
    // Second pass: the bytes, with every cap checked before reading or decoding.
    qint64 total = 0;
    proposal.artifacts.resize(m_specs.size());
    for (size_t i = 0; i < m_specs.size(); ++i) {
        if (Status s = load(m_specs[i], proposal.artifacts[i], total); !s)
            return s.error();
    }
    return proposal;
}

Status Reader::readFields(const JsonObject &root, Proposal &p) const
{
    if (Status s = root.allowOnly({"schema"sv, "title"sv, "kind"sv, "agent"sv, "operator"sv, "intent"sv,
                                   "declared_impact"sv, "environment"sv, "target"sv, "idempotency_key"sv,
                                   "artifacts"sv});
        !s)
        return s;
    if (const std::optional<JsonValue> schema = root.find("schema")) {
        Result<std::string_view> s = schema->toUtf8();
        if (!s)
            return s.error();
        if (*s != kSchema)
            return schema->error(QStringLiteral("invalid_value"),
                                 QStringLiteral("unsupported schema %1 (expected \"%2\")")
                                     .arg(quoteForMessage(fromView(*s), 64), fromView(kSchema)));
    }
    // A string key, then its rule when present.
    auto text = [&](std::string_view key, std::optional<QString> &out, auto rule) -> Status {
        if (Status s = optionalString(root, key, out); !s || !out)
            return s;
        return rule(*out, QStringLiteral("$.") + fromView(key));
    };
    auto withLimits = [this](Status (*rule)(const QString &, const QString &, const IntakeLimits &)) {
        return [this, rule](const QString &v, const QString &path) { return rule(v, path, m_limits); };
    };
    std::optional<QString> key;
    const Status results[] = {
        text("title", p.title, withLimits(&intake::checkTitle)),
        optionalEnum(root, "kind", &parseChangeKind, QStringLiteral("infra or policy"), p.kind),
        readAgent(root, p),
        text("operator", p.operatorLogin, &intake::checkLogin),
        text("intent", p.intent, withLimits(&intake::checkIntent)),
        optionalEnum(root, "declared_impact", &parseImpact, QStringLiteral("low, medium, high or critical"),
                     p.declaredImpact),
        text("environment", p.environment, &intake::checkEnvironment),
        text("target", p.target, &intake::checkTarget),
        text("idempotency_key", key, &intake::checkIdempotencyKey),
    };
    for (const Status &s : results) {
        if (!s)
            return s;
    }
    p.idempotencyKey = key.value_or(QString());
    return {};
}

Status Reader::readAgent(const JsonObject &root, Proposal &p) const
{
    const std::optional<JsonValue> agent = root.find("agent");
    if (!agent)
        return {};
    Result<JsonObject> o = agent->toObject();
    if (!o)
        return o.error();
    if (Status s = o->allowOnly({"name"sv, "version"sv, "run_id"sv}); !s)
        return s;
    const std::pair<std::string_view, std::optional<QString> *> fields[] = {
        {"name", &p.agentName}, {"version", &p.agentVersion}, {"run_id", &p.agentRunId}};
    for (const auto &[key, field] : fields) {
        if (Status s = optionalString(*o, key, *field); !s)
            return s;
        if (field->has_value()) {
            if (Status s = intake::checkLine(**field, QStringLiteral("$.agent.") + fromView(key), m_limits); !s)
                return s;
        }
    }
    return {};
}

Status Reader::readArtifacts(const JsonObject &root)
{
    Result<JsonValue> value = root.require("artifacts");
    if (!value)
        return value.error();
    Result<JsonArray> list = value->toArray();
    if (!list)
        return list.error();
    if (list->size() == 0)
        return list->error(QStringLiteral("no_artifacts"), QStringLiteral("a proposal needs at least one artifact"));
    if (list->size() > m_limits.maxArtifacts)
        return list->error(QStringLiteral("too_many_artifacts"),
                           QStringLiteral("%1 artifacts, more than the limit of %2")
                               .arg(list->size())
                               .arg(m_limits.maxArtifacts));
    for (const JsonValue item : *list) {
        Result<ArtifactSpec> spec = readArtifact(item);
        if (!spec)
            return spec.error();
        if (!m_names.emplace(spec->kind, spec->name).second)
            return usage(QStringLiteral("duplicate_artifact"), spec->jsonPath + QStringLiteral(".name"),
                         QStringLiteral("another %1 artifact is already named %2")
                             .arg(toString(spec->kind), quoteForMessage(spec->name)));
        m_specs.push_back(std::move(*spec));
    }
    return {};
}

Result<ArtifactSpec> Reader::readArtifact(const JsonValue &value)
{
    Result<JsonObject> o = value.toObject();
    if (!o)
        return o.error();
    if (Status s = o->allowOnly({"kind"sv, "name"sv, "content_utf8"sv, "content_base64"sv, "path"sv, "before_utf8"sv,
                                 "before_base64"sv, "before_path"sv, "after_utf8"sv, "after_base64"sv,
                                 "after_path"sv});
        !s)
        return s.error();
    ArtifactSpec spec;
    spec.jsonPath = o->path();
    if (Result<JsonValue> kind = o->require("kind"); !kind)
        return kind.error();
    std::optional<ArtifactKind> kind;
    if (Status s = optionalEnum(*o, "kind", &parseArtifactKind,
                                QStringLiteral("terraform-plan, terraform-planfile, unified-diff, file-pair, "
                                               "k8s-manifest or command"),
                                kind);
        !s)
        return s.error();
    spec.kind = *kind;
    Result<JsonValue> name = o->require("name");
    if (!name)
        return name.error();
    Result<QString> nameText = name->toString();
    if (!nameText)
        return nameText.error();
    if (Status s = intake::checkArtifactName(*nameText, name->path(), m_limits); !s)
        return s.error();
    spec.name = *nameText;
    if (Status s = readContent(*o, spec); !s)
        return s.error();
    return spec;
}

Status Reader::readContent(const JsonObject &o, ArtifactSpec &spec)
{
    static constexpr std::string_view kSingle[] = {"content_utf8", "content_base64", "path"};
    static constexpr std::string_view kPair[] = {"before_utf8", "before_base64", "before_path",
                                                 "after_utf8",  "after_base64",  "after_path"};
    const bool pair = spec.kind == ArtifactKind::FilePair;
    const std::span<const std::string_view> forbidden = pair ? std::span<const std::string_view>(kSingle)
                                                             : std::span<const std::string_view>(kPair);
    for (std::string_view key : forbidden) {
        if (const std::optional<JsonValue> v = o.find(key))
            return v->error(QStringLiteral("unknown_key"),
                            pair ? QStringLiteral("a file-pair gives before_* and after_*, not %1").arg(fromView(key))
                                 : QStringLiteral("only a file-pair artifact has %1").arg(fromView(key)));
    }
    const std::string_view *keys = pair ? kPair : kSingle;
    for (int i = 0; i < (pair ? 2 : 1); ++i) {
        Result<PartSource> part = readForm(o, keys[i * 3], keys[i * 3 + 1], keys[i * 3 + 2]);
        if (!part)
            return part.error();
        spec.parts.push_back(*part);
    }
    if (!pair && spec.parts[0].form == Form::None)
        return o.error(QStringLiteral("missing_content"),
                       QStringLiteral("the artifact has no content: give one of content_utf8, content_base64, path"));
    if (pair && spec.parts[0].form == Form::None && spec.parts[1].form == Form::None)
        return o.error(QStringLiteral("missing_content"),
                       QStringLiteral("a file-pair needs before_* or after_* (or both)"));
    return {};
}

Result<PartSource> Reader::readForm(const JsonObject &o, std::string_view utf8Key, std::string_view base64Key,
                                    std::string_view pathKey)
{
    const std::pair<std::string_view, Form> keys[] = {{utf8Key, Form::Utf8}, {base64Key, Form::Base64}, {pathKey, Form::Path}};
    PartSource part;
    QString firstKey;
    for (const auto &[key, form] : keys) {
        const std::optional<JsonValue> v = o.find(key);
        if (!v)
            continue;
        if (part.form != Form::None)
            return v->error(QStringLiteral("ambiguous_content"),
                            QStringLiteral("give only one of %1, %2, %3 (%4 is given too)")
                                .arg(fromView(utf8Key), fromView(base64Key), fromView(pathKey), firstKey));
        Result<std::string_view> text = v->toUtf8();
        if (!text)
            return text.error();
        part = PartSource{form, *text, v->path()};
        firstKey = fromView(key);
        if (form == Form::Path && (text->empty() || text->find('\0') != std::string_view::npos))
            return v->error(QStringLiteral("invalid_value"), QStringLiteral("a file path must be non-empty, without NUL"));
        if (form != Form::Path) {
            if (const std::optional<JsonSpan> span = v->sourceSpan())
                m_inlineBytes += span->length;
        }
    }
    return part;
}

Status Reader::load(const ArtifactSpec &spec, Artifact &out, qint64 &revisionTotal) const
{
    out.kind = spec.kind;
    out.name = spec.name;
    out.parts.clear();
    qint64 artifactSize = 0;
    for (const PartSource &part : spec.parts) {
        Result<QByteArray> bytes = loadPart(part, artifactSize, revisionTotal);
        if (!bytes)
            return bytes.error();
        artifactSize += bytes->size();
        revisionTotal += bytes->size();
        out.parts.push_back(std::move(*bytes));
    }
    return {};
}

Result<QByteArray> Reader::loadPart(const PartSource &part, qint64 artifactSoFar, qint64 revisionSoFar) const
{
    switch (part.form) {
    case Form::None:
        return QByteArray();
    case Form::Utf8: {
        const auto size = static_cast<qint64>(part.text.size());
        if (Status s = intake::checkArtifactBytes(artifactSoFar, revisionSoFar, size, part.jsonPath, m_limits); !s)
            return s.error();
        return QByteArray(part.text.data(), static_cast<qsizetype>(size));
    }
    case Form::Base64: {
        const qint64 size = intake::base64DecodedSize(part.text);
        if (size >= 0) {
            if (Status s = intake::checkArtifactBytes(artifactSoFar, revisionSoFar, size, part.jsonPath, m_limits); !s)
                return s.error();
        }
        return intake::decodeBase64Strict(part.text, part.jsonPath);
    }
    case Form::Path:
        return readArtifactFile(part, artifactSoFar, revisionSoFar);
    }
    return QByteArray();
}

// Regular files only (a FIFO or /dev/zero has no size to check), the size
// checked against both caps before a byte is read, and a file that grows
// while we read is refused rather than read unbounded.
Result<QByteArray> Reader::readArtifactFile(const PartSource &part, qint64 artifactSoFar, qint64 revisionSoFar) const
{
    const QString given = fromView(part.text);
    if (QDir::isAbsolutePath(given))
        return usage(QStringLiteral("absolute_path"), part.jsonPath,
                     QStringLiteral("%1 is absolute: paths are relative to the proposal file")
                         .arg(quoteForMessage(given, 4096)));
    const QString file = m_baseDir.filePath(given);
    const QFileInfo info(file);
    const QString quoted = quoteForMessage(file, 4096);
    if (!info.exists())
        return usage(QStringLiteral("file_not_found"), part.jsonPath, QStringLiteral("no such file: %1").arg(quoted));
    if (!info.isFile())
        return usage(QStringLiteral("file_unreadable"), part.jsonPath,
                     QStringLiteral("%1 is not a regular file").arg(quoted));
    const qint64 size = info.size();
    if (Status s = intake::checkArtifactBytes(artifactSoFar, revisionSoFar, size, part.jsonPath, m_limits); !s)
        return usage(s.error().reason, part.jsonPath,
                     QStringLiteral("%1: %2").arg(quoted, s.error().message.mid(part.jsonPath.size() + 2)));
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return usage(QStringLiteral("file_unreadable"), part.jsonPath,
                     QStringLiteral("cannot read %1: %2").arg(quoted, f.errorString()));
    QByteArray bytes(static_cast<qsizetype>(size), Qt::Uninitialized);
    qint64 got = 0;
    while (got < size) {
        const qint64 r = f.read(bytes.data() + got, size - got);
        if (r <= 0)
            break;
        got += r;
    }
    char extra = 0;
    if (got != size || f.read(&extra, 1) != 0)
        return usage(QStringLiteral("file_unreadable"), part.jsonPath,
                     QStringLiteral("%1 changed size while being read").arg(quoted));
    return bytes;
}

// stdin, read in chunks up to `cap` bytes; one byte more is an error.
Result<QByteArray> readStdin(qint64 cap)
{
    QByteArray out;
    constexpr qint64 kChunk = 1 << 16;
    for (;;) {
        const qint64 room = std::min(kChunk, cap + 1 - out.size());
        if (room <= 0)
            return usage(QStringLiteral("too_large"), QStringLiteral("<stdin>"),
                         QStringLiteral("the proposal is more than the limit of %1 bytes").arg(cap));
        const qsizetype at = out.size();
        out.resize(at + static_cast<qsizetype>(room));
        const ssize_t r = ::read(STDIN_FILENO, out.data() + at, static_cast<size_t>(room));
        if (r < 0 && errno == EINTR) {
            out.resize(at);
            continue;
        }
        if (r < 0)
            return usage(QStringLiteral("file_unreadable"), QStringLiteral("<stdin>"),
                         QStringLiteral("cannot read: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        out.resize(at + static_cast<qsizetype>(r));
        if (r == 0)
            return out;
    }
}

Result<QByteArray> readProposalFile(const QString &path, qint64 cap)
{
    const QFileInfo info(path);
    if (!info.exists())
        return usage(QStringLiteral("file_not_found"), path, QStringLiteral("no such file"));
    if (!info.isFile())
        return usage(QStringLiteral("file_unreadable"), path, QStringLiteral("not a regular file"));
    if (info.size() > cap)
        return usage(QStringLiteral("too_large"), path,
                     QStringLiteral("the proposal is %1 bytes, more than the limit of %2 bytes").arg(info.size()).arg(cap));
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return usage(QStringLiteral("file_unreadable"), path, f.errorString());
    QByteArray bytes;
    StrictJson::reservePadded(bytes, info.size()); // lets simdjson parse in place
    bytes.resize(static_cast<qsizetype>(info.size()));
    const qint64 got = f.read(bytes.data(), info.size());
    char extra = 0;
    if (got != info.size() || f.read(&extra, 1) != 0)
        return usage(QStringLiteral("file_unreadable"), path, QStringLiteral("changed size while being read"));
    return bytes;
}

} // namespace

Result<Proposal> ProposalParser::parse(const QByteArray &json, const QDir &baseDir) const
{
    Result<Proposal> p = Reader(m_limits, baseDir).read(json, {});
    if (!p)
        return p;
    if (Status s = validate(*p); !s)
        return s.error();
    return p;
}

Result<Proposal> ProposalParser::parseFile(const QString &path) const
{
    const bool isStdin = path == QStringLiteral("-");
    const qint64 cap = intake::maxInputBytes(m_limits);
    Result<QByteArray> bytes = isStdin ? readStdin(cap) : readProposalFile(path, cap);
    if (!bytes)
        return bytes.error();
    const QString source = isStdin ? QStringLiteral("<stdin>") : path;
    const QDir baseDir = isStdin ? QDir::current() : QFileInfo(path).absoluteDir();
    Result<Proposal> p = Reader(m_limits, baseDir).read(*bytes, source);
    if (p) {
        if (Status s = validate(*p); !s)
            p = s.error();
    }
    if (!p) {
        Error e = p.error();
        e.message = source + QStringLiteral(": ") + e.message;
        return e;
    }
    return p;
}

Status ProposalParser::validate(Proposal &proposal) const
{
    if (Status s = intake::checkProposal(proposal, m_limits); !s)
        return s;
    hashArtifacts(proposal.artifacts);
    return {};
}

} // namespace hp
