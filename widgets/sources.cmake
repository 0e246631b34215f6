# sources of widgets/
target_sources(holdpoint_widgets PRIVATE
  statusstyle.h statusstyle.cpp
  blast/blaststyle.h blast/blaststyle.cpp
  blast/blastnodes.h blast/blastnodes.cpp
  blast/impactednodesmodel.h blast/impactednodesmodel.cpp
  blast/blastgraphlayout.h blast/blastgraphlayout.cpp
  blast/blastnodeitem.h blast/blastnodeitem.cpp
  blast/blastgraphview.h blast/blastgraphview.cpp
  blast/blastscorebadge.h blast/blastscorebadge.cpp
  blast/blastflagspanel.h blast/blastflagspanel.cpp
  blast/blastfactortree.h blast/blastfactortree.cpp
  blast/blastradiusview.h blast/blastradiusview.cpp
  queuedelegate.h queuedelegate.cpp
  artifactpreview.h artifactpreview.cpp
  artifactpane.h artifactpane.cpp artifactpanereveal.cpp
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
  reviewworkspace.h reviewworkspace.cpp reviewworkspacecoverage.cpp
  changeannouncer.h changeannouncer.cpp
  report/evidence.h report/evidence.cpp
  report/evidencereport.h report/evidencereport.cpp
  report/evidenceexporter.h report/evidenceexporter.cpp
  audit/auditrowdelegate.h audit/auditrowdelegate.cpp
  audit/auditworkspace.h audit/auditworkspace.cpp audit/auditworkspacetasks.cpp
  history/historycharts.h history/historycharts.cpp
  history/historyworkspace.h history/historyworkspace.cpp
  mainwindow.h mainwindow.cpp
)
