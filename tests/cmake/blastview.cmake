# Blast radius panel: score, factors, flags, impacted table, graph, coverage
# (issue 5, part 5). Assessments computed from tests/data/topology.
hp_add_test(tst_blastview unit WIDGETS)
hp_add_test(tst_blastsupport unit WIDGETS)
