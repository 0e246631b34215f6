#include "plan/cascade.h"

#include "plan/plandocument.h"
#include "plan/planreferences.h"
#include "plan/planvalues.h"

#include <QHash>

namespace hp {

namespace {

struct Candidate
{
    int upstream;            // index into plan.resourceChanges
    AttributePath attribute; // in the upstream resource
    QString reference;
    bool used = false;
};

QString joinAddress(const QString &base, const QString &attribute)
{
    return attribute.isEmpty() ? base : attribute.startsWith(u'[') ? base + attribute : base + u'.' + attribute;
}

bool canCascade(const PlanResourceChange &rc)
{
    return rc.mode == ResourceMode::Managed
        && (rc.action == PlanAction::Update || rc.action == PlanAction::Replace);
}

// Paths of the true leaves under `mask`, prefixed by `at`.
void unknownLeaves(const OptElement &mask, AttributePath &at, std::vector<AttributePath> &out)
{
    if (!mask)
        return;
    if (planvalue::isTrue(mask)) {
        out.push_back(at);
    } else if (planvalue::isObject(*mask)) {
        for (const auto &[key, value] : planvalue::sortedMembers(*mask)) {
            at.push_back(PathStep{planvalue::fromUtf8(key), -1});
            unknownLeaves(value, at, out);
            at.pop_back();
        }
    } else if (planvalue::isArray(*mask)) {
        qint64 i = 0;
        const simdjson::dom::array items = planvalue::arrayOf(*mask);
        for (JsonElement item : items) {
            at.push_back(PathStep{QString(), i++});
            unknownLeaves(item, at, out);
            at.pop_back();
        }
    }
}

class CascadeFinder
{
public:
    explicit CascadeFinder(const Plan &plan) : m_plan(plan)
    {
        for (int i = 0; i < static_cast<int>(plan.resourceChanges.size()); ++i) {
            const PlanResourceChange &rc = plan.resourceChanges[static_cast<size_t>(i)];
            if (canCascade(rc))
                m_byConfig[configAddressOf(rc.address)].push_back(i);
        }
    }

    std::vector<CascadeLink> run()
    {
        if (!m_plan.document)
            return {};
        for (const PlanResourceChange &rc : m_plan.resourceChanges) {
            if (!canCascade(rc))
                continue;
            const ConfigResource *config = m_plan.configuration.findResource(configAddressOf(rc.address));
            const RawChange *raw = m_plan.document->raw(rc);
            if (!config || !raw || !raw->afterUnknown)
                continue;
            for (const ConfigExpression &e : config->expressions)
                expression(rc, *config, *raw, e);
        }
        return std::move(m_links);
    }

private:
    void expression(const PlanResourceChange &dependent, const ConfigResource &config, const RawChange &raw,
                    const ConfigExpression &e)
    {
        std::vector<AttributePath> unknown;
        AttributePath at = e.attribute;
        if (planvalue::markedAt(raw.afterUnknown, e.attribute))
            unknown.push_back(e.attribute);
        else
            unknownLeaves(planvalue::at(raw.afterUnknown, e.attribute), at, unknown);
        if (unknown.empty())
            return;
        std::vector<Candidate> candidates = candidatesFor(dependent, config, e);
        if (candidates.empty())
            return;
        pair(dependent, raw, unknown, candidates);
    }

    // Upstream resources this expression references whose referenced
    // attribute is unknown in the plan. A whole-object reference counts only
    // when no attribute of the same resource is referenced as well.
    std::vector<Candidate> candidatesFor(const PlanResourceChange &dependent, const ConfigResource &config,
                                         const ConfigExpression &e) const
    {
        std::vector<Candidate> out;
        for (const QString &reference : e.references) {
            for (const ResolvedReference &r : resolveReference(m_plan.configuration, config.modulePath, reference)) {
                for (int index : m_byConfig.value(r.configAddress)) {
                    if (matches(dependent, config, r, index) && unknownUpstream(index, r.attribute))
                        out.push_back(Candidate{index, r.attribute, reference});
                }
            }
        }
        std::erase_if(out, [&](const Candidate &c) {
            return c.attribute.empty() && std::any_of(out.begin(), out.end(), [&](const Candidate &o) {
                return o.upstream == c.upstream && !o.attribute.empty();
            });
        });
        return out;
    }

