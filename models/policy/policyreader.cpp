#include "policy/policy.h"

#include "domain/sha256.h"
#include "topology/yamltree.h"

#include <QFile>
#include <QRegularExpression>

#include <functional>

namespace hp {

namespace {

const QStringList kFlagCodes{
    QStringLiteral("DATA_LOSS"),   QStringLiteral("SECURITY"),           QStringLiteral("MASS_CHANGE"),
    QStringLiteral("DESTRUCTIVE_COMMAND"), QStringLiteral("UNASSESSED"), QStringLiteral("DANGEROUS_TEXT"),
    QStringLiteral("ENV_MISMATCH"), QStringLiteral("CASCADE"),           QStringLiteral("UNMAPPED"),
    QStringLiteral("UNREGISTERED_AGENT"), QStringLiteral("INTENT_MISMATCH"),
};

// Reads one document; every check names file:line:column and the key path.
class Reader
{
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    Status document(const YamlNode &root, Policy &out);

private:
    using KeyHandler = std::function<Status(const YamlNode &, const QString &path)>;
    struct Key
    {
        const char *name;
        bool required;
        KeyHandler handle;
    };

    Error fail(const YamlNode &node, const QString &path, const QString &what) const
    {
        return makeError(ExitCode::Usage, QStringLiteral("invalid_policy"),
                         QStringLiteral("%1: %2: %3")
                             .arg(YamlTreeReader::location(m_source, node.line, node.column), path, what),
                         path);
    }
    Status mapping(const YamlNode &node, const QString &path, const std::vector<Key> &keys) const;
    Result<double> number(const YamlNode &node, const QString &path, double min, double max) const;
    Result<int> integer(const YamlNode &node, const QString &path, int min, int max) const;
    Result<bool> boolean(const YamlNode &node, const QString &path) const;
    Result<QString> text(const YamlNode &node, const QString &path) const;
    Result<qint64> duration(const YamlNode &node, const QString &path, bool allowZero) const;
    // A scalar or a list; an empty list only where `allowEmpty` (a setting
    // whose empty value means "none", unlike a rule's match lists).
    Result<QStringList> textList(const YamlNode &node, const QString &path, bool allowEmpty = false) const;
    Result<Impact> impact(const YamlNode &node, const QString &path) const;

    Status risk(const YamlNode &node, const QString &path, RiskConfig &risk) const;
    Status thresholds(const YamlNode &node, const QString &path, RiskConfig &risk) const;
    Status floors(const YamlNode &node, const QString &path, RiskConfig &risk) const;
    Status rule(const YamlNode &node, const QString &path, PolicyRule &rule) const;
    Status match(const YamlNode &node, const QString &path, PolicyMatch &match) const;

