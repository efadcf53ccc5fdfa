# notify: the outbox's delivery (src/notify/deliver.c): libcurl for SMTP and the SMS / Zalo OA
# HTTP gateways, jansson for the gateways' JSON and the loopback sink's lines.
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
target_link_libraries(cchc_notify PUBLIC PkgConfig::CURL PkgConfig::JANSSON)
