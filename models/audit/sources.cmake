# sources of models/audit (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
