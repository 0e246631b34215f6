# sources of models/review (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  review/reviewassessment.cpp
  review/reviewpolicy.cpp
  review/reviewcoverage.cpp
  review/changenotices.h review/changenotices.cpp
  review/reviewrules.h review/reviewrules.cpp
  review/reviewservice.h review/reviewservice.cpp
  review/coveragerequirements.h review/coveragerequirements.cpp
  review/historystats.h review/historystats.cpp
)
