# sources of models/topology (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  topology/yamltree.cpp
  topology/topology.cpp
  topology/catalogreader.cpp
  topology/graph.cpp
  topology/changemapping.cpp
  topology/manifestreader.cpp
)
