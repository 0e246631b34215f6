# sources of models/audit (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  audit/auditrecord.h audit/auditrecord.cpp
  audit/auditverifier.h audit/auditverifier.cpp
  audit/checkpoint.h audit/checkpoint.cpp
)
