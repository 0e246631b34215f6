# Topology, blast radius and risk model (issue 5). Data in tests/data/topology
# (PROVENANCE.md).
hp_add_test(tst_riskmodel unit)
hp_add_test(tst_catalogreader unit)
hp_add_test(tst_blastgraph unit)
hp_add_test(tst_manifestreader unit)

# Blast radius, 1M nodes / 5M edges (DESIGN §10): end to end against
# python3-igraph (target >= 10x faster), query alone against a plain CSR BFS
# (target <= 1.5x); medians of 5. Full size under `bench` (fails when a target
# is missed), 1/100 under `smoke` (checks both sides agree, asserts no timing).
add_executable(bench_blast bench/bench_blast.cpp)
target_link_libraries(bench_blast PRIVATE holdpoint_core holdpoint_flags)
add_test(NAME bench_blast COMMAND bench_blast)
set_tests_properties(bench_blast PROPERTIES LABELS bench TIMEOUT 3600 SKIP_RETURN_CODE 77)
add_test(NAME bench_blast_smoke COMMAND bench_blast --scale 0.01)
set_tests_properties(bench_blast_smoke PROPERTIES LABELS smoke TIMEOUT 600)
