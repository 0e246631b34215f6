#include "plan/planparser.h"

#include "plan/planconfigparser.h"
#include "plan/plandocument.h"
#include "plan/planreader.h"
#include "plan/planvalues.h"
#include "plan/secretcollector.h"

#include <QFile>
#include <QFileInfo>

namespace hp {

namespace {

struct ActionShape
{
    const char *written;
    PlanAction action;
    ReplaceOrder order;
};

// Every action list Terraform writes (internals/json-format; "forget" since
// 1.7, ["create","forget"] since 1.9).
constexpr ActionShape kActionShapes[] = {
    {"no-op", PlanAction::NoOp, ReplaceOrder::None},
    {"create", PlanAction::Create, ReplaceOrder::None},
    {"read", PlanAction::Read, ReplaceOrder::None},
    {"update", PlanAction::Update, ReplaceOrder::None},
    {"delete", PlanAction::Delete, ReplaceOrder::None},
    {"forget", PlanAction::Forget, ReplaceOrder::None},
    {"delete,create", PlanAction::Replace, ReplaceOrder::DestroyThenCreate},
    {"create,delete", PlanAction::Replace, ReplaceOrder::CreateThenDestroy},
    {"create,forget", PlanAction::Replace, ReplaceOrder::CreateThenForget},
};

struct PendingOutput
{
    int index;
    OptElement before;
    OptElement after;
};

struct PendingVariable
{
    int index;
    OptElement value;
};

Status checkFormatVersion(const JsonValue &v, QString &out)
{
    auto text = v.toString();
    if (!text)
        return text.error();
    const QString major = text->section(QLatin1Char('.'), 0, 0);
    bool ok = false;
    const int number = major.toInt(&ok);
    if (!ok || major.size() > 4 || text->size() > 32)
        return planread::invalidValue(v, QStringLiteral("format_version is not a version number"));
    if (number >= 2)
        return v.error(QStringLiteral("unsupported_version"),
                       QStringLiteral("format_version %1 is not supported: Holdpoint reads plans of format 0.x and "
                                      "1.x, and a new major version may change what fields mean")
                           .arg(*text));
    out = *text;
    return {};
}

Status parseActions(const JsonValue &v, PlanResourceChange &rc)
{
    if (Status s = planread::stringList(v, rc.actions); !s)
        return s;
    const QString joined = rc.actions.join(QLatin1Char(','));
    for (const ActionShape &shape : kActionShapes) {
        if (joined == QLatin1String(shape.written)) {
            rc.action = shape.action;
            rc.replaceOrder = shape.order;
            return {};
        }
    }
    return planread::invalidValue(v, QStringLiteral("unsupported actions [%1]: Holdpoint does not know what this "
                                                    "plan would do, so it refuses it")
                                         .arg(joined.left(120)));
}

Status parseImporting(const JsonObject &change, PlanResourceChange &rc)
{
    auto v = planread::field(change, "importing");
    if (!v)
        return {};
    auto importing = v->toObject();
    if (!importing)
        return importing.error();
    rc.importing = true;
    if (Status s = planread::string(*importing, "id", rc.importId); !s)
        return s;
    return planread::boolean(*importing, "unknown", rc.importIdUnknown);
}

Status parseChange(const JsonObject &change, PlanResourceChange &rc, RawChange &raw)
{
    auto actions = change.require("actions");
    if (!actions)
        return actions.error();
    if (Status s = parseActions(*actions, rc); !s)
        return s;
    raw.before = planread::raw(change, "before");
    raw.after = planread::raw(change, "after");
    for (auto [key, out] : {std::pair{"after_unknown", &raw.afterUnknown},
                            std::pair{"before_sensitive", &raw.beforeSensitive},
                            std::pair{"after_sensitive", &raw.afterSensitive}}) {
        if (Status s = planread::mask(change, key, *out); !s)
            return s;
    }
    if (Status s = planread::attributePaths(change, "replace_paths", rc.replacePaths); !s)
        return s;
    if (Status s = parseImporting(change, rc); !s)
        return s;
    rc.hasGeneratedConfig = planread::field(change, "generated_config").has_value();
    return {};
}

Status parseMode(const JsonObject &object, PlanResourceChange &rc)
{
    QString mode;
    if (Status s = planread::string(object, "mode", mode, true); !s)
        return s;
    if (mode == QLatin1String("managed"))
        rc.mode = ResourceMode::Managed;
    else if (mode == QLatin1String("data"))
        rc.mode = ResourceMode::Data;
    else
        return planread::invalidValue(*object.find("mode"), QStringLiteral("mode must be \"managed\" or \"data\""));
    return {};
}

Status parseResourceChange(const JsonValue &value, PlanResourceChange &rc, RawChange &raw, SecretCollector &secrets)
{
    auto object = value.toObject();
    if (!object)
        return object.error();
    const std::pair<const char *, QString *> strings[] = {
        {"address", &rc.address}, {"type", &rc.type}, {"name", &rc.name}};
    for (auto [key, out] : strings) {
        if (Status s = planread::string(*object, key, *out, true); !s)
            return s;
    }
    const std::pair<const char *, QString *> optional[] = {
        {"previous_address", &rc.previousAddress}, {"module_address", &rc.moduleAddress},
        {"provider_name", &rc.providerName}, {"deposed", &rc.deposed}, {"action_reason", &rc.reasonCode}};
    for (auto [key, out] : optional) {
        if (Status s = planread::string(*object, key, *out); !s)
            return s;
    }
    if (Status s = parseMode(*object, rc); !s)
        return s;
    rc.reason = parseActionReason(rc.reasonCode);
    if (auto index = planread::field(*object, "index")) {
        if (index->type() == JsonType::Object || index->type() == JsonType::Array)
            return index->wrongType(QStringLiteral("a number or a string"));
        rc.index = planvalue::render(index->raw(), Redactor(), planread::kMaxNameBytes);
    }
    auto change = object->require("change");
    if (!change)
        return change.error();
    auto changeObject = change->toObject();
    if (!changeObject)
        return changeObject.error();
    if (Status s = parseChange(*changeObject, rc, raw); !s)
        return s;
    secrets.addMasked(raw.before, raw.beforeSensitive);
    secrets.addMasked(raw.after, raw.afterSensitive);
    return {};
}

class ParseRun
{
public:
    ParseRun(PlanDocument &doc, Plan &plan) : m_doc(doc), m_plan(plan) {}

