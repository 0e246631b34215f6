hp_add_test(tst_policyreader unit)
hp_add_test(tst_coveragerequirements unit)
# The policy engine in the store: versions, verdicts with the clock, timers, adoption.
hp_add_test(tst_policyengine unit TIMEOUT 300)
# policy show / propose, check --consume, tick and watch through holdpointctl.
hp_add_test(tst_cli_policy unit TIMEOUT 300)
add_dependencies(tst_cli_policy holdpointctl)
