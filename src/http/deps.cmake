# http: libmicrohttpd (the server), jansson (JSON), libsodium (argon2id passwords, random
# session tokens, hashing), inih (cchc.ini), pthreads (the store pool).
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
find_package(Threads REQUIRED)
target_link_libraries(cchc_http PUBLIC PkgConfig::MHD PkgConfig::JANSSON PkgConfig::SODIUM
                      PkgConfig::INIH Threads::Threads)
target_compile_definitions(cchc_http PRIVATE CCHC_WEB_DIR="${CCHC_WEB_DIR}")
# online payment's provider adapter (payclient.c): libcurl
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
target_link_libraries(cchc_http PUBLIC PkgConfig::CURL)
# the second factor (totp.c): TOTP codes by liboath (RFC 6238)
pkg_check_modules(OATH REQUIRED IMPORTED_TARGET liboath)
target_link_libraries(cchc_http PUBLIC PkgConfig::OATH)
