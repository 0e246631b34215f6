# Evidence report, tamper classes and byte flips, verify and decision benchmarks (issue 7).
hp_add_test(tst_evidencereport unit WIDGETS TIMEOUT 300)
add_dependencies(tst_evidencereport holdpointctl holdpoint-report)
hp_add_test(tst_audittamper unit TIMEOUT 600)