    QString m_source;
};

QString child(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

Status Reader::mapping(const YamlNode &node, const QString &path, const std::vector<Key> &keys) const
{
    if (!node.isMapping())
        return fail(node, path.isEmpty() ? QStringLiteral("(document)") : path, QStringLiteral("expected a mapping"));
    for (size_t i = 0; i < node.keys.size(); ++i) {
        const auto it = std::find_if(keys.begin(), keys.end(),
                                     [&](const Key &k) { return node.keys[i] == QLatin1String(k.name); });
        if (it == keys.end()) {
            QStringList names;
            for (const Key &k : keys)
                names << QLatin1String(k.name);
            return fail(node.items[i], child(path, node.keys[i]),
                        QStringLiteral("unknown key (expected one of: %1)").arg(names.join(QStringLiteral(", "))));
        }
        if (Status s = it->handle(node.items[i], child(path, node.keys[i])); !s)
            return s;
    }
    for (const Key &k : keys) {
        if (k.required && !node.value(QString::fromLatin1(k.name)))
            return fail(node, child(path, QLatin1String(k.name)), QStringLiteral("missing required key"));
    }
    return {};
}

Result<QString> Reader::text(const YamlNode &node, const QString &path) const
{
    if (!node.isScalar())
        return fail(node, path, QStringLiteral("expected a value"));
    return node.scalar;
}

Result<double> Reader::number(const YamlNode &node, const QString &path, double min, double max) const
{
    bool ok = false;
    const double v = node.isScalar() && node.plain ? node.scalar.toDouble(&ok) : 0.0;
    if (!ok || !(v >= min && v <= max))
        return fail(node, path, QStringLiteral("expected a number from %1 to %2").arg(min).arg(max));
    return v;
}

Result<int> Reader::integer(const YamlNode &node, const QString &path, int min, int max) const
{
    bool ok = false;
    const int v = node.isScalar() && node.plain ? node.scalar.toInt(&ok) : 0;
    if (!ok || v < min || v > max)
        return fail(node, path, QStringLiteral("expected an integer from %1 to %2").arg(min).arg(max));
    return v;
}

Result<bool> Reader::boolean(const YamlNode &node, const QString &path) const
{
    if (node.isScalar() && node.plain && (node.scalar == u"true" || node.scalar == u"false"))
        return node.scalar == u"true";
    return fail(node, path, QStringLiteral("expected true or false"));
}

Result<qint64> Reader::duration(const YamlNode &node, const QString &path, bool allowZero) const
{
    const std::optional<qint64> v = node.isScalar() ? parsePolicyDuration(node.scalar) : std::nullopt;
    if (!v || (*v == 0 && !allowZero))
        return fail(node, path,
                    QStringLiteral("expected a duration such as 15m, 4h or 1d12h (units d, h, m, s in that order)"));
    return *v;
}

Result<QStringList> Reader::textList(const YamlNode &node, const QString &path, bool allowEmpty) const
{
    QStringList out;
    if (node.isScalar())
        return QStringList{node.scalar};
    if (!node.isSequence() || (node.items.empty() && !allowEmpty))
        return fail(node, path,
                    allowEmpty ? QStringLiteral("expected a value or a list")
                               : QStringLiteral("expected a value or a non-empty list"));
    for (size_t i = 0; i < node.items.size(); ++i) {
        Result<QString> t = text(node.items[i], QStringLiteral("%1[%2]").arg(path).arg(i));
        if (!t)
            return t.error();
        out << *t;
    }
    return out;
}

Result<Impact> Reader::impact(const YamlNode &node, const QString &path) const
{
    const std::optional<Impact> v = node.isScalar() ? parseImpact(node.scalar) : std::nullopt;
    if (!v)
        return fail(node, path, QStringLiteral("expected a class: low, medium, high or critical"));
    return *v;
}

// Sets `target` from a number in [min, max] at `node`.
#define HP_NUMBER_KEY(KEY, TARGET, MIN, MAX)                                                            \
    Key{KEY, false, [&](const YamlNode &vn, const QString &vp) -> Status {                                \
            Result<double> v = number(vn, vp, MIN, MAX);                                                    \
            if (!v)                                                                                       \
                return v.error();                                                                         \
            TARGET = *v;                                                                                  \
            return {};                                                                                    \
        }}

Status Reader::risk(const YamlNode &node, const QString &path, RiskConfig &r) const
{
    constexpr double kBig = 1e6;
    const auto actions = [&](const YamlNode &n, const QString &p) -> Status {
        return mapping(n, p,
                       {HP_NUMBER_KEY("delete", r.actionDelete, 0, kBig), HP_NUMBER_KEY("replace", r.actionReplace, 0, kBig),
                        HP_NUMBER_KEY("update", r.actionUpdate, 0, kBig), HP_NUMBER_KEY("create", r.actionCreate, 0, kBig),
                        HP_NUMBER_KEY("forget", r.actionForget, 0, kBig)});
    };
    const auto environments = [&](const YamlNode &n, const QString &p) -> Status {
        if (!n.isMapping())
            return fail(n, p, QStringLiteral("expected a mapping of environment to weight"));
        r.environment.clear();
        for (size_t i = 0; i < n.keys.size(); ++i) {
            Result<double> v = number(n.items[i], child(p, n.keys[i]), 0, kBig);
            if (!v)
                return v.error();
            if (n.keys[i] == u"other")
                r.environmentOther = *v;
            else
                r.environment.insert(n.keys[i], *v);
        }
        return {};
    };
    const auto tiers = [&](const YamlNode &n, const QString &p) -> Status {
        return mapping(n, p, {HP_NUMBER_KEY("1", r.tier1, 0, kBig), HP_NUMBER_KEY("2", r.tier2, 0, kBig),
                              HP_NUMBER_KEY("3", r.tier3, 0, kBig)});
    };
    const auto massChange = [&](const YamlNode &n, const QString &p) -> Status {
        return mapping(n, p,
                       {{"count", false,
                         [&](const YamlNode &c, const QString &cp) -> Status {
                             Result<int> v = integer(c, cp, 1, 1000000);
                             if (v)
                                 r.massChangeCount = *v;
                             return v ? Status{} : Status{v.error()};
                         }},
                        {"window", false, [&](const YamlNode &c, const QString &cp) -> Status {
                             Result<qint64> v = duration(c, cp, false);
                             if (v)
                                 r.massChangeWindowSeconds = *v;
                             return v ? Status{} : Status{v.error()};
                         }}});
    };
    return mapping(node, path,
                   {{"action", false, actions},
                    {"environment", false, environments},
                    {"tier", false, tiers},
                    HP_NUMBER_KEY("customer_facing", r.customerFacing, 0, kBig),
                    HP_NUMBER_KEY("depth_decay", r.depthDecay, 1e-9, 1.0),
                    HP_NUMBER_KEY("impact_factor", r.impactFactor, 0, kBig),
                    HP_NUMBER_KEY("divisor", r.divisor, 1e-9, kBig),
                    {"thresholds", false, [&](const YamlNode &n, const QString &p) { return thresholds(n, p, r); }},
                    {"mass_change", false, massChange},
                    {"floors", false, [&](const YamlNode &n, const QString &p) { return floors(n, p, r); }}});
}

#undef HP_NUMBER_KEY

Status Reader::thresholds(const YamlNode &node, const QString &path, RiskConfig &r) const
{
    const auto key = [&](const char *name, int &target) {
        return Key{name, false, [&, name](const YamlNode &n, const QString &p) -> Status {
                       Result<int> v = integer(n, p, 1, 100);
                       if (v)
                           target = *v;
                       return v ? Status{} : Status{v.error()};
                   }};
    };
    if (Status s = mapping(node, path, {key("medium", r.thresholdMedium), key("high", r.thresholdHigh),
                                        key("critical", r.thresholdCritical)});
        !s)
        return s;
    if (!(r.thresholdMedium < r.thresholdHigh && r.thresholdHigh < r.thresholdCritical))
        return fail(node, path, QStringLiteral("thresholds must rise: medium < high < critical"));
    return {};
}

Status Reader::floors(const YamlNode &node, const QString &path, RiskConfig &r) const
{
    if (!node.isMapping())
        return fail(node, path, QStringLiteral("expected a mapping of flag to {environment: class}"));
    r.floors.clear();
    for (size_t i = 0; i < node.keys.size(); ++i) {
        const QString flagPath = child(path, node.keys[i]);
        const YamlNode &perEnv = node.items[i];
        if (!kFlagCodes.contains(node.keys[i]))
            return fail(perEnv, flagPath,
                        QStringLiteral("unknown flag (expected one of: %1)").arg(kFlagCodes.join(QStringLiteral(", "))));
        if (!perEnv.isMapping())
            return fail(perEnv, flagPath, QStringLiteral("expected a mapping of environment (or other) to class"));
        QMap<QString, Impact> classes;
        for (size_t j = 0; j < perEnv.keys.size(); ++j) {
            Result<Impact> c = impact(perEnv.items[j], child(flagPath, perEnv.keys[j]));
            if (!c)
                return c.error();
            classes.insert(perEnv.keys[j], *c);
        }
        r.floors.insert(node.keys[i], classes);
    }
    return {};
}

Status Reader::match(const YamlNode &node, const QString &path, PolicyMatch &m) const
{
    return mapping(
        node, path,
        {{"class", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              if (n.isSequence()) {
                  for (size_t i = 0; i < n.items.size(); ++i) {
                      Result<Impact> c = impact(n.items[i], QStringLiteral("%1[%2]").arg(p).arg(i));
                      if (!c)
                          return c.error();
                      m.classes << *c;
                  }
                  return n.items.empty() ? Status{fail(n, p, QStringLiteral("empty list"))} : Status{};
              }
              Result<Impact> c = impact(n, p);
              if (c)
                  m.classes << *c;
              return c ? Status{} : Status{c.error()};
          }},
         {"environment", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<QStringList> v = textList(n, p);
              if (v)
                  m.environments = *v;
              return v ? Status{} : Status{v.error()};
          }},
         {"flags", false, [&](const YamlNode &n, const QString &p) -> Status {
              Result<QStringList> v = textList(n, p);
              if (!v)
                  return v.error();
              for (const QString &f : std::as_const(*v))
                  if (!kFlagCodes.contains(f))
                      return fail(n, p, QStringLiteral("unknown flag %1").arg(f));
              m.flags = *v;
              return {};
          }}});
}

Status Reader::rule(const YamlNode &node, const QString &path, PolicyRule &out) const
{
    out.line = node.line;
    return mapping(
        node, path,
        {{"when", true, [&](const YamlNode &n, const QString &p) { return match(n, p, out.when); }},
         {"approvals", true,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<int> v = integer(n, p, 1, 100);
              if (v)
                  out.approvals = *v;
              return v ? Status{} : Status{v.error()};
          }},
         {"roles_any", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<QStringList> v = textList(n, p);
              if (!v)
                  return v.error();
              for (const QString &name : std::as_const(*v)) {
                  const std::optional<Role> role = parseRole(name);
                  if (!role || (*role != Role::Reviewer && *role != Role::Lead))
                      return fail(n, p, QStringLiteral("%1 cannot approve: expected reviewer or lead").arg(name));
                  out.rolesAny << *role;
              }
              return {};
          }},
         {"full_review", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<bool> v = boolean(n, p);
              if (v)
                  out.fullReview = *v;
              return v ? Status{} : Status{v.error()};
          }},
         {"sla", false, [&](const YamlNode &n, const QString &p) -> Status {
              Result<qint64> v = duration(n, p, false);
              if (v)
                  out.slaSeconds = *v;
              return v ? Status{} : Status{v.error()};
          }}});
}

