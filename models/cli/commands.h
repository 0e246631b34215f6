#pragma once

#include "cli/context.h"

// One function per holdpointctl command; each returns the process exit code
// (DESIGN §8). The table that names them, their options and help lives in
// commandtable.cpp.
namespace hp::cli {

int cmdInit(Context &ctx);
int cmdDemo(Context &ctx);
int cmdDbInit(Context &ctx);
int cmdDbMigrate(Context &ctx);
int cmdUsersAdd(Context &ctx);
int cmdUsersGrant(Context &ctx);
int cmdUsersRevoke(Context &ctx);
int cmdUsersList(Context &ctx);
int cmdAgentsAdd(Context &ctx);
int cmdAgentsList(Context &ctx);
int cmdAgentsRemove(Context &ctx);
int cmdWhoami(Context &ctx);

int cmdSubmit(Context &ctx);

int cmdList(Context &ctx);
int cmdShow(Context &ctx);
int cmdWait(Context &ctx);
int cmdDecide(Context &ctx);
int cmdDecideBatch(Context &ctx); // decide --batch FILE
int cmdWithdraw(Context &ctx);
int cmdCheck(Context &ctx);
int cmdReport(Context &ctx);

int cmdTopologyImport(Context &ctx);
int cmdTopologyShow(Context &ctx);

int cmdAuditVerify(Context &ctx);
int cmdAuditKeygen(Context &ctx);
int cmdAuditCheckpoint(Context &ctx);
int cmdAuditReport(Context &ctx);
int cmdAuditExport(Context &ctx);
int cmdDiff(Context &ctx);

// Policy engine (session 3).
int cmdPolicyShow(Context &ctx);
int cmdPolicyPropose(Context &ctx);
int cmdTick(Context &ctx);
int cmdWatch(Context &ctx);

} // namespace hp::cli
