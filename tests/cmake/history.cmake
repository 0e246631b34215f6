# History (issue 8): the executor's report, history rows, statistics, the
# typed history model and the History workspace.
hp_add_test(tst_report unit)
add_dependencies(tst_report holdpointctl)
hp_add_test(tst_historystats unit)
hp_add_test(tst_historymodel unit)
hp_add_test(tst_historyworkspace unit WIDGETS)
