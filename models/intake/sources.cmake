# sources of models/intake (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  intake/base64.h intake/base64.cpp
  intake/contenthash.h intake/contenthash.cpp
  intake/jsondiagnostics.h intake/jsondiagnostics.cpp
  intake/strictjson.h intake/strictjson.cpp
  intake/proposalrules.h intake/proposalrules.cpp
  intake/proposalparser.h intake/proposalparser.cpp
)
