# sources of models/demo (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  demo/demobuilder.h demo/demobuilder.cpp
  demo/demoscript.h demo/demoscript.cpp
  demo/demoartifacts.h demo/demoartifacts.cpp
  demo/democurrent.cpp
  demo/demohistory.cpp
)
