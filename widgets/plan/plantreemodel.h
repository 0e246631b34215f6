#pragma once

#include "plan/plandata.h"

#include <QAbstractItemModel>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

// The resources of one Terraform plan for PlanView, grouped by action with
// the destructive groups first (replace, delete, update, create, forget,
// read, then drift and deferred notes). Each resource expands to why it
// changes, its cascades (both ends named) and its attribute diff, built on
// first expansion. Filtering by action, module and search text is done here
// on typed indexes (STYLE: no proxy models). Every string the model hands out
// has passed through the plan's and the revision's Redactor.
namespace hp {

struct ReadPlan;

// Moved and Import are resources that otherwise stay as they are (no-op):
// notes, not changes.
enum class PlanGroup { Replace, Delete, Update, Create, Forget, Read, Moved, Import, Drift, Deferred };

QString badgeText(PlanGroup group); // REPLACE, DELETE, ... (text, never colour only)

// The changed attribute paths of each change, redacted and lower case, for
// search. Reads only its arguments: safe on any thread.
std::vector<QStringList> changedAttributePaths(const ReadPlan &plan,
                                               const std::vector<const PlanResourceChange *> &changes);

class PlanTreeModel : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { ActionColumn, SubjectColumn, DetailColumn, ColumnCount };
    enum Role {
        GroupRole = Qt::UserRole + 1, // int(PlanGroup) on resource rows
        TagRole,                      // child rows: "CASCADE", "FORCES REPLACEMENT", "WHY", ""
        CoverageKeyRole,              // resource rows: the coverage key of a destructive resource
    };

    explicit PlanTreeModel(QObject *parent = nullptr);

    // `artifact` is the plan's index in its revision (for coverage keys).
    void setPlan(std::shared_ptr<const ReadPlan> plan, int artifact);
    void clear();

    // nullopt: every action. A module filter of QString() shows every module,
    // an empty (not null) string the root module.
    void setActionFilter(std::optional<PlanGroup> group);
    void setModuleFilter(const QString &module);
    // Case-insensitive, in addresses and attribute paths.
    void setSearch(const QString &text);

    // The resources in display order; attribute paths for search are
    // computed from them off the GUI thread (changedAttributePaths) and
    // handed back with setAttributePaths, in the same order. Until then the
    // search matches addresses only.
    std::vector<const PlanResourceChange *> changes() const;
    void setAttributePaths(std::vector<QStringList> paths);
    bool hasAttributePaths() const { return m_hasPaths; }

    QStringList modules() const; // module addresses in the plan, root as ""
    QStringList destructiveKeys() const; // every destructive resource, filtered or not
    // Top-level rows whose resource matched the search by an attribute only.
    std::vector<int> rowsMatchedByAttribute() const;
    // The row's columns as one line of plain text, for copying.
    QString rowText(const QModelIndex &index) const;
    bool isResource(const QModelIndex &index) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // data() before tooltips are escaped (plan text is the agent's).
    QVariant plainData(const QModelIndex &index, int role) const;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Detail
    {
        QString tag;
        QString subject;
        QString detail;
    };
    struct Resource
    {
        PlanGroup group = PlanGroup::Update;
        const PlanResourceChange *change = nullptr;
        QString address;
        QString module;
        QString why;
        QString coverageKey; // destructive resources only
        std::vector<Detail> details;
        QStringList attributePaths; // lower case, for search
        bool built = false;
    };

    void addResources();
    void addNotes(); // moved and imported resources with no other change
    void build(Resource &resource) const;
    void addCascades(Resource &resource) const;
    void addAttributes(Resource &resource) const;
    bool accepted(const Resource &resource) const;
    void fillVisible();
    void refilter();
    const Resource *resourceAt(const QModelIndex &index) const;
    QString clean(const QString &text) const; // masks every secret of the revision

    std::shared_ptr<const ReadPlan> m_plan;
    int m_artifact = -1;
    std::vector<Resource> m_resources; // in display order
    std::vector<int> m_visible;        // indexes into m_resources
    std::vector<int> m_rowOf;          // m_resources index → row in m_visible, -1 when hidden
    std::optional<PlanGroup> m_group;
    QString m_module;
    QString m_search;
    bool m_hasPaths = false;
};

} // namespace hp