Status Reader::document(const YamlNode &root, Policy &out)
{
    out.risk.targets.clear();
    const auto dur = [&](qint64 &target) {
        return [&](const YamlNode &n, const QString &p) -> Status {
            Result<qint64> v = duration(n, p, false);
            if (v)
                target = *v;
            return v ? Status{} : Status{v.error()};
        };
    };
    return mapping(
        root, QString(),
        {{"version", true,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<int> v = integer(n, p, 1, 1);
              if (v)
                  out.version = *v;
              return v ? Status{} : Status{v.error()};
          }},
         {"targets", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              if (!n.isMapping())
                  return fail(n, p, QStringLiteral("expected a mapping of target glob to environment"));
              for (size_t i = 0; i < n.keys.size(); ++i) {
                  Result<QString> env = text(n.items[i], child(p, n.keys[i]));
                  if (!env)
                      return env.error();
                  out.risk.targets.emplace_back(n.keys[i], *env);
              }
              return {};
          }},
         {"risk", false, [&](const YamlNode &n, const QString &p) { return risk(n, p, out.risk); }},
         {"rules", true,
          [&](const YamlNode &n, const QString &p) -> Status {
              if (!n.isSequence() || n.items.empty())
                  return fail(n, p, QStringLiteral("expected a non-empty list of rules"));
              for (size_t i = 0; i < n.items.size(); ++i) {
                  PolicyRule r;
                  if (Status s = rule(n.items[i], QStringLiteral("%1[%2]").arg(p).arg(i), r); !s)
                      return s;
                  out.rules.push_back(std::move(r));
              }
              return {};
          }},
         {"expiry", false, dur(out.expirySeconds)},
         {"approval_ttl", false, dur(out.approvalTtlSeconds)},
         {"on_sla_breach", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              if (n.isScalar() && (n.scalar == u"escalate" || n.scalar == u"none")) {
                  out.onSlaBreach = n.scalar == u"escalate" ? SlaBreachAction::Escalate : SlaBreachAction::None;
                  return {};
              }
              return fail(n, p, QStringLiteral("expected escalate or none"));
          }},
         {"require_registered_agents", false,
          [&](const YamlNode &n, const QString &p) -> Status {
              Result<bool> v = boolean(n, p);
              if (v)
                  out.requireRegisteredAgents = *v;
              return v ? Status{} : Status{v.error()};
          }},
         {"reason_required", false, [&](const YamlNode &n, const QString &p) -> Status {
              // `[]`: no decision needs a reason.
              Result<QStringList> v = textList(n, p, true);
              if (!v)
                  return v.error();
              out.reasonRequired.clear();
              for (const QString &name : std::as_const(*v)) {
                  const std::optional<DecisionAction> a = parseDecisionAction(name);
                  if (!a)
                      return fail(n, p, QStringLiteral("unknown decision %1").arg(name));
                  out.reasonRequired << *a;
              }
              return {};
          }}});
}

} // namespace

