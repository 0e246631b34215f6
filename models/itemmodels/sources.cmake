# sources of models/itemmodels (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  itemmodels/changequeuefilter.h itemmodels/changequeuefilter.cpp
  itemmodels/changequeuemodel.h itemmodels/changequeuemodel.cpp
  itemmodels/auditmodel.h itemmodels/auditmodel.cpp
  itemmodels/csv.h itemmodels/csv.cpp
  itemmodels/historymodel.h itemmodels/historymodel.cpp
)
