# core links only libc, libm and utf8proc (Vietnamese text normalisation and search).
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
target_link_libraries(cchc_core PUBLIC PkgConfig::UTF8PROC)
