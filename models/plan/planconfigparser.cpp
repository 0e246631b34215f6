#include "plan/planconfigparser.h"

#include "plan/planreader.h"
#include "plan/planvalues.h"

namespace hp {

namespace {

QString joinPath(const QString &modulePath, const QString &rest)
{
    return modulePath.isEmpty() ? rest : modulePath + QLatin1Char('.') + rest;
}

// An expression object carries only constant_value and/or references;
// anything else is a nested block of expressions.
bool isExpression(const JsonObject &object)
{
    if (object.size() == 0)
        return false;
    for (const JsonMember &m : object) {
        if (m.key != "constant_value" && m.key != "references")
            return false;
    }
    return true;
}

Status walkExpressions(const JsonObject &expressions, AttributePath &prefix, std::vector<ConfigExpression> &out);

Status walkExpressionValue(const JsonValue &value, AttributePath &prefix, std::vector<ConfigExpression> &out)
{
    if (value.type() == JsonType::Object) {
        const JsonObject object = value.toObject().value();
        if (!isExpression(object))
            return walkExpressions(object, prefix, out);
        ConfigExpression expression{prefix, {}};
        if (Status s = planread::stringList(object, "references", expression.references); !s)
            return s;
        if (!expression.references.isEmpty())
            out.push_back(std::move(expression));
    } else if (value.type() == JsonType::Array) {
        const JsonArray blocks = value.toArray().value();
        qint64 i = 0;
        for (const JsonValue &block : blocks) {
            prefix.push_back(PathStep{QString(), i++});
            Status s = block.type() == JsonType::Object ? walkExpressions(block.toObject().value(), prefix, out) : Status();
            prefix.pop_back();
            if (!s)
                return s;
        }
    }
    return {};
}

Status walkExpressions(const JsonObject &expressions, AttributePath &prefix, std::vector<ConfigExpression> &out)
{
    for (const JsonMember &m : expressions) {
        prefix.push_back(PathStep{planvalue::fromUtf8(m.key), -1});
        Status s = walkExpressionValue(m.value, prefix, out);
        prefix.pop_back();
        if (!s)
            return s;
    }
    return {};
}

Status expressionsOf(const JsonObject &owner, std::vector<ConfigExpression> &out)
{
    auto v = planread::field(owner, "expressions");
    if (!v)
        return {};
    auto object = v->toObject();
    if (!object)
        return object.error();
    AttributePath prefix;
    return walkExpressions(*object, prefix, out);
}

// References of count_expression and for_each_expression.
Status metaReferences(const JsonObject &owner, QStringList &out)
{
    for (std::string_view key : {std::string_view("count_expression"), std::string_view("for_each_expression")}) {
        auto v = planread::field(owner, key);
        if (!v)
            continue;
        auto object = v->toObject();
        if (!object)
            return object.error();
        if (Status s = planread::stringList(*object, "references", out); !s)
            return s;
    }
    return {};
}

Status parseResource(const JsonValue &value, const QString &modulePath, PlanConfiguration &config)
{
    auto object = value.toObject();
    if (!object)
        return object.error();
    ConfigResource r;
    QString address, mode;
    if (Status s = planread::string(*object, "address", address, true); !s)
        return s;
    for (auto [key, out] : {std::pair{"type", &r.type}, std::pair{"name", &r.name}, std::pair{"mode", &mode}}) {
        if (Status s = planread::string(*object, key, *out); !s)
            return s;
    }
    if (mode == QLatin1String("data"))
        r.mode = ResourceMode::Data;
    else if (!mode.isEmpty() && mode != QLatin1String("managed"))
        return planread::invalidValue(*planread::field(*object, "mode"), QStringLiteral("mode must be managed or data"));
    const bool prefixed = !modulePath.isEmpty() && address.startsWith(modulePath + QLatin1Char('.'));
    r.address = prefixed ? address : joinPath(modulePath, address);
    r.modulePath = modulePath;
    if (Status s = expressionsOf(*object, r.expressions); !s)
        return s;
    if (Status s = metaReferences(*object, r.metaReferences); !s)
        return s;
    if (Status s = planread::stringList(*object, "depends_on", r.dependsOn); !s)
        return s;
    config.resources.push_back(std::move(r));
    return {};
}

Status parseVariables(const JsonObject &module, const QString &modulePath, ConfigParseState &st)
{
    auto v = planread::field(module, "variables");
    if (!v)
        return {};
    auto variables = v->toObject();
    if (!variables)
        return variables.error();
    for (const JsonMember &m : *variables) {
        auto decl = m.value.toObject();
        if (!decl)
            return decl.error();
        ConfigVariable var{modulePath, planvalue::fromUtf8(m.key), false, false, {}};
        if (Status s = planread::boolean(*decl, "sensitive", var.sensitive); !s)
            return s;
        if (auto def = decl->find("default")) {
            var.hasDefault = true;
            st.defaults.emplace_back(static_cast<int>(st.config.variables.size()), def->raw());
            if (var.sensitive)
                st.secrets.addSubtree(def->raw());
        }
        st.config.variables.push_back(std::move(var));
    }
    return {};
}

Status parseOutputs(const JsonObject &module, const QString &modulePath, PlanConfiguration &config)
{
    auto v = planread::field(module, "outputs");
    if (!v)
        return {};
    auto outputs = v->toObject();
    if (!outputs)
        return outputs.error();
    for (const JsonMember &m : *outputs) {
        auto decl = m.value.toObject();
        if (!decl)
            return decl.error();
        ConfigOutput output{modulePath, planvalue::fromUtf8(m.key), false, {}};
        if (Status s = planread::boolean(*decl, "sensitive", output.sensitive); !s)
            return s;
        if (auto expression = planread::field(*decl, "expression")) {
            auto e = expression->toObject();
            if (!e)
                return e.error();
            if (Status s = planread::stringList(*e, "references", output.references); !s)
                return s;
        }
        config.outputs.push_back(std::move(output));
    }
    return {};
}

Status parseModule(const JsonObject &module, const QString &modulePath, ConfigParseState &st);

// A child module's sensitive variables receive their values from the call's
// expressions: a constant given there is as secret as the variable.
void collectSensitiveInputs(const JsonObject &call, const QString &childPath, int firstVariable, ConfigParseState &st)
{
    auto expressions = planread::field(call, "expressions");
    if (!expressions)
        return;
    for (int i = firstVariable; i < static_cast<int>(st.config.variables.size()); ++i) {
        const ConfigVariable &var = st.config.variables[static_cast<size_t>(i)];
        if (!var.sensitive || var.modulePath != childPath)
            continue;
        const QByteArray name = var.name.toUtf8();
        const OptElement input = planvalue::member(expressions->raw(), std::string_view(name.constData(), static_cast<size_t>(name.size())));
        st.secrets.addSubtree(planvalue::member(input, "constant_value"));
    }
}

Status parseModuleCall(const JsonMember &m, const QString &modulePath, ConfigParseState &st)
{
    auto call = m.value.toObject();
    if (!call)
        return call.error();
    ConfigModuleCall c;
    c.name = planvalue::fromUtf8(m.key);
    c.modulePath = joinPath(modulePath, QStringLiteral("module.") + c.name);
    if (Status s = planread::string(*call, "source", c.source); !s)
        return s;
    if (Status s = expressionsOf(*call, c.expressions); !s)
        return s;
    if (Status s = metaReferences(*call, c.metaReferences); !s)
        return s;
    if (Status s = planread::stringList(*call, "depends_on", c.dependsOn); !s)
        return s;
    const int firstVariable = static_cast<int>(st.config.variables.size());
    if (auto child = planread::field(*call, "module")) {
        auto childModule = child->toObject();
        if (!childModule)
            return childModule.error();
        if (Status s = parseModule(*childModule, c.modulePath, st); !s)
            return s;
    }
    collectSensitiveInputs(*call, c.modulePath, firstVariable, st);
    st.config.moduleCalls.push_back(std::move(c));
    return {};
}

Status parseModule(const JsonObject &module, const QString &modulePath, ConfigParseState &st)
{
    if (auto resources = planread::field(module, "resources")) {
        auto list = resources->toArray();
        if (!list)
            return list.error();
        for (const JsonValue &r : *list) {
            if (Status s = parseResource(r, modulePath, st.config); !s)
                return s;
        }
    }
    if (Status s = parseVariables(module, modulePath, st); !s)
        return s;
    if (Status s = parseOutputs(module, modulePath, st.config); !s)
        return s;
    if (auto calls = planread::field(module, "module_calls")) {
        auto object = calls->toObject();
        if (!object)
            return object.error();
        for (const JsonMember &m : *object) {
            if (Status s = parseModuleCall(m, modulePath, st); !s)
                return s;
        }
    }
    return {};
}

// outputs of a state representation: {name: {sensitive, value}}.
Status stateOutputs(const JsonObject &values, SecretCollector &secrets)
{
    auto outputs = planread::field(values, "outputs");
    if (!outputs)
        return {};
    auto object = outputs->toObject();
    if (!object)
        return object.error();
    for (const JsonMember &m : *object) {
        auto output = m.value.toObject();
        if (!output)
            return output.error();
        bool sensitive = false;
        if (Status s = planread::boolean(*output, "sensitive", sensitive); !s)
            return s;
        if (sensitive)
            secrets.addSubtree(planread::raw(*output, "value"));
    }
    return {};
}

Status stateResource(const JsonValue &value, QHash<QString, QStringList> *dependsOn, SecretCollector &secrets)
{
    auto r = value.toObject();
    if (!r)
        return r.error();
    QString address;
    if (Status s = planread::string(*r, "address", address, true); !s)
        return s;
    OptElement sensitive;
    if (Status s = planread::mask(*r, "sensitive_values", sensitive); !s)
        return s;
    secrets.addMasked(planread::raw(*r, "values"), sensitive);
    if (dependsOn) {
        QStringList deps;
        if (Status s = planread::stringList(*r, "depends_on", deps); !s)
            return s;
        if (!deps.isEmpty())
            dependsOn->insert(address, deps);
    }
    return {};
}

Status stateModule(const JsonObject &module, QHash<QString, QStringList> *dependsOn, SecretCollector &secrets)
{
    if (auto resources = planread::field(module, "resources")) {
        auto list = resources->toArray();
        if (!list)
            return list.error();
        for (const JsonValue &r : *list) {
            if (Status s = stateResource(r, dependsOn, secrets); !s)
                return s;
        }
    }
    if (auto children = planread::field(module, "child_modules")) {
        auto list = children->toArray();
        if (!list)
            return list.error();
        for (const JsonValue &child : *list) {
            auto object = child.toObject();
            if (!object)
                return object.error();
            if (Status s = stateModule(*object, dependsOn, secrets); !s)
                return s;
        }
    }
    return {};
}

Status stateValues(const JsonObject &owner, QHash<QString, QStringList> *dependsOn, SecretCollector &secrets)
{
    auto values = planread::field(owner, "values");
    if (!values)
        return {};
    auto object = values->toObject();
    if (!object)
        return object.error();
    if (Status s = stateOutputs(*object, secrets); !s)
        return s;
    if (auto root = planread::field(*object, "root_module")) {
        auto module = root->toObject();
        if (!module)
            return module.error();
        return stateModule(*module, dependsOn, secrets);
    }
    return {};
}

} // namespace

Status parseConfiguration(const JsonObject &configuration, ConfigParseState &state)
{
    if (auto root = planread::field(configuration, "root_module")) {
        auto module = root->toObject();
        if (!module)
            return module.error();
        if (Status s = parseModule(*module, QString(), state); !s)
            return s;
    }
    state.config.index();
    return {};
}

Status parsePriorState(const JsonObject &priorState, QHash<QString, QStringList> &dependsOn, SecretCollector &secrets)
{
    return stateValues(priorState, &dependsOn, secrets);
}

Status parsePlannedValues(const JsonObject &plannedValues, SecretCollector &secrets)
{
    if (Status s = stateOutputs(plannedValues, secrets); !s)
        return s;
    if (auto root = planread::field(plannedValues, "root_module")) {
        auto module = root->toObject();
        if (!module)
            return module.error();
        return stateModule(*module, nullptr, secrets);
    }
    return {};
}

} // namespace hp
