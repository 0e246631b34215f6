# holdpointctl diff and the aligned side-by-side rows (issue 3, DESIGN §10):
# 200k- and 1M-line YAML pairs (1% edits, 30% churn) against
# `git diff --no-index` on the same files, medians of 5. Full size under
# `bench` (fails when a target is missed: <= 1.0x for holdpointctl diff,
# <= 2x for the rows), 1/100 under `smoke` (checks holdpointctl's hunks equal
# git's and the rows' counts, asserts no timing).
add_executable(bench_diff bench/bench_diff.cpp)
target_link_libraries(bench_diff PRIVATE holdpoint_core holdpoint_flags)
target_compile_definitions(bench_diff PRIVATE HP_CTL_PATH="$<TARGET_FILE:holdpointctl>")
add_dependencies(bench_diff holdpointctl)
add_test(NAME bench_diff COMMAND bench_diff)
set_tests_properties(bench_diff PROPERTIES LABELS bench TIMEOUT 3600 SKIP_RETURN_CODE 77)
add_test(NAME bench_diff_smoke COMMAND bench_diff --scale 0.01)
set_tests_properties(bench_diff_smoke PROPERTIES LABELS smoke TIMEOUT 600
  ENVIRONMENT "HOLDPOINT_LOG_LEVEL=warn")