    Status run()
    {
        const JsonValue rootValue = m_doc.json.root();
        auto root = rootValue.toObject();
        if (!root)
            return root.error();
        if (Status s = header(*root); !s)
            return s;
        if (Status s = changeList(*root, "resource_changes", ChangeSet::Planned, m_doc.planned); !s)
            return s;
        if (Status s = changeList(*root, "resource_drift", ChangeSet::Drift, m_doc.drift); !s)
            return s;
        if (Status s = deferredList(*root); !s)
            return s;
        if (Status s = outputChanges(*root); !s)
            return s;
        if (Status s = variables(*root); !s)
            return s;
        if (Status s = context(*root); !s)
            return s;
        finish();
        return {};
    }

private:
    Status header(const JsonObject &root)
    {
        auto version = root.require("format_version");
        if (!version)
            return version.error();
        if (Status s = checkFormatVersion(*version, m_plan.formatVersion); !s)
            return s;
        for (auto [key, out] : {std::pair{"terraform_version", &m_plan.terraformVersion},
                                std::pair{"timestamp", &m_plan.timestamp}}) {
            if (Status s = planread::string(root, key, *out); !s)
                return s;
        }
        for (auto [key, out] : {std::pair{"applyable", &m_plan.applyable}, std::pair{"complete", &m_plan.complete},
                                std::pair{"errored", &m_plan.errored}}) {
            if (Status s = planread::boolean(root, key, *out); !s)
                return s;
        }
        return {};
    }

    Status changeList(const JsonObject &root, std::string_view key, ChangeSet set, std::vector<RawChange> &raws)
    {
        auto v = planread::field(root, key);
        if (!v)
            return {};
        auto list = v->toArray();
        if (!list)
            return list.error();
        std::vector<PlanResourceChange> &out = target(set);
        out.reserve(static_cast<size_t>(list->size()));
        raws.reserve(static_cast<size_t>(list->size()));
        for (const JsonValue &item : *list) {
            PlanResourceChange rc;
            RawChange raw;
            if (Status s = parseResourceChange(item, rc, raw, m_secrets); !s)
                return s;
            rc.set = set;
            rc.rawIndex = static_cast<int>(raws.size());
            out.push_back(std::move(rc));
            raws.push_back(raw);
        }
        return {};
    }

