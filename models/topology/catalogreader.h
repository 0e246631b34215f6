#pragma once

#include "domain/result.h"
#include "topology/topology.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <utility>
#include <vector>

// Reads Backstage catalog YAML (DESIGN §3 Topology) into a Topology.
//
// - Multi-document files; aliases, anchors, duplicate keys, invalid UTF-8 and
//   deep nesting refused with file:line:column (YamlTreeReader).
// - Every entity is validated as Backstage does: apiVersion and kind present,
//   metadata.name matching [A-Za-z0-9][-_.A-Za-z0-9]* with at most 63
//   characters, metadata.namespace [a-z0-9]+(-[a-z0-9]+)* with at most 63.
//   An invalid entity fails the whole read, naming file:line:column.
// - Kinds Component, Resource, System, API and Group become nodes. Other
//   Backstage kinds (User, Domain, Location, Template, ...) are validated and
//   then ignored: they carry no dependency the risk model uses.
// - Entity references `[kind:][namespace/]name` take the referring entity's
//   namespace by default. Default kinds follow Backstage's built-in
//   processor: owner → Group, system → System, consumesApis/providesApis →
//   API; dependsOn and dependencyOf have no default kind, so a reference
//   without one is refused, as Backstage refuses it.
// - Edges (dependent → dependency): dependsOn (self → ref), dependencyOf
//   (ref → self), and consumer → provider for an API one entity consumes and
//   another provides (the API adds no hop). owner and system add no edge.
// - holdpoint.dev annotations: terraform-address (newline- or
//   comma-separated, commas inside brackets kept), k8s-object
//   (Kind/namespace/name), environment, tier ("1".."3"), data-bearing,
//   customer-facing, security-sensitive ("true" or "false"); a malformed
//   value is refused like an invalid entity.
namespace hp {

class CatalogReader
{
public:
    // Reads one YAML stream; `source` names it in messages.
    static Result<Topology> read(const QByteArray &yaml, const QString &source);
    static Result<Topology> readFile(const QString &path);
    // All files as one catalog: references may cross files; an entity defined
    // twice is refused.
    static Result<Topology> readFiles(const QStringList &paths);
    // The same from bytes already read (a stored topology's sources): each
    // pair is (name used in messages, YAML bytes).
    static Result<Topology> readStreams(const std::vector<std::pair<QString, QByteArray>> &streams);

    // Splits a terraform-address annotation: newlines, or commas outside brackets.
    static QStringList splitAddresses(const QString &annotation);
};

} // namespace hp
