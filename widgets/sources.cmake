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
  reviewworkspace.h reviewworkspace.cpp
  history/historycharts.h history/historycharts.cpp
  history/historyworkspace.h history/historyworkspace.cpp
  mainwindow.h mainwindow.cpp
)
