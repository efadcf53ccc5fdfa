# report: file formats. jansson reads and writes JSON; libcsv parses CSV (quoted fields,
# embedded newlines) — libcsv ships no pkg-config file, so it is found by header and library.
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
find_path(LIBCSV_INCLUDE_DIR csv.h REQUIRED)
find_library(LIBCSV_LIBRARY csv REQUIRED)
target_include_directories(cchc_report PRIVATE ${LIBCSV_INCLUDE_DIR})
target_link_libraries(cchc_report PUBLIC PkgConfig::JANSSON ${LIBCSV_LIBRARY})
# libxlsxwriter writes the Excel exports (report_table.h, xlsx.c).
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
target_link_libraries(cchc_report PUBLIC PkgConfig::XLSXWRITER)
# Printed forms (forms_pdf.c): cairo draws A4 PDF pages and embeds the fonts it uses, pango
# shapes the text (Vietnamese stacked diacritics, line breaking) with the fonts fontconfig
# finds (its process-lifetime caches are suppressed for LeakSanitizer in forms_pdf.c),
# libqrencode makes the verification QR code, libsodium signs the document's key fields (docsign.c).
pkg_check_modules(PANGOCAIRO REQUIRED IMPORTED_TARGET pangocairo cairo-pdf)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
target_link_libraries(cchc_report PUBLIC PkgConfig::PANGOCAIRO PkgConfig::QRENCODE
                      PkgConfig::SODIUM)
# Two-layer X.509 signing (sign2.c): OpenSSL's CMS, and its pkcs11 engine (loaded at run time
# from libengine-pkcs11-openssl) for keys on tokens.
pkg_check_modules(LIBCRYPTO REQUIRED IMPORTED_TARGET libcrypto)
target_link_libraries(cchc_report PUBLIC PkgConfig::LIBCRYPTO)
