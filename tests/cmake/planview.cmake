# PlanView (issue 4, parts 4-6): the console's Terraform plan view, its
# coverage and the planfile line. Data in tests/data/plan.
hp_add_test(tst_planview unit WIDGETS)
