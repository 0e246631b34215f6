#include "blast/blastnodes.h"

#include "diff/dangeroustext.h"

namespace hp {

namespace {

QString shown(const QString &text)
{
    return diff::DangerousText::escapedString(text);
}

} // namespace

bool isOwnNode(const QString &id)
{
    return id.startsWith(QLatin1String("terraform:")) || id.startsWith(QLatin1String("k8s:"));
}

QString blastShortRef(const QString &ref)
{
    QString rest = ref.mid(ref.indexOf(u':') + 1); // no colon: the whole reference
    if (rest.startsWith(QLatin1String("default/")))
        rest = rest.mid(8);
    return rest;
}

BlastNodeInfo blastNodeInfo(const QString &id, const Topology &topology)
{
    BlastNodeInfo info;
    info.id = id;
    const qsizetype colon = id.indexOf(u':');
    info.kind = colon > 0 ? id.left(colon) : QString();
    const TopologyNode *node = topology.node(id);
    if (node == nullptr || isOwnNode(id) || node->name.isEmpty()) {
        info.name = shown(isOwnNode(id) ? id.mid(colon + 1) : blastShortRef(id));
    } else {
        const bool defaultNs = node->ns.isEmpty() || node->ns == QLatin1String("default");
        info.name = shown(defaultNs ? node->name : node->ns + u'/' + node->name);
    }
    if (node != nullptr) {
        if (!node->kind.isEmpty())
            info.kind = node->kind;
        info.tier = node->tier;
        info.owner = shown(blastShortRef(node->owner));
        info.environment = shown(node->environment);
        info.customerFacing = node->customerFacing;
    }
    return info;
}

QString blastPathText(const QStringList &path, const Topology &topology)
{
    QStringList names;
    names.reserve(path.size());
    for (const QString &id : path)
        names << blastNodeInfo(id, topology).name;
    return names.join(QStringLiteral(" → "));
}

QString formatTerm(double value)
{
    return QString::number(value, 'f', 4);
}

QString formatFactor(double value)
{
    QString text = QString::number(value, 'f', 4);
    while (text.endsWith(u'0'))
        text.chop(1);
    if (text.endsWith(u'.'))
        text.chop(1);
    return text == QLatin1String("-0") ? QStringLiteral("0") : text;
}

} // namespace hp
