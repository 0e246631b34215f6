# sources of widgets/
target_sources(holdpoint_widgets PRIVATE
  statusstyle.h statusstyle.cpp
  queuedelegate.h queuedelegate.cpp
  artifactpreview.h artifactpreview.cpp
  artifactpane.h artifactpane.cpp
  changedetailspane.h changedetailspane.cpp
  decisionbar.h decisionbar.cpp
  shortcutsheet.h shortcutsheet.cpp
  coverage/seentracker.h coverage/seentracker.cpp
  plan/plantreemodel.h plan/plantreemodel.cpp
  plan/planbadgedelegate.h plan/planbadgedelegate.cpp
  plan/planview.h plan/planview.cpp
  reviewworkspace.h reviewworkspace.cpp
  mainwindow.h mainwindow.cpp
)
