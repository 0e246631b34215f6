# History (issue 8): the executor's report, history rows, statistics, the
# typed history model and the History workspace.
hp_add_test(tst_report unit)
add_dependencies(tst_report holdpointctl)
hp_add_test(tst_historystats unit)
hp_add_test(tst_historymodel unit)
hp_add_test(tst_historyworkspace unit WIDGETS)
# The History table at 1M rows (DESIGN §10): first paint, filter keystroke and
# sort against their anchors, medians of 5. Full size under `bench` (fails
# when a target is missed), 1/100 under `smoke` (checks both sides agree,
# asserts no timing).
add_executable(bench_history bench/bench_history.cpp)
target_link_libraries(bench_history PRIVATE holdpoint_widgets holdpoint_core holdpoint_resources
  holdpoint_flags)
add_test(NAME bench_history COMMAND bench_history)
set_tests_properties(bench_history PROPERTIES LABELS bench TIMEOUT 3600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn")
add_test(NAME bench_history_smoke COMMAND bench_history --scale 0.01)
set_tests_properties(bench_history_smoke PROPERTIES LABELS smoke TIMEOUT 600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn")