std::optional<qint64> parsePolicyDuration(QStringView text)
{
    static const QRegularExpression re(QStringLiteral("^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$"));
    if (text.isEmpty() || text.size() > 40)
        return std::nullopt;
    const QRegularExpressionMatch m = re.match(text.toString());
    if (!m.hasMatch())
        return std::nullopt;
    constexpr qint64 kUnits[] = {86400, 3600, 60, 1};
    qint64 total = 0;
    for (int i = 0; i < 4; ++i) {
        if (!m.hasCaptured(i + 1))
            continue;
        bool ok = false;
        const qint64 n = m.capturedView(i + 1).toLongLong(&ok);
        if (!ok || n > 100LL * 365 * 86400)
            return std::nullopt;
        total += n * kUnits[i];
    }
    return total;
}

QString formatPolicyDuration(qint64 seconds)
{
    if (seconds <= 0)
        return QStringLiteral("0s");
    QString out;
    constexpr std::pair<qint64, char16_t> kUnits[] = {{86400, u'd'}, {3600, u'h'}, {60, u'm'}, {1, u's'}};
    for (const auto &[size, unit] : kUnits) {
        if (seconds >= size) {
            out += QString::number(seconds / size) + QChar(unit);
            seconds %= size;
        }
    }
    return out;
}

