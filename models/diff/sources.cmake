# sources of models/diff (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  diff/diffdata.h
  diff/rowdata.h
  diff/patchnames.h diff/patchnames.cpp
  diff/patchparser.h diff/patchparser.cpp
  diff/gitdiff.h diff/gitdiff.cpp
  diff/intraline.h diff/intraline.cpp
  diff/rowbuilder.h diff/rowbuilder.cpp
  diff/dangeroustable.h diff/dangeroustable.cpp
  diff/dangeroustext.h diff/dangeroustext.cpp
)
