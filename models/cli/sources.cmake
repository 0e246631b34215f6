# sources of models/cli (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
