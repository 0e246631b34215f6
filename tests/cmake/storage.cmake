# Storage, the review rule and the audit chain (models/storage, review, audit).
hp_add_test(tst_reviewrules unit)
hp_add_test(tst_sqlitestore unit)
hp_add_test(tst_auditchain unit)
hp_add_test(tst_storeadmin unit)
hp_add_test(tst_ulid unit)
hp_add_test(tst_auditcheckpoint unit)
