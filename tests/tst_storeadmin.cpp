#include "storefixture.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace hp;
using namespace hp::testing;

// Identity and administration (DESIGN §3): only admins administer, nobody
// grants to or revokes from themselves, admin is exclusive, agents hold no
// roles; and the shared (group) store of DESIGN §6.
class TestStoreAdmin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void adminAddsUsersGrantsAndRevokes();
    void nonAdminCannotAdministerAndIsAudited();
    void selfGrantIsDenied();
    void adminIsExclusive();
    void agentsHoldNoRoles();
    void agentNeedsAKnownOperator();
    void unknownPrincipalHasNoRoles();
    void sharedStoreIsGroupOwnedInASetgidDirectory();
    void sharedStoreNeedsAKnownGroup();
};

void TestStoreAdmin::adminAddsUsersGrantsAndRevokes()
{
    StoreFixture f;
    f.addTeam();
    const Actor admin = actor(QStringLiteral("adam"));
    QVERIFY(f.store->grant(admin, QStringLiteral("rex"), Role::Auditor).ok());
    QVERIFY(f.store->principal(QStringLiteral("rex"))->roles.holds(Role::Auditor));
    QVERIFY(f.store->revoke(admin, QStringLiteral("rex"), Role::Reviewer).ok());
    QCOMPARE(f.store->principal(QStringLiteral("rex"))->roles.names(),
             QStringList{QStringLiteral("auditor")});
    QCOMPARE(lastEntry(*f.store).value(u"action").toString(), QStringLiteral("role.revoke"));
    auto revokeAgain = f.store->revoke(admin, QStringLiteral("rex"), Role::Reviewer);
    QVERIFY(!revokeAgain.ok());
    QVERIFY(revokeAgain.error().code == ExitCode::NotFound);
    auto grantUnknown = f.store->grant(admin, QStringLiteral("nobody"), Role::Reviewer);
    QVERIFY(grantUnknown.error().code == ExitCode::NotFound);
    auto users = f.store->users();
    QVERIFY(users.ok());
    QCOMPARE(users->size(), size_t(7)); // adam, aria, bot, lena, olga, rex, rita
    auto agents = f.store->agents();
    QCOMPARE(agents->size(), size_t(1));
    QCOMPARE(agents->front().operatorLogin, QStringLiteral("olga"));
    QCOMPARE(agents->front().registeredBy, QStringLiteral("adam"));
    QVERIFY(f.store->removeAgent(admin, QStringLiteral("bot")).ok());
    QVERIFY(f.store->agents()->empty());
}

void TestStoreAdmin::nonAdminCannotAdministerAndIsAudited()
{
    StoreFixture f;
    f.addTeam();
    auto added = f.store->addUser(actor(QStringLiteral("lena")), QStringLiteral("mallory"),
                                  RoleSet::of({Role::Lead}));
    QVERIFY(!added.ok());
    QVERIFY(added.error().code == ExitCode::Denied);
    QVERIFY(f.store->principal(QStringLiteral("mallory"))->roles.empty());
    const QJsonObject entry = lastEntry(*f.store);
    QCOMPARE(entry.value(u"action").toString(), QStringLiteral("user.add"));
    QCOMPARE(entry.value(u"outcome").toString(), QStringLiteral("denied"));
    QCOMPARE(entry.value(u"reason_code").toString(), QStringLiteral("missing_role"));
    QCOMPARE(entry.value(u"principal").toString(), QStringLiteral("lena"));
    QVERIFY(f.store->grant(actor(QStringLiteral("rita")), QStringLiteral("rita"), Role::Lead)
                .error()
                .code == ExitCode::Denied);
    QVERIFY(f.store
                ->addAgent(actor(QStringLiteral("olga")), QStringLiteral("bot2"),
                           QStringLiteral("olga"))
                .error()
                .code == ExitCode::Denied);
}

void TestStoreAdmin::selfGrantIsDenied()
{
    StoreFixture f;
    f.addTeam();
    QVERIFY(f.store->grant(actor(QStringLiteral("adam")), QStringLiteral("lena"), Role::Admin)
                .error()
                .code == ExitCode::Denied); // lena holds lead: admin is exclusive
    QVERIFY(
        f.store->revoke(actor(QStringLiteral("adam")), QStringLiteral("lena"), Role::Lead).ok());
    QVERIFY(
        f.store->grant(actor(QStringLiteral("adam")), QStringLiteral("lena"), Role::Admin).ok());
    auto self = f.store->revoke(actor(QStringLiteral("lena")), QStringLiteral("lena"), Role::Admin);
    QVERIFY(!self.ok());
    QCOMPARE(self.error().reason, QStringLiteral("self_grant"));
    auto selfGrant =
        f.store->grant(actor(QStringLiteral("adam")), QStringLiteral("adam"), Role::Admin);
    QCOMPARE(selfGrant.error().reason, QStringLiteral("self_grant"));
    QCOMPARE(lastEntry(*f.store).value(u"reason_code").toString(), QStringLiteral("self_grant"));
}

