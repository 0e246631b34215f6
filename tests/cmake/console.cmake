# Console: the queue model and the main window (offscreen).
hp_add_test(tst_changequeuemodel unit)
hp_add_test(tst_mainwindow unit WIDGETS)
hp_add_test(tst_artifactpreview unit WIDGETS)
