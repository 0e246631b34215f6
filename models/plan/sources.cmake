# sources of models/plan (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  plan/plandata.h plan/plandata.cpp
  plan/sensitivity.h plan/sensitivity.cpp
  plan/plandocument.h
  plan/planvalues.h plan/planvalues.cpp
  plan/planreader.h plan/planreader.cpp
  plan/secretcollector.h plan/secretcollector.cpp
  plan/planconfigparser.h plan/planconfigparser.cpp
  plan/planparser.h plan/planparser.cpp
  plan/attributediff.h plan/attributediff.cpp
  plan/planreferences.h plan/planreferences.cpp
  plan/cascade.h plan/cascade.cpp
  plan/plansummary.h plan/plansummary.cpp
)
