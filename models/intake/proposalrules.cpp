#include "intake/proposalrules.h"

#include "intake/strictjson.h"

#include <set>
#include <utility>

namespace hp::intake {

namespace {

Error invalid(const QString &path, const QString &what, const QString &reason = QStringLiteral("invalid_value"))
{
    return makeError(ExitCode::Usage, reason, path + QStringLiteral(": ") + what, path);
}

// Characters as people count them: code points, not UTF-16 units.
qsizetype codePoints(const QString &s)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (!(s.at(i).isLowSurrogate() && i > 0 && s.at(i - 1).isHighSurrogate()))
            ++n;
    }
    return n;
}

bool isControl(char16_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F);
}

QString describeChar(char16_t c)
{
    return QStringLiteral("U+") + QString::number(static_cast<unsigned>(c), 16).toUpper().rightJustified(4, QLatin1Char('0'));
}

// Common checks: well-formed text (no lone surrogates from a CLI argument),
// a length in code points, and controls (`allowed` lists the ones let through).
Status checkText(const QString &value, const QString &path, qsizetype maxChars, std::u16string_view allowed,
                 bool allowAllC1 = false)
{
    if (!QStringView(value).isValidUtf16())
        return invalid(path, QStringLiteral("contains a lone surrogate (not valid Unicode text)"));
    const qsizetype n = codePoints(value);
    if (n > maxChars)
        return invalid(path, QStringLiteral("is %1 characters long, more than the limit of %2").arg(n).arg(maxChars));
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        if (!isControl(c) || allowed.find(c) != std::u16string_view::npos)
            continue;
        if (allowAllC1 && c >= 0x7F)
            continue;
        return invalid(path, QStringLiteral("contains the control character %1 at character %2")
                                 .arg(describeChar(c))
                                 .arg(i + 1));
    }
    return {};
}

Status notEmpty(const QString &value, const QString &path)
{
    if (value.isEmpty())
        return invalid(path, QStringLiteral("must not be empty (leave the key out instead)"));
    return {};
}

} // namespace

QString artifactPath(qsizetype index)
{
    return QStringLiteral("$.artifacts[%1]").arg(index);
}

qint64 maxInputBytes(const IntakeLimits &limits)
{
    return limits.maxEnvelopeBytes + (limits.maxRevisionBytes + 2) / 3 * 4;
}

Status checkLine(const QString &value, const QString &path, const IntakeLimits &limits)
{
    return checkText(value, path, limits.maxStringChars, {});
}

Status checkTitle(const QString &value, const QString &path, const IntakeLimits &limits)
{
    if (Status s = notEmpty(value, path); !s)
        return s;
    return checkText(value, path, std::min(kMaxTitleChars, limits.maxStringChars), {});
}

Status checkIntent(const QString &value, const QString &path, const IntakeLimits &limits)
{
    return checkText(value, path, limits.maxStringChars, u"\t\n\r");
}

Status checkLogin(const QString &value, const QString &path)
{
    if (value.isEmpty() || value.size() > kMaxLoginChars || value.startsWith(QLatin1Char('-')))
        return invalid(path, QStringLiteral("is not a login (1 to %1 of A-Z a-z 0-9 . _ @ $ -, not starting with -)")
                                 .arg(kMaxLoginChars));
    for (QChar ch : value) {
        const char16_t c = ch.unicode();
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                        c == u'.' || c == u'_' || c == u'@' || c == u'$' || c == u'-';
        if (!ok)
            return invalid(path, QStringLiteral("is not a login (character %1 is not allowed)").arg(describeChar(c)));
    }
    return {};
}

Status checkEnvironment(const QString &value, const QString &path)
{
    bool ok = !value.isEmpty() && value.size() <= kMaxEnvironmentChars;
    for (qsizetype i = 0; ok && i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        ok = alnum || (i > 0 && (c == u'_' || c == u'-'));
    }
    if (!ok)
        return invalid(path, QStringLiteral("is not an environment name ([a-z0-9][a-z0-9_-]{0,63})"));
    return {};
}

Status checkTarget(const QString &value, const QString &path)
{
    if (Status s = notEmpty(value, path); !s)
        return s;
    return checkText(value, path, kMaxTargetChars, {});
}

Status checkIdempotencyKey(const QString &value, const QString &path)
{
    if (Status s = notEmpty(value, path); !s)
        return s;
    if (value.size() > kMaxIdempotencyChars)
        return invalid(path, QStringLiteral("is %1 characters long, more than the limit of %2")
                                 .arg(value.size())
                                 .arg(kMaxIdempotencyChars));
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char16_t c = value.at(i).unicode();
        if (c < 0x20 || c > 0x7E)
            return invalid(path, QStringLiteral("must be printable ASCII (character %1 at %2 is not)")
                                     .arg(describeChar(c))
                                     .arg(i + 1));
    }
    return {};
}

