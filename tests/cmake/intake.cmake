# Tests of models/intake and the domain primitives it uses.
hp_add_test(tst_sha256 unit)
hp_add_test(tst_canonicaljson unit)
hp_add_test(tst_contenthash unit)
hp_add_test(tst_strictjson unit)
hp_add_test(tst_proposalparser unit)
