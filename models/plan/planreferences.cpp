#include "plan/planreferences.h"

#include <QSet>

namespace hp {

namespace {

struct Token
{
    QString name;          // identifier, or the key of a quoted bracket
    qint64 index = -1;     // numeric bracket
    bool bracket = false;
    QString raw;           // the bracket as written, [0] or ["a"]
};

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-';
}

qsizetype readIdentifier(QStringView s, qsizetype i, QString &out)
{
    const qsizetype start = i;
    while (i < s.size() && isIdentifierChar(s[i]))
        ++i;
    out = s.sliced(start, i - start).toString();
    return i;
}

// A bracket at s[i] == '['; returns the position after ']' or -1.
qsizetype readBracket(QStringView s, qsizetype i, Token &t)
{
    const qsizetype start = i++;
    t.bracket = true;
    if (i < s.size() && s[i] == u'"') {
        for (++i; i < s.size() && s[i] != u'"'; ++i) {
            if (s[i] == u'\\' && i + 1 < s.size())
                ++i;
            t.name += s[i];
        }
        ++i; // closing quote
    } else {
        const qsizetype digits = i;
        while (i < s.size() && s[i].isDigit())
            ++i;
        bool ok = false;
        t.index = s.sliced(digits, i - digits).toLongLong(&ok);
        if (!ok)
            return -1;
    }
    if (i >= s.size() || s[i] != u']')
        return -1;
    t.raw = s.sliced(start, i + 1 - start).toString();
    return i + 1;
}

std::optional<std::vector<Token>> tokenize(QStringView s)
{
    std::vector<Token> tokens;
    qsizetype i = 0;
    while (i < s.size()) {
        Token t;
        if (s[i] == u'[') {
            i = readBracket(s, i, t);
        } else {
            if (!tokens.empty()) {
                if (s[i] != u'.')
                    return std::nullopt;
                ++i;
            }
            i = readIdentifier(s, i, t.name);
            if (t.name.isEmpty())
                return std::nullopt;
        }
        if (i < 0)
            return std::nullopt;
        tokens.push_back(std::move(t));
    }
    if (tokens.empty() || tokens.front().bracket)
        return std::nullopt;
    return tokens;
}

QString joinPath(const QString &modulePath, const QString &rest)
{
    return modulePath.isEmpty() ? rest : modulePath + QLatin1Char('.') + rest;
}

// Reads "NAME[key]?" at tokens[i] into what/key; returns the next position.
size_t nameAndKey(const std::vector<Token> &t, size_t i, QString &what, QString &key)
{
    if (i >= t.size() || t[i].bracket)
        return 0;
    what = t[i].name;
    ++i;
    if (i < t.size() && t[i].bracket)
        key = t[i++].raw;
    return i;
}

constexpr int kMaxModuleDepth = 64;

void resolveInto(const PlanConfiguration &config, const QString &modulePath, QStringView reference, int depth,
                 std::vector<ResolvedReference> &out)
{
    const auto parsed = parseReference(reference);
    if (!parsed || depth > kMaxModuleDepth)
        return;
    if (parsed->kind == ParsedReference::Kind::Resource && parsed->mode == ResourceMode::Managed) {
        out.push_back({joinPath(modulePath, parsed->resource), parsed->instanceKey, parsed->attribute});
    } else if (parsed->kind == ParsedReference::Kind::ModuleOutput && !parsed->output.isEmpty()) {
        const QString child = joinPath(modulePath, QStringLiteral("module.") + parsed->moduleCall);
        if (const ConfigOutput *output = config.findOutput(child, parsed->output)) {
            for (const QString &r : output->references)
                resolveInto(config, child, r, depth + 1, out);
        }
    }
}

} // namespace

