# sources of models/storage (paths relative to models/)
target_sources(holdpoint_core PRIVATE
  storage/store.h storage/storefactory.cpp
  storage/migrations.h storage/migrations.cpp
  storage/sqlitestore.h storage/sqlitestore.cpp
  storage/sqliteadmin.cpp
  storage/sqlitesubmit.cpp
  storage/sqlitechanges.cpp
  storage/sqlitedecide.cpp
  storage/sqliteaudit.cpp storage/sqliteauditquery.cpp
  storage/sqliteverify.cpp
  storage/sqlitehistory.cpp
  storage/storetypes.cpp
  storage/sqlitetopology.cpp
  storage/sqliteassess.cpp
  storage/sqlitecoverage.cpp
  storage/sqliteinterim.cpp
)
