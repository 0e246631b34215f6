#pragma once

#include "plan/sensitivity.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <memory>
#include <vector>

// What a Terraform plan (`terraform show -json`, format 0.x and 1.x) says, as
// read by PlanParser (DESIGN §3 Assessment). Every string in these structures
// has passed through the plan's Redactor: sensitive values never appear here
// (DESIGN §9). Attribute values are not copied: AttributeDiff renders them on
// demand from the parsed document, which the Plan keeps alive.
namespace hp {

class PlanDocument;

enum class PlanAction { NoOp, Create, Read, Update, Replace, Delete, Forget };

// The order of a replacement's two halves: ["delete","create"] destroys the
// old object first (a gap in service); ["create","delete"] is
// create_before_destroy; ["create","forget"] keeps the old object, unmanaged.
enum class ReplaceOrder { None, DestroyThenCreate, CreateThenDestroy, CreateThenForget };

enum class ResourceMode { Managed, Data };

// Terraform's action_reason codes. A code this build does not know reads as
// Unspecified; the raw code is kept beside it.
enum class ActionReason {
    Unspecified,
    ReplaceBecauseTainted,
    ReplaceBecauseCannotUpdate,
    ReplaceByRequest,
    ReplaceByTriggers,
    DeleteBecauseNoResourceConfig,
    DeleteBecauseWrongRepetition,
    DeleteBecauseCountIndex,
    DeleteBecauseEachKey,
    DeleteBecauseNoModule,
    DeleteBecauseNoMoveTarget,
    ReadBecauseConfigUnknown,
    ReadBecauseDependencyPending,
    ReadBecauseCheckNested,
};

// Which list of the plan a resource change came from.
enum class ChangeSet { Planned, Drift, Deferred };

QString toString(PlanAction action);     // create, update, replace, delete, read, no-op, forget
QString toString(ReplaceOrder order);    // "destroy, then create", ... ; empty for None
QString toString(ActionReason reason);   // the Terraform code; empty for Unspecified
QString toString(ChangeSet set);         // planned, drift, deferred
ActionReason parseActionReason(QStringView code);
// The reason in words, e.g. "a changed attribute forces replacement"; empty
// for Unspecified.
QString describeActionReason(ActionReason reason);

// One step into a value: an object key or a list index (index >= 0).
struct PathStep
{
    QString key;
    qint64 index = -1;

    bool isIndex() const { return index >= 0; }
    bool operator==(const PathStep &other) const = default;
};
using AttributePath = std::vector<PathStep>;

// `input.engine_version`, `tags["Name"]`, `rules[0].port`. Keys that look like
// schema attributes (lower-case snake_case) follow a dot, other keys (map keys)
// are bracketed and quoted; JSON carries no schema, so this is the convention
// Terraform's own renderer makes visible.
QString formatAttributePath(const AttributePath &path);
// True when `prefix` equals `path` or leads to it.
bool isPathPrefix(const AttributePath &prefix, const AttributePath &path);

struct PlanResourceChange
{
    QString address;
    QString previousAddress; // set when the resource was moved
    QString moduleAddress;   // empty in the root module
    ResourceMode mode = ResourceMode::Managed;
    QString type;
    QString name;
    QString index;           // instance key as JSON text (0, "blue"); empty when none
    QString providerName;
    QString deposed;         // deposed object key, when this change is about one
    QStringList actions;     // as written in the plan
    PlanAction action = PlanAction::NoOp;
    ReplaceOrder replaceOrder = ReplaceOrder::None;
    ActionReason reason = ActionReason::Unspecified;
    QString reasonCode;      // as written, also when unknown to this build
    std::vector<AttributePath> replacePaths;
    bool importing = false;
    QString importId;
    bool importIdUnknown = false;
    bool hasGeneratedConfig = false;
    ChangeSet set = ChangeSet::Planned;
    QString deferredReason;  // deferred_changes only
    int rawIndex = -1;       // position in its list, for the document's values

    bool isMoved() const { return !previousAddress.isEmpty() && previousAddress != address; }
    // DESIGN §3: managed, and the action is neither no-op nor read.
    bool isChanged() const;
    bool isDestructive() const { return action == PlanAction::Delete || action == PlanAction::Replace; }
};

struct PlanOutputChange
{
    QString name;
    QStringList actions;
    PlanAction action = PlanAction::NoOp;
    bool sensitive = false;
    bool hasBefore = false;
    bool hasAfter = false;
    bool afterUnknown = false;
    QString before; // compact JSON, "(sensitive)" when sensitive
    QString after;
};

// An input variable's value as the plan records it.
struct PlanVariable
{
    QString name;
    QString value;         // compact JSON, "(sensitive)" when declared sensitive
    bool sensitive = false;
};

// An attribute (or nested block attribute) of a configuration block and the
// references its expression makes, e.g. input → [terraform_data.database.id].
struct ConfigExpression
{
    AttributePath attribute;
    QStringList references;
};

struct ConfigResource
{
    QString address;    // with the module path: module.net.aws_subnet.a
    QString modulePath; // module.net (no instance keys); empty in the root module
    ResourceMode mode = ResourceMode::Managed;
    QString type;
    QString name;
    std::vector<ConfigExpression> expressions;
    QStringList metaReferences; // count / for_each expressions
    QStringList dependsOn;      // as written, relative to modulePath
};

struct ConfigVariable
{
    QString modulePath;
    QString name;
    bool sensitive = false;
    bool hasDefault = false;
    QString defaultValue; // compact JSON, "(sensitive)" when sensitive
};

struct ConfigOutput
{
    QString modulePath;
    QString name;
    bool sensitive = false;
    QStringList references;
};

struct ConfigModuleCall
{
    QString modulePath; // the called module's path: module.a.module.b
    QString name;
    QString source;
    std::vector<ConfigExpression> expressions; // one per input variable
    QStringList metaReferences;
    QStringList dependsOn;
};

struct PlanConfiguration
{
    std::vector<ConfigResource> resources;
    std::vector<ConfigVariable> variables;
    std::vector<ConfigOutput> outputs;
    std::vector<ConfigModuleCall> moduleCalls;

    const ConfigResource *findResource(const QString &address) const;
    const ConfigOutput *findOutput(const QString &modulePath, const QString &name) const;
    const ConfigModuleCall *findModuleCall(const QString &modulePath) const;
    void index(); // builds the lookup tables; the parser calls it

private:
    QHash<QString, int> m_resources;
    QHash<QString, int> m_outputs;
    QHash<QString, int> m_calls;
};

struct Plan
{
    QString formatVersion;
    QString terraformVersion;
    QString timestamp;
    bool applyable = true;
    bool complete = true;
    bool errored = false;
    QStringList warnings; // for people; a plan with errored=true carries one

    std::vector<PlanResourceChange> resourceChanges;
    std::vector<PlanResourceChange> resourceDrift;
    std::vector<PlanResourceChange> deferredChanges;
    std::vector<PlanOutputChange> outputChanges;
    std::vector<PlanVariable> variables;
    PlanConfiguration configuration;
    // prior_state depends_on per resource address (transitive, as Terraform
    // records it); used for resources that have no configuration block.
    QHash<QString, QStringList> priorDependsOn;

    // Masks every sensitive string of this plan in any text derived from it.
    Redactor redactor;
    // The parsed values behind the attribute diffs (internal to models/plan).
    std::shared_ptr<const PlanDocument> document;

    // Indexes into resourceChanges of the changed resources (DESIGN §3).
    std::vector<int> changedResources() const;
    int findResourceChange(const QString &address) const; // -1 when absent
};

} // namespace hp
