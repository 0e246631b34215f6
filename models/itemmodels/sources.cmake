# sources of models/itemmodels (paths relative to models/)
target_sources(holdpoint_core PRIVATE
)
