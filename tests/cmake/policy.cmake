hp_add_test(tst_policyreader unit)
