# Terraform plans (issue 4): parser, summary, attribute diff, sensitive
# values, cascades, hostile input. Data in tests/data/plan (PROVENANCE.md).
hp_add_test(tst_planparser unit)
hp_add_test(tst_plansummary unit)
hp_add_test(tst_attributediff unit)
hp_add_test(tst_plansensitivity unit)
hp_add_test(tst_plancascade unit)
hp_add_test(tst_planhostile unit)

# Parse + summary of a generated 20,000-resource plan against
# `jq '.resource_changes | length'` on the same file (DESIGN §10): full size
# under `bench` (fails when the ratio misses 1.0×), 1/100 under `smoke`
# (runs to completion and prints the ratio, asserts no timing).
add_executable(bench_plan bench/bench_plan.cpp)
target_link_libraries(bench_plan PRIVATE holdpoint_core holdpoint_flags)
add_test(NAME bench_plan COMMAND bench_plan)
set_tests_properties(bench_plan PROPERTIES LABELS bench TIMEOUT 3600)
add_test(NAME bench_plan_smoke COMMAND bench_plan --scale 0.01)
set_tests_properties(bench_plan_smoke PROPERTIES LABELS smoke TIMEOUT 600)
set_tests_properties(bench_plan PROPERTIES SKIP_RETURN_CODE 77)
