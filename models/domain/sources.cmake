# sources of models/domain (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  domain/result.h
  domain/types.h domain/types.cpp
  domain/sha256.h domain/sha256.cpp
  domain/canonicaljson.h domain/canonicaljson.cpp
  domain/identity.h domain/identity.cpp
  domain/log.h domain/log.cpp
  domain/utf8.h domain/utf8.cpp
  domain/plaintooltip.h
  domain/ulid.h domain/ulid.cpp
)
