# sources of models/audit (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  audit/auditrecord.h audit/auditrecord.cpp
  audit/auditverifier.h audit/auditverifier.cpp
  audit/checkpoint.h audit/checkpoint.cpp
  audit/auditindex.h audit/auditindex.cpp
  audit/auditexport.h audit/auditexport.cpp audit/auditexportverify.cpp
)
