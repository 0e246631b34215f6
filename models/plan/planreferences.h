#pragma once

#include "plan/plandata.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>
#include <vector>

// References of a plan's configuration ("terraform_data.database.id",
// "module.net.subnet_ids", "data.aws_ami.base.id") read as what they name, and
// the dependencies between resources that follow from them (DESIGN §3
// Topology: depends_on plus every reference naming a managed resource, cut to
// the resource address, prefixed with the module path; prior_state
// depends_on for resources without configuration).
namespace hp {

struct ParsedReference
{
    enum class Kind { Resource, ModuleOutput, Other };
    Kind kind = Kind::Other;
    ResourceMode mode = ResourceMode::Managed;
    QString resource;        // type.name or data.type.name, relative to its module
    QString moduleCall;      // ModuleOutput: the call's name
    QString output;          // ModuleOutput: the output's name
    QString instanceKey;     // "[0]", "[\"a\"]" when the reference names one instance
    AttributePath attribute; // what follows the resource (or the output)
};

// nullopt when the text is not a traversal Terraform would write.
std::optional<ParsedReference> parseReference(QStringView text);

// The configuration address of a resource instance address:
// module.a[0].aws_x.y["k"] → module.a.aws_x.y.
QString configAddressOf(QStringView instanceAddress);

struct ResolvedReference
{
    QString configAddress;   // module path included
    QString instanceKey;
    AttributePath attribute; // empty for a whole-object reference or through a module output
};

// What `reference`, written in the module at `modulePath`, names among the
// managed resources of the configuration; module outputs are followed into
// the child module.
std::vector<ResolvedReference> resolveReference(const PlanConfiguration &config, const QString &modulePath,
                                                QStringView reference);

// Managed resources (configuration addresses) a configuration resource
// depends on; depends_on naming a module stands for every resource in it.
QStringList configDependencies(const PlanConfiguration &config, const ConfigResource &resource);

// For every managed resource change (by address): the configuration
// addresses it depends on, from its configuration block, else from prior_state.
QHash<QString, QStringList> resourceDependencies(const Plan &plan);

} // namespace hp
