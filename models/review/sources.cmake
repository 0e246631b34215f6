# sources of models/review (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
