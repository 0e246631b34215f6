# sources of models/diff (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