    Status deferredList(const JsonObject &root)
    {
        auto v = planread::field(root, "deferred_changes");
        if (!v)
            return {};
        auto list = v->toArray();
        if (!list)
            return list.error();
        for (const JsonValue &item : *list) {
            auto entry = item.toObject();
            if (!entry)
                return entry.error();
            PlanResourceChange rc;
            RawChange raw;
            if (Status s = planread::string(*entry, "reason", rc.deferredReason); !s)
                return s;
            auto change = entry->require("resource_change");
            if (!change)
                return change.error();
            if (Status s = parseResourceChange(*change, rc, raw, m_secrets); !s)
                return s;
            rc.set = ChangeSet::Deferred;
            rc.rawIndex = static_cast<int>(m_doc.deferred.size());
            m_plan.deferredChanges.push_back(std::move(rc));
            m_doc.deferred.push_back(raw);
        }
        return {};
    }

    Status outputChanges(const JsonObject &root)
    {
        auto v = planread::field(root, "output_changes");
        if (!v)
            return {};
        auto outputs = v->toObject();
        if (!outputs)
            return outputs.error();
        for (const JsonMember &m : *outputs) {
            auto change = m.value.toObject();
            if (!change)
                return change.error();
            PlanResourceChange shape;
            RawChange raw;
            if (Status s = parseChange(*change, shape, raw); !s)
                return s;
            PlanOutputChange out;
            out.name = planvalue::fromUtf8(m.key);
            out.actions = shape.actions;
            out.action = shape.action;
            out.sensitive = planvalue::anyTrue(raw.beforeSensitive) || planvalue::anyTrue(raw.afterSensitive);
            out.afterUnknown = planvalue::anyTrue(raw.afterUnknown);
            if (out.sensitive) {
                m_secrets.addSubtree(raw.before);
                m_secrets.addSubtree(raw.after);
            }
            m_pendingOutputs.push_back({static_cast<int>(m_plan.outputChanges.size()), raw.before, raw.after});
            m_plan.outputChanges.push_back(std::move(out));
        }
        return {};
    }

    Status variables(const JsonObject &root)
    {
        auto v = planread::field(root, "variables");
        if (!v)
            return {};
        auto vars = v->toObject();
        if (!vars)
            return vars.error();
        for (const JsonMember &m : *vars) {
            auto var = m.value.toObject();
            if (!var)
                return var.error();
            m_pendingVariables.push_back({static_cast<int>(m_plan.variables.size()), planread::raw(*var, "value")});
            m_plan.variables.push_back(PlanVariable{planvalue::fromUtf8(m.key), QString(), false});
        }
        return {};
    }

    // configuration, prior_state and planned_values.
    Status context(const JsonObject &root)
    {
        if (auto v = planread::field(root, "configuration")) {
            auto config = v->toObject();
            if (!config)
                return config.error();
            if (Status s = parseConfiguration(*config, m_config); !s)
                return s;
        }
        if (auto v = planread::field(root, "prior_state")) {
            auto prior = v->toObject();
            if (!prior)
                return prior.error();
            if (Status s = parsePriorState(*prior, m_plan.priorDependsOn, m_secrets); !s)
                return s;
        }
        if (auto v = planread::field(root, "planned_values")) {
            auto planned = v->toObject();
            if (!planned)
                return planned.error();
            if (Status s = parsePlannedValues(*planned, m_secrets); !s)
                return s;
        }
        return {};
    }

    void finish();
    void collectDeclaredSecrets();
    void renderValues();
    void addWarnings();

    std::vector<PlanResourceChange> &target(ChangeSet set)
    {
        return set == ChangeSet::Planned ? m_plan.resourceChanges
             : set == ChangeSet::Drift   ? m_plan.resourceDrift
                                         : m_plan.deferredChanges;
    }

