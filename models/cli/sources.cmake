# sources of models/cli (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  cli/args.h cli/args.cpp
  cli/duration.h cli/duration.cpp
  cli/output.h cli/output.cpp
  cli/context.h cli/context.cpp
  cli/views.h cli/views.cpp
  cli/planview.h cli/planview.cpp
  cli/assessmentview.h cli/assessmentview.cpp
  cli/cliapp.h cli/cliapp.cpp
  cli/commands.h cli/commandtable.cpp
  cli/cmd_admin.cpp
  cli/cmd_db.cpp
  cli/cmd_submit.cpp
  cli/cmd_review.cpp
  cli/cmd_decidebatch.cpp
  cli/cmd_check.cpp
  cli/cmd_audit.cpp
  cli/cmd_auditreport.cpp
  cli/cmd_diff.cpp
  cli/cmd_topology.cpp
  cli/cmd_report.cpp
  cli/cmd_policy.cpp
  cli/cmd_tick.cpp
  cli/cmd_watch.cpp
)
