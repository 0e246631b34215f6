target_sources(holdpoint_widgets PRIVATE
)
