# sources of models/risk (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  risk/riskconfig.cpp
  risk/risktables.cpp
  risk/riskmodel.cpp
  risk/riskflags.cpp
  risk/assessor.h risk/assessor.cpp
  risk/assessmentjson.h risk/assessmentjson.cpp
)
