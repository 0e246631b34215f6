# sources of models/storage (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
