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
  storage/pglocation.h storage/pglocation.cpp
  storage/pgconnection.h storage/pgconnection.cpp
  storage/pgsetup.h storage/pgsetup.cpp
  storage/pgstore.h storage/pgstore.cpp
  storage/pgadmin.cpp
  storage/pgtopology.cpp
  storage/topologysources.h storage/topologysources.cpp
  storage/artifactrows.h storage/artifactrows.cpp
  storage/pgsubmit.cpp
  storage/pgchanges.cpp
  storage/pgdecide.cpp
  storage/pgaudit.cpp
  storage/pgreview.cpp
  storage/pghistory.cpp
  storage/pglive.cpp
  storage/historyrow.h storage/historyrow.cpp
  storage/pgpolicy.cpp
  storage/pgassess.cpp
  storage/sqlitepolicy.cpp
  storage/sqlitetimers.cpp
)