    PlanDocument &m_doc;
    Plan &m_plan;
    SecretCollector m_secrets;
    ConfigParseState m_config{m_plan.configuration, m_secrets, {}};
    std::vector<PendingOutput> m_pendingOutputs;
    std::vector<PendingVariable> m_pendingVariables;
};

// Variables and outputs the root module declares sensitive.
void ParseRun::collectDeclaredSecrets()
{
    for (const ConfigVariable &decl : m_plan.configuration.variables) {
        if (!decl.sensitive || !decl.modulePath.isEmpty())
            continue;
        for (const PendingVariable &p : m_pendingVariables) {
            PlanVariable &var = m_plan.variables[static_cast<size_t>(p.index)];
            if (var.name == decl.name) {
                var.sensitive = true;
                m_secrets.addSubtree(p.value);
            }
        }
    }
    for (const PendingOutput &p : m_pendingOutputs) {
        PlanOutputChange &out = m_plan.outputChanges[static_cast<size_t>(p.index)];
        const ConfigOutput *decl = m_plan.configuration.findOutput(QString(), out.name);
        if (decl && decl->sensitive && !out.sensitive) {
            out.sensitive = true;
            m_secrets.addSubtree(p.before);
            m_secrets.addSubtree(p.after);
        }
    }
}

void ParseRun::renderValues()
{
    const Redactor &r = m_plan.redactor;
    auto text = [&](const OptElement &e, bool sensitive) {
        return sensitive ? Redactor::mask() : e ? planvalue::render(*e, r) : QStringLiteral("null");
    };
    for (const PendingVariable &p : m_pendingVariables) {
        PlanVariable &var = m_plan.variables[static_cast<size_t>(p.index)];
        var.value = text(p.value, var.sensitive);
    }
    for (const PendingOutput &p : m_pendingOutputs) {
        PlanOutputChange &out = m_plan.outputChanges[static_cast<size_t>(p.index)];
        out.hasBefore = p.before.has_value();
        out.hasAfter = p.after.has_value();
        out.before = out.hasBefore ? text(p.before, out.sensitive) : QString();
        out.after = out.hasAfter ? text(p.after, out.sensitive) : QString();
    }
    for (const auto &[index, value] : m_config.defaults) {
        ConfigVariable &var = m_plan.configuration.variables[static_cast<size_t>(index)];
        var.defaultValue = text(value, var.sensitive);
    }
}

void ParseRun::addWarnings()
{
    QStringList &w = m_plan.warnings;
    if (m_plan.errored)
        w << QStringLiteral("Terraform reported errors while planning (errored = true): this plan is incomplete "
                            "and does not show everything that would change.");
    if (!m_plan.complete)
        w << QStringLiteral("The plan is not complete (complete = false): applying it leaves further changes for "
                            "a later plan.");
    if (!m_plan.applyable)
        w << QStringLiteral("Terraform marks this plan as not applyable (applyable = false).");
    if (!m_plan.deferredChanges.empty())
        w << (m_plan.deferredChanges.size() == 1
                  ? QStringLiteral("1 change is deferred to a later plan.")
                  : QStringLiteral("%1 changes are deferred to a later plan.").arg(m_plan.deferredChanges.size()));
}

void ParseRun::finish()
{
    collectDeclaredSecrets();
    m_plan.redactor = m_secrets.build();
    renderValues();
    redactPlanNames(m_plan);
    addWarnings();
}

} // namespace

Result<Plan> PlanParser::parse(const QByteArray &json) const
{
    auto doc = std::make_shared<PlanDocument>(StrictJsonOptions{m_options.maxDepth, m_options.maxBytes, false,
                                                                m_options.source});
    if (Status s = doc->json.parse(json); !s)
        return s.error();
    Plan plan;
    ParseRun run(*doc, plan);
    if (Status s = run.run(); !s)
        return s.error();
    plan.document = std::move(doc);
    return plan;
}

Result<Plan> PlanParser::parseFile(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        const bool missing = !QFileInfo::exists(path);
        return makeError(missing ? ExitCode::NotFound : ExitCode::Usage,
                         missing ? QStringLiteral("not_found") : QStringLiteral("unreadable"),
                         QStringLiteral("cannot read the plan %1: %2").arg(path, file.errorString()), path);
    }
    const qint64 size = file.size();
    if (size > m_options.maxBytes)
        return makeError(ExitCode::Usage, QStringLiteral("too_large"),
                         QStringLiteral("the plan %1 is %2 bytes, more than the limit of %3 bytes")
                             .arg(path).arg(size).arg(m_options.maxBytes), path);
    QByteArray buffer;
    StrictJson::reservePadded(buffer, size);
    buffer.resize(static_cast<qsizetype>(size));
    if (file.read(buffer.data(), size) != size)
        return makeError(ExitCode::Usage, QStringLiteral("unreadable"),
                         QStringLiteral("cannot read the plan %1: %2").arg(path, file.errorString()), path);
    PlanParseOptions options = m_options;
    if (options.source.isEmpty())
        options.source = path;
    return PlanParser(options).parse(buffer);
}

} // namespace hp
