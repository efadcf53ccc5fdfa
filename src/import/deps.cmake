# import: CSV files (units, procedures) into a store, all or nothing. libcsv (Debian
# libcsv-dev) ships no pkg-config file.
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
find_library(CSV_LIBRARY NAMES csv REQUIRED)
target_include_directories(cchc_import PRIVATE ${CSV_INCLUDE_DIR})
target_link_libraries(cchc_import PUBLIC ${CSV_LIBRARY})
