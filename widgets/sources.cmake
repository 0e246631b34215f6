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
  diff/diffdocument.h diff/diffdocument.cpp
  diff/difflayout.h diff/difflayout.cpp
  diff/displayline.h diff/displayline.cpp
  diff/difffinder.h diff/difffinder.cpp
  diff/diffpane.h diff/diffpane.cpp
  diff/sidebysidediffview.h diff/sidebysidediffview.cpp diff/sidebysidediffviewactions.cpp
  plan/plantreemodel.h plan/plantreemodel.cpp
  plan/planbadgedelegate.h plan/planbadgedelegate.cpp
  plan/planview.h plan/planview.cpp
  reviewworkspace.h reviewworkspace.cpp
  mainwindow.h mainwindow.cpp
)
