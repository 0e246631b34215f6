#include "plan/secretcollector.h"

#include "plan/planvalues.h"

namespace hp {

void SecretCollector::addSubtree(const OptElement &value)
{
    if (!value)
        return;
    if (planvalue::isObject(*value)) {
        const simdjson::dom::object fields = planvalue::objectOf(*value);
        for (auto field : fields)
            addSubtree(field.value);
    } else if (planvalue::isArray(*value)) {
        const simdjson::dom::array items = planvalue::arrayOf(*value);
        for (JsonElement item : items)
            addSubtree(item);
    } else {
        addLeaf(*value);
    }
}

void SecretCollector::addMasked(const OptElement &value, const OptElement &mask)
{
    if (!value || !mask)
        return;
    if (planvalue::isTrue(mask)) {
        addSubtree(value);
        return;
    }
    const bool bothObjects = planvalue::isObject(*mask) && planvalue::isObject(*value);
    const bool bothArrays = planvalue::isArray(*mask) && planvalue::isArray(*value);
    if (bothObjects) {
        const simdjson::dom::object fields = planvalue::objectOf(*mask);
        for (auto field : fields)
            addMasked(planvalue::member(value, field.key), field.value);
    } else if (bothArrays) {
        qint64 i = 0;
        const simdjson::dom::array items = planvalue::arrayOf(*mask);
        for (JsonElement item : items)
            addMasked(planvalue::element(value, i++), item);
    } else if (planvalue::anyTrue(mask)) {
        addSubtree(value);
    }
}

void SecretCollector::addLeaf(JsonElement leaf)
{
    if (leaf.is_string()) {
        const QString s = planvalue::fromUtf8(planvalue::stringOf(leaf));
        if (!s.isEmpty())
            m_secrets.insert(s);
    } else if (leaf.is_number()) {
        // Rendered as the diff renders numbers, so the same text is masked.
        m_secrets.insert(planvalue::render(leaf, Redactor()));
    }
}

Redactor SecretCollector::build() const
{
    return Redactor::fromSecrets(QStringList(m_secrets.cbegin(), m_secrets.cend()));
}

namespace {

void redactPath(AttributePath &path, const Redactor &r)
{
    for (PathStep &step : path) {
        if (!step.isIndex())
            step.key = r.redact(step.key);
    }
}

void redactExpressions(std::vector<ConfigExpression> &expressions, const Redactor &r)
{
    for (ConfigExpression &e : expressions) {
        redactPath(e.attribute, r);
        e.references = r.redact(e.references);
    }
}

void redactChange(PlanResourceChange &rc, const Redactor &r)
{
    for (QString *s : {&rc.address, &rc.previousAddress, &rc.moduleAddress, &rc.type, &rc.name, &rc.index,
                       &rc.providerName, &rc.deposed, &rc.reasonCode, &rc.importId, &rc.deferredReason})
        *s = r.redact(*s);
    rc.actions = r.redact(rc.actions);
    for (AttributePath &p : rc.replacePaths)
        redactPath(p, r);
}

void redactConfiguration(PlanConfiguration &config, const Redactor &r)
{
    for (ConfigResource &res : config.resources) {
        for (QString *s : {&res.address, &res.modulePath, &res.type, &res.name})
            *s = r.redact(*s);
        redactExpressions(res.expressions, r);
        res.metaReferences = r.redact(res.metaReferences);
        res.dependsOn = r.redact(res.dependsOn);
    }
    for (ConfigVariable &v : config.variables) {
        v.modulePath = r.redact(v.modulePath);
        v.name = r.redact(v.name);
    }
    for (ConfigOutput &o : config.outputs) {
        o.modulePath = r.redact(o.modulePath);
        o.name = r.redact(o.name);
        o.references = r.redact(o.references);
    }
    for (ConfigModuleCall &c : config.moduleCalls) {
        for (QString *s : {&c.modulePath, &c.name, &c.source})
            *s = r.redact(*s);
        redactExpressions(c.expressions, r);
        c.metaReferences = r.redact(c.metaReferences);
        c.dependsOn = r.redact(c.dependsOn);
    }
    config.index();
}

} // namespace

void redactPlanNames(Plan &plan)
{
    const Redactor &r = plan.redactor;
    if (r.isEmpty())
        return;
    for (auto *list : {&plan.resourceChanges, &plan.resourceDrift, &plan.deferredChanges}) {
        for (PlanResourceChange &rc : *list)
            redactChange(rc, r);
    }
    for (PlanOutputChange &o : plan.outputChanges)
        o.name = r.redact(o.name);
    for (PlanVariable &v : plan.variables)
        v.name = r.redact(v.name);
    redactConfiguration(plan.configuration, r);
    QHash<QString, QStringList> deps;
    for (auto it = plan.priorDependsOn.cbegin(); it != plan.priorDependsOn.cend(); ++it)
        deps.insert(r.redact(it.key()), r.redact(it.value()));
    plan.priorDependsOn = std::move(deps);
    plan.terraformVersion = r.redact(plan.terraformVersion);
    plan.timestamp = r.redact(plan.timestamp);
}

} // namespace hp
