# sources of models/intake (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
