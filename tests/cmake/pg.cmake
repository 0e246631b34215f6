# Team mode on a throwaway PostgreSQL 15 (tests/pgharness.*; issue 9):
# set-up, start-up refusals, role privileges, concurrent deciders.
hp_add_test(tst_pgstore unit TIMEOUT 900 SOURCES pgharness.h pgharness.cpp)
add_dependencies(tst_pgstore holdpointctl)