    // The instance the reference means: the same module instance when the
    // upstream lives in the dependent's module, and the key it names.
    bool matches(const PlanResourceChange &dependent, const ConfigResource &config, const ResolvedReference &r,
                 int index) const
    {
        const PlanResourceChange &up = m_plan.resourceChanges[static_cast<size_t>(index)];
        if (configAddressOf(up.moduleAddress) == config.modulePath && up.moduleAddress != dependent.moduleAddress)
            return false;
        return r.instanceKey.isEmpty() || (!up.index.isEmpty() && r.instanceKey == u'[' + up.index + u']');
    }

    bool unknownUpstream(int index, const AttributePath &attribute) const
    {
        const RawChange *raw = m_plan.document->raw(m_plan.resourceChanges[static_cast<size_t>(index)]);
        if (!raw)
            return false;
        return attribute.empty() ? planvalue::anyTrue(raw->afterUnknown) : planvalue::markedAt(raw->afterUnknown, attribute);
    }

    // Which reference made which attribute unknown: where the dependent's old
    // value equals the upstream's old value, that pairs them; an attribute
    // no value explains is linked to every reference still unexplained.
    void pair(const PlanResourceChange &dependent, const RawChange &raw, const std::vector<AttributePath> &unknown,
              std::vector<Candidate> &candidates)
    {
        std::vector<bool> explained(unknown.size(), false);
        for (size_t u = 0; u < unknown.size(); ++u) {
            const OptElement old = planvalue::at(raw.before, unknown[u]);
            for (Candidate &c : candidates) {
                const RawChange *up = m_plan.document->raw(m_plan.resourceChanges[static_cast<size_t>(c.upstream)]);
                const OptElement upOld = up ? planvalue::at(up->before, c.attribute) : std::nullopt;
                if (old && upOld && !planvalue::isContainer(*old) && planvalue::deepEqual(*old, *upOld)) {
                    add(dependent, unknown[u], c);
                    c.used = true;
                    explained[u] = true;
                }
            }
        }
        const bool allUsed = std::all_of(candidates.begin(), candidates.end(), [](const Candidate &c) { return c.used; });
        for (size_t u = 0; u < unknown.size(); ++u) {
            if (explained[u])
                continue;
            for (const Candidate &c : candidates) {
                if (allUsed || !c.used)
                    add(dependent, unknown[u], c);
            }
        }
    }

    void add(const PlanResourceChange &dependent, const AttributePath &attribute, const Candidate &c)
    {
        const PlanResourceChange &up = m_plan.resourceChanges[static_cast<size_t>(c.upstream)];
        const Redactor &r = m_plan.redactor;
        CascadeLink link{up.address,
                         up.action,
                         r.redact(formatAttributePath(c.attribute)),
                         dependent.address,
                         dependent.action,
                         r.redact(formatAttributePath(attribute)),
                         c.reference};
        if (std::find(m_links.begin(), m_links.end(), link) == m_links.end())
            m_links.push_back(std::move(link));
    }

    const Plan &m_plan;
    QHash<QString, std::vector<int>> m_byConfig;
    std::vector<CascadeLink> m_links;
};

} // namespace

QString CascadeLink::describe() const
{
    const QString upstream = joinAddress(upstreamAddress, upstreamAttribute);
    const QString dependent = joinAddress(dependentAddress, dependentAttribute);
    const QString forced = dependentAction == PlanAction::Replace ? QStringLiteral("a replacement")
                                                                  : QStringLiteral("an update");
    return QStringLiteral("%1 is forced into %2: it references %3, unknown until the %4 of %5 is applied")
        .arg(dependent, forced, upstream, toString(upstreamAction), upstreamAddress);
}

std::vector<CascadeLink> findCascades(const Plan &plan)
{
    return CascadeFinder(plan).run();
}

} // namespace hp
