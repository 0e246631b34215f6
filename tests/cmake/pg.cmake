# Team mode on a throwaway PostgreSQL 15 (tests/pgharness.*; issue 9):
# set-up, start-up refusals, role privileges, concurrent deciders.
hp_add_test(tst_pgstore unit TIMEOUT 900 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_pgstore holdpointctl)
# Coverage, views, report, exports, evidence reports, History and pushed
# live updates in team mode.
hp_add_test(tst_pgreview unit TIMEOUT 300 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_pgreview holdpointctl)
# Durable decision latency against pgbench's single-row INSERT on the same
# server (target <= 1.2x); 1/100 under smoke (no timing assertion).
add_executable(bench_pgdecide bench/bench_pgdecide.cpp pgharness.h pgharness.cpp)
target_link_libraries(bench_pgdecide PRIVATE holdpoint_core holdpoint_resources holdpoint_flags)
add_test(NAME bench_pgdecide COMMAND bench_pgdecide)
set_tests_properties(bench_pgdecide PROPERTIES LABELS bench TIMEOUT 1800 SKIP_RETURN_CODE 77)
add_test(NAME bench_pgdecide_smoke COMMAND bench_pgdecide --scale 0.01)
set_tests_properties(bench_pgdecide_smoke PROPERTIES LABELS smoke TIMEOUT 600 SKIP_RETURN_CODE 77
  ENVIRONMENT "HOLDPOINT_LOG_LEVEL=warn")
# Topology versions in team mode: lead only, unchanged hashes, refusals.
hp_add_test(tst_pgtopology unit TIMEOUT 300 SOURCES pgharness.h pgharness.cpp)
# audit verify in team mode: an owner's edits to decisions and statuses.
hp_add_test(tst_pgverify unit TIMEOUT 300 SOURCES pgharness.h pgharness.cpp)
# The review policy in team mode: requirement stored with each revision,
# confirmed by reviewers' clients, enforced by hp_decide; timers; consume.
hp_add_test(tst_pgpolicy unit TIMEOUT 600 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_pgpolicy holdpointctl)
# Eight holdpointctl processes (hp-rev1..8) deciding the same changes at once
# with `decide --batch`, on SQLite and on PostgreSQL: one terminal outcome per
# revision, every refusal audited, a trail that verifies. 200 changes under
# smoke; the issue's 1,000 under soak (about 4.5 min on 2 cores, mostly
# SQLite, whose decisions slow down as the store grows).
hp_add_test(tst_cli_deciders smoke TIMEOUT 900 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_cli_deciders holdpointctl)
set_tests_properties(tst_cli_deciders PROPERTIES
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn;HP_DECIDERS_CHANGES=200")
add_test(NAME tst_cli_deciders_soak COMMAND tst_cli_deciders)
set_tests_properties(tst_cli_deciders_soak PROPERTIES LABELS soak TIMEOUT 1800
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn;HP_DECIDERS_CHANGES=1000")
