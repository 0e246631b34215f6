# Diff area (models/diff): patch parser, libgit2 diffs, side-by-side rows,
# dangerous-text scanner. Pure library tests; tst_gitdiff runs git.
hp_add_test(tst_patchparser unit)
hp_add_test(tst_rowbuilder unit)
hp_add_test(tst_gitdiff unit)
hp_add_test(tst_dangeroustext unit)
