# holdpointctl: the command set run as a real process, on temporary stores.
hp_add_test(tst_cli unit TIMEOUT 600)
add_dependencies(tst_cli holdpointctl)
# The multi-login flow with real OS logins (runuser); skipped without root or
# the hp-* logins, except in CI (CI set), where that is a failure.
hp_add_test(tst_cli_e2e unit TIMEOUT 600 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_cli_e2e holdpointctl)
# The same flow on a throwaway PostgreSQL 15 (issue 9): steps team mode
# cannot do yet are expected failures naming what they wait for.
add_test(NAME tst_cli_e2e_pg COMMAND tst_cli_e2e)
set_tests_properties(tst_cli_e2e_pg PROPERTIES LABELS unit TIMEOUT 600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn;HP_E2E_BACKEND=postgresql")
# The demo store and the decide / wait / check flow on it, as the current login.
hp_add_test(tst_cli_demo unit TIMEOUT 600)
add_dependencies(tst_cli_demo holdpointctl)
# submit and show on Terraform plans: summary line, resources, no secrets.
hp_add_test(tst_cli_plan unit TIMEOUT 600)
add_dependencies(tst_cli_plan holdpointctl)
# topology import/show and the assessment in submit, show and list (issue 5).
hp_add_test(tst_cli_topology unit TIMEOUT 600)
add_dependencies(tst_cli_topology holdpointctl)
# decide --batch: checked before deciding, refusals do not stop the rest.
hp_add_test(tst_cli_batch unit TIMEOUT 600)
add_dependencies(tst_cli_batch holdpointctl)