const PolicyRule *Policy::ruleFor(Impact riskClass, const QString &environment, const QStringList &flags) const
{
    for (const PolicyRule &r : rules) {
        if (!r.when.classes.isEmpty() && !r.when.classes.contains(riskClass))
            continue;
        if (!r.when.environments.isEmpty() && !r.when.environments.contains(environment))
            continue;
        if (!r.when.flags.isEmpty()
            && std::none_of(r.when.flags.begin(), r.when.flags.end(),
                            [&](const QString &f) { return flags.contains(f); }))
            continue;
        return &r;
    }
    return nullptr;
}

Result<Policy> PolicyReader::read(const QByteArray &yaml, const QString &source)
{
    YamlReadOptions options;
    options.source = source;
    Result<std::vector<YamlNode>> docs = YamlTreeReader(options).read(yaml);
    if (!docs)
        return makeError(ExitCode::Usage, QStringLiteral("invalid_policy"), docs.error().message, docs.error().path);
    if (docs->size() != 1)
        return makeError(ExitCode::Usage, QStringLiteral("invalid_policy"),
                         QStringLiteral("%1: expected exactly one YAML document, found %2").arg(source).arg(docs->size()));
    Policy policy;
    if (Status s = Reader(source).document(docs->front(), policy); !s)
        return s.error();
    policy.source = yaml;
    policy.hash = Sha256::digest(yaml).toHex();
    return policy;
}

Result<Policy> PolicyReader::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    constexpr qint64 kMax = 1 << 20;
    const QByteArray bytes = file.read(kMax + 1);
    if (bytes.size() > kMax)
        return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                         QStringLiteral("%1: a policy document is at most 1 MiB").arg(path));
    return read(bytes, path);
}

Result<Policy> PolicyReader::builtin()
{
    return readFile(QStringLiteral(":/holdpoint/policy/default.yaml"));
}

} // namespace hp
