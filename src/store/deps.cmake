# store: SQLite (the embedded driver), and the SQL migrations under
# src/store/migrations/NNN_*.sql, embedded into the binary as a generated C array.
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
target_link_libraries(cchc_store PUBLIC PkgConfig::SQLITE)
# libsodium: SHA-256 for the dossier events' hash chain (sqlite_dossiers.c).
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
target_link_libraries(cchc_store PUBLIC PkgConfig::SODIUM)
# libmagic: sniffs the type of PAR evidence files from their content (sqlite_par.c).
pkg_check_modules(MAGIC REQUIRED IMPORTED_TARGET libmagic)
target_link_libraries(cchc_store PUBLIC PkgConfig::MAGIC)

# libpq: the PostgreSQL driver (db_pg.c).
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
target_link_libraries(cchc_store PUBLIC PkgConfig::PQ)
# db.c refers to the SQLite driver (db_sqlite.c) only when the build has it.
if(EXISTS ${CMAKE_SOURCE_DIR}/src/store/db_sqlite.c)
  target_compile_definitions(cchc_store PRIVATE CCHC_HAVE_DB_SQLITE)
endif()

file(GLOB STORE_MIGRATIONS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/store/migrations/*.sql)
list(SORT STORE_MIGRATIONS)
set(STORE_MIGRATIONS_C ${CMAKE_BINARY_DIR}/generated/store_migrations.c)
add_custom_command(
  OUTPUT ${STORE_MIGRATIONS_C}
  COMMAND ${CMAKE_COMMAND} "-DFILES=${STORE_MIGRATIONS}" -DOUT=${STORE_MIGRATIONS_C}
          -P ${CMAKE_SOURCE_DIR}/src/store/embed_migrations.cmake
  DEPENDS ${STORE_MIGRATIONS} ${CMAKE_SOURCE_DIR}/src/store/embed_migrations.cmake
  COMMENT "Embedding SQL migrations"
  VERBATIM)
target_sources(cchc_store PRIVATE ${STORE_MIGRATIONS_C})

# PostgreSQL's versions of the same migrations (same numbers and names), as pg_migrations.
file(GLOB STORE_PG_MIGRATIONS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/store/migrations/pg/*.sql)
list(SORT STORE_PG_MIGRATIONS)
set(STORE_PG_MIGRATIONS_C ${CMAKE_BINARY_DIR}/generated/store_migrations_pg.c)
add_custom_command(
  OUTPUT ${STORE_PG_MIGRATIONS_C}
  COMMAND ${CMAKE_COMMAND} "-DFILES=${STORE_PG_MIGRATIONS}" -DOUT=${STORE_PG_MIGRATIONS_C}
          -DARRAY=pg_migrations -P ${CMAKE_SOURCE_DIR}/src/store/embed_migrations.cmake
  DEPENDS ${STORE_PG_MIGRATIONS} ${CMAKE_SOURCE_DIR}/src/store/embed_migrations.cmake
  COMMENT "Embedding PostgreSQL migrations"
  VERBATIM)
target_sources(cchc_store PRIVATE ${STORE_PG_MIGRATIONS_C})
