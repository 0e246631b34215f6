# Diff view (widgets/diff) and review coverage tracking (offscreen).
hp_add_test(tst_diffview unit WIDGETS)
hp_add_test(tst_seentracker unit WIDGETS)
