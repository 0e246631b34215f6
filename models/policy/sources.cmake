# sources of models/policy (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  policy/policy.h policy/policyreader.cpp
)
