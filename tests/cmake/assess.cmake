# Assessments, topology versions and review coverage in the store (issue 5,
# parts 1 and 4). Data in tests/data/topology (PROVENANCE.md).
hp_add_test(tst_assessor unit)
hp_add_test(tst_topologystore unit)
hp_add_test(tst_coveragestore unit)
