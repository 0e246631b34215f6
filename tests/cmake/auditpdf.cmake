# Evidence report, tamper classes and byte flips, verify and decision benchmarks (issue 7).
hp_add_test(tst_evidencereport unit WIDGETS TIMEOUT 300)
add_dependencies(tst_evidencereport holdpointctl holdpoint-report)
hp_add_test(tst_audittamper unit TIMEOUT 600)
# bench_audit: verify of 1,000,000 entries against `openssl dgst -sha256` over
# the same canonical bytes (>= 0.5x throughput) and a durable decision against
# a bare WAL + synchronous=FULL insert transaction (<= 1.5x); medians of 5.
# Full size under `bench` (fails when a target is missed), 1/100 under `smoke`.
add_executable(bench_audit bench/bench_audit.cpp)
target_link_libraries(bench_audit PRIVATE holdpoint_core holdpoint_resources holdpoint_flags Qt6::Sql)
add_test(NAME bench_audit COMMAND bench_audit)
set_tests_properties(bench_audit PROPERTIES LABELS bench TIMEOUT 3600 SKIP_RETURN_CODE 77)
add_test(NAME bench_audit_smoke COMMAND bench_audit --scale 0.01)
set_tests_properties(bench_audit_smoke PROPERTIES LABELS smoke TIMEOUT 600 SKIP_RETURN_CODE 77)