std::optional<ParsedReference> parseReference(QStringView text)
{
    const auto tokens = tokenize(text);
    if (!tokens)
        return std::nullopt;
    const std::vector<Token> &t = *tokens;
    static const QSet<QString> kOther = {QStringLiteral("var"),  QStringLiteral("local"), QStringLiteral("each"),
                                         QStringLiteral("count"), QStringLiteral("path"), QStringLiteral("terraform"),
                                         QStringLiteral("self")};
    ParsedReference ref;
    const QString &head = t.front().name;
    if (kOther.contains(head))
        return ref;
    size_t next = 0;
    if (head == QLatin1String("module")) {
        ref.kind = ParsedReference::Kind::ModuleOutput;
        next = nameAndKey(t, 1, ref.moduleCall, ref.instanceKey);
        if (next == 0)
            return std::nullopt;
        if (next < t.size() && !t[next].bracket)
            ref.output = t[next++].name;
    } else {
        const bool data = head == QLatin1String("data");
        const size_t typeAt = data ? 1 : 0;
        if (typeAt >= t.size() || t[typeAt].bracket)
            return std::nullopt;
        QString name;
        next = nameAndKey(t, typeAt + 1, name, ref.instanceKey);
        if (next == 0)
            return std::nullopt;
        ref.kind = ParsedReference::Kind::Resource;
        ref.mode = data ? ResourceMode::Data : ResourceMode::Managed;
        ref.resource = (data ? QStringLiteral("data.") : QString()) + t[typeAt].name + QLatin1Char('.') + name;
    }
    for (; next < t.size(); ++next)
        ref.attribute.push_back(t[next].bracket && t[next].index >= 0 ? PathStep{QString(), t[next].index}
                                                                      : PathStep{t[next].name, -1});
    return ref;
}

QString configAddressOf(QStringView instanceAddress)
{
    QString out;
    out.reserve(instanceAddress.size());
    int depth = 0;
    bool quoted = false;
    for (qsizetype i = 0; i < instanceAddress.size(); ++i) {
        const QChar c = instanceAddress[i];
        if (quoted) {
            if (c == u'\\')
                ++i;
            else if (c == u'"')
                quoted = false;
        } else if (c == u'[') {
            ++depth;
        } else if (c == u']') {
            --depth;
        } else if (depth > 0) {
            quoted = c == u'"';
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<ResolvedReference> resolveReference(const PlanConfiguration &config, const QString &modulePath,
                                                QStringView reference)
{
    std::vector<ResolvedReference> out;
    resolveInto(config, modulePath, reference, 0, out);
    return out;
}

QStringList configDependencies(const PlanConfiguration &config, const ConfigResource &resource)
{
    QStringList out;
    QSet<QString> seen{resource.address};
    auto add = [&](const QString &address) {
        if (!seen.contains(address)) {
            seen.insert(address);
            out.append(address);
        }
    };
    QStringList references = resource.metaReferences;
    for (const ConfigExpression &e : resource.expressions)
        references += e.references;
    for (const QString &r : std::as_const(references)) {
        for (const ResolvedReference &resolved : resolveReference(config, resource.modulePath, r))
            add(resolved.configAddress);
    }
    for (const QString &d : resource.dependsOn) {
        const auto parsed = parseReference(d);
        if (parsed && parsed->kind == ParsedReference::Kind::Resource && parsed->mode == ResourceMode::Managed) {
            add(joinPath(resource.modulePath, parsed->resource));
        } else if (parsed && parsed->kind == ParsedReference::Kind::ModuleOutput) {
            const QString module = joinPath(resource.modulePath, QStringLiteral("module.") + parsed->moduleCall);
            for (const ConfigResource &other : config.resources) {
                const bool inside = other.modulePath == module || other.modulePath.startsWith(module + QLatin1Char('.'));
                if (inside && other.mode == ResourceMode::Managed)
                    add(other.address);
            }
        }
    }
    return out;
}

QHash<QString, QStringList> resourceDependencies(const Plan &plan)
{
    QHash<QString, QStringList> out;
    QHash<QString, QStringList> byConfig;
    for (const PlanResourceChange &rc : plan.resourceChanges) {
        if (rc.mode != ResourceMode::Managed)
            continue;
        const QString configAddress = configAddressOf(rc.address);
        const ConfigResource *config = plan.configuration.findResource(configAddress);
        if (!config) {
            out.insert(rc.address, plan.priorDependsOn.value(rc.address));
            continue;
        }
        auto cached = byConfig.constFind(configAddress);
        if (cached == byConfig.cend())
            cached = byConfig.insert(configAddress, configDependencies(plan.configuration, *config));
        out.insert(rc.address, *cached);
    }
    return out;
}

} // namespace hp
