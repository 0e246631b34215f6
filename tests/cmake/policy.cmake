hp_add_test(tst_policyreader unit)
hp_add_test(tst_coveragerequirements unit)
