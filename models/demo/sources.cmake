# sources of models/demo (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