Status checkArtifactName(const QString &value, const QString &path, const IntakeLimits &limits)
{
    if (value.isEmpty())
        return invalid(path, QStringLiteral("an artifact name must not be empty"), QStringLiteral("invalid_name"));
    const qsizetype maxChars = std::min(kMaxNameChars, limits.maxStringChars);
    Status s = checkText(value, path, maxChars, {}, true);
    if (!s)
        return makeError(ExitCode::Usage, QStringLiteral("invalid_name"), s.error().message, path);
    return {};
}

Status checkArtifactBytes(qint64 artifactSoFar, qint64 revisionSoFar, qint64 size, const QString &path,
                          const IntakeLimits &limits)
{
    if (size > limits.maxArtifactBytes - artifactSoFar)
        return invalid(path,
                       QStringLiteral("the artifact is at least %1 bytes, more than the per-artifact limit of %2 bytes")
                           .arg(artifactSoFar + size)
                           .arg(limits.maxArtifactBytes),
                       QStringLiteral("too_large"));
    if (size > limits.maxRevisionBytes - revisionSoFar)
        return invalid(path,
                       QStringLiteral("the artifacts total at least %1 bytes, more than the per-revision limit of %2 bytes")
                           .arg(revisionSoFar + size)
                           .arg(limits.maxRevisionBytes),
                       QStringLiteral("too_large"));
    return {};
}

namespace {

Status checkFields(const Proposal &p, const IntakeLimits &limits)
{
    using Check = Status (*)(const QString &, const QString &, const IntakeLimits &);
    const std::pair<const std::optional<QString> *, std::pair<const char16_t *, Check>> lines[] = {
        {&p.title, {u"$.title", &checkTitle}},
        {&p.agentName, {u"$.agent.name", &checkLine}},
        {&p.agentVersion, {u"$.agent.version", &checkLine}},
        {&p.agentRunId, {u"$.agent.run_id", &checkLine}},
        {&p.intent, {u"$.intent", &checkIntent}},
    };
    for (const auto &[field, rule] : lines) {
        if (field->has_value()) {
            if (Status s = rule.second(**field, QString::fromUtf16(rule.first), limits); !s)
                return s;
        }
    }
    if (p.operatorLogin) {
        if (Status s = checkLogin(*p.operatorLogin, QStringLiteral("$.operator")); !s)
            return s;
    }
    if (p.environment) {
        if (Status s = checkEnvironment(*p.environment, QStringLiteral("$.environment")); !s)
            return s;
    }
    if (p.target) {
        if (Status s = checkTarget(*p.target, QStringLiteral("$.target")); !s)
            return s;
    }
    if (!p.idempotencyKey.isEmpty())
        return checkIdempotencyKey(p.idempotencyKey, QStringLiteral("$.idempotency_key"));
    return {};
}

} // namespace

Status checkProposal(const Proposal &p, const IntakeLimits &limits)
{
    if (Status s = checkFields(p, limits); !s)
        return s;
    const qsizetype count = static_cast<qsizetype>(p.artifacts.size());
    if (count == 0)
        return invalid(QStringLiteral("$.artifacts"), QStringLiteral("a proposal needs at least one artifact"),
                       QStringLiteral("no_artifacts"));
    if (count > limits.maxArtifacts)
        return invalid(QStringLiteral("$.artifacts"),
                       QStringLiteral("%1 artifacts, more than the limit of %2").arg(count).arg(limits.maxArtifacts),
                       QStringLiteral("too_many_artifacts"));
    std::set<std::pair<ArtifactKind, QString>> seen;
    qint64 total = 0;
    for (qsizetype i = 0; i < count; ++i) {
        const Artifact &a = p.artifacts[static_cast<size_t>(i)];
        const QString path = artifactPath(i);
        if (Status s = checkArtifactName(a.name, path + QStringLiteral(".name"), limits); !s)
            return s;
        const size_t wanted = a.kind == ArtifactKind::FilePair ? 2 : 1;
        if (a.parts.size() != wanted)
            return invalid(path, QStringLiteral("a %1 artifact has %2 part(s), not %3")
                                     .arg(toString(a.kind))
                                     .arg(a.parts.size())
                                     .arg(wanted));
        if (Status s = checkArtifactBytes(0, total, a.totalSize(), path, limits); !s)
            return s;
        total += a.totalSize();
        if (!seen.emplace(a.kind, a.name).second)
            return invalid(path + QStringLiteral(".name"),
                           QStringLiteral("another %1 artifact is already named %2").arg(toString(a.kind), quoteForMessage(a.name)),
                           QStringLiteral("duplicate_artifact"));
    }
    return {};
}

} // namespace hp::intake
