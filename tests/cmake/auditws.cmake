# Audit workspace and exports (issue 7): the typed audit model, JSON Lines /
# CSV export and `audit verify --file`, the Audit workspace.
hp_add_test(tst_auditmodel unit)
hp_add_test(tst_auditexport unit)
add_dependencies(tst_auditexport holdpointctl)
hp_add_test(tst_auditworkspace unit WIDGETS)
# The Audit table at 1M entries (DESIGN §10): first paint, filter keystroke
# and sort against their anchors, medians of 5. Full size under `bench`
# (fails when a target is missed), 1/100 under `smoke` (asserts no timing).
add_executable(bench_auditview bench/bench_auditview.cpp)
target_link_libraries(bench_auditview PRIVATE holdpoint_widgets holdpoint_core holdpoint_resources
  holdpoint_flags)
target_include_directories(bench_auditview PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
add_test(NAME bench_auditview COMMAND bench_auditview)
set_tests_properties(bench_auditview PROPERTIES LABELS bench TIMEOUT 3600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn")
add_test(NAME bench_auditview_smoke COMMAND bench_auditview --scale 0.01)
set_tests_properties(bench_auditview_smoke PROPERTIES LABELS smoke TIMEOUT 600
  ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HOLDPOINT_LOG_LEVEL=warn")
