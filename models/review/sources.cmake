# sources of models/review (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  review/reviewrules.h review/reviewrules.cpp
  review/reviewservice.h review/reviewservice.cpp
  review/historystats.h review/historystats.cpp
)
