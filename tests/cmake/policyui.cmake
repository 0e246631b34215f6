# Console side of the review policy (issue #6): decision bar, full review,
# queue clocks, ticking and announcements.
hp_add_test(tst_changenotices unit)
hp_add_test(tst_policyui unit WIDGETS TIMEOUT 300)