void TestStoreAdmin::adminIsExclusive()
{
    StoreFixture f;
    f.addTeam();
    const Actor admin = actor(QStringLiteral("adam"));
    auto toAdmin = f.store->grant(admin, QStringLiteral("rita"), Role::Admin);
    QCOMPARE(toAdmin.error().reason, QStringLiteral("admin_exclusive"));
    auto fromAdmin =
        f.store->grant(actor(QStringLiteral("root")), QStringLiteral("adam"), Role::Reviewer);
    QVERIFY(fromAdmin.error().code == ExitCode::Denied); // root is no admin
    QVERIFY(f.store->addUser(admin, QStringLiteral("ada"), RoleSet::of({Role::Admin})).ok());
    auto adminPlus = f.store->grant(admin, QStringLiteral("ada"), Role::Reviewer);
    QCOMPARE(adminPlus.error().reason, QStringLiteral("admin_exclusive"));
    auto mixed =
        f.store->addUser(admin, QStringLiteral("max"), RoleSet::of({Role::Admin, Role::Lead}));
    QCOMPARE(mixed.error().reason, QStringLiteral("admin_exclusive"));
}

void TestStoreAdmin::agentsHoldNoRoles()
{
    StoreFixture f;
    f.addTeam();
    const Actor admin = actor(QStringLiteral("adam"));
    QCOMPARE(f.store->grant(admin, QStringLiteral("bot"), Role::Reviewer).error().reason,
             QStringLiteral("agent_roles"));
    QCOMPARE(
        f.store->addAgent(admin, QStringLiteral("rita"), QStringLiteral("olga")).error().reason,
        QStringLiteral("agent_roles"));
    const PrincipalInfo bot = *f.store->principal(QStringLiteral("bot"));
    COMPARE_NAME(bot.kind, PrincipalKind::Agent);
    QVERIFY(bot.registeredAgent);
    QCOMPARE(bot.operatorLogin, QStringLiteral("olga"));
}

void TestStoreAdmin::agentNeedsAKnownOperator()
{
    StoreFixture f;
    f.addTeam();
    auto unknown = f.store->addAgent(actor(QStringLiteral("adam")), QStringLiteral("bot2"),
                                     QStringLiteral("ghost"));
    QVERIFY(unknown.error().code == ExitCode::NotFound);
    auto agentOperator = f.store->addAgent(actor(QStringLiteral("adam")), QStringLiteral("bot2"),
                                           QStringLiteral("bot"));
    QVERIFY(agentOperator.error().code == ExitCode::NotFound);
    QVERIFY(f.store
                ->addAgent(actor(QStringLiteral("adam")), QStringLiteral("bot2"),
                           QStringLiteral("rita"))
                .ok());
}

void TestStoreAdmin::unknownPrincipalHasNoRoles()
{
    StoreFixture f;
    auto p = f.store->principal(QStringLiteral("stranger"));
    QVERIFY(p.ok());
    QCOMPARE(p->login, QStringLiteral("stranger"));
    QVERIFY(p->roles.empty());
    COMPARE_NAME(p->kind, PrincipalKind::Human);
}

void TestStoreAdmin::sharedStoreIsGroupOwnedInASetgidDirectory()
{
    // Giving a file to a group needs membership or root: use a group we are in.
    const gid_t gid = getegid();
    const group *gr = getgrgid(gid);
    if (!gr)
        QSKIP("the effective group has no name");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shared.db"));
    CreateOptions options;
    options.adminLogin = QStringLiteral("adam");
    options.group = QString::fromLocal8Bit(gr->gr_name);
    auto created = createStore(path, options, actor(QStringLiteral("root")));
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().message));
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
    QCOMPARE(static_cast<int>(st.st_mode & 07777), 0660);
    QCOMPARE(st.st_gid, gid);
    QCOMPARE(::stat(QFile::encodeName(dir.path()).constData(), &st), 0);
    QVERIFY(st.st_mode & S_ISGID);
    QVERIFY(st.st_mode & S_IWGRP);
    QVERIFY((*created)
                ->addUser(actor(QStringLiteral("adam")), QStringLiteral("rita"),
                          RoleSet::of({Role::Reviewer}))
                .ok());
    QCOMPARE(::stat(QFile::encodeName(path + QStringLiteral("-wal")).constData(), &st), 0);
    QCOMPARE(static_cast<int>(st.st_mode & 07777), 0660);
    QCOMPARE(st.st_gid, gid);
}

void TestStoreAdmin::sharedStoreNeedsAKnownGroup()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shared.db"));
    CreateOptions options;
    options.adminLogin = QStringLiteral("adam");
    options.group = QStringLiteral("no-such-group-hp");
    auto created = createStore(path, options, actor(QStringLiteral("root")));
    QVERIFY(!created.ok());
    QCOMPARE(created.error().reason, QStringLiteral("unknown_group"));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestStoreAdmin)
#include "tst_storeadmin.moc"
