# package.cmake — installation in FHS places and the Debian package (docs/operations.md).
# `cmake --install` puts the binary in bin/, the data files and the web UI under
# share/cchc/, the docs under share/doc/cchc/, the man pages (generated from the binary's
# command and option tables by scripts/gen-man.py), the bash completion, the systemd unit and
# /etc/cchc/cchc.ini (generated from the option table by `cchc serve --print-config`).
# A package build configures with -DCMAKE_INSTALL_PREFIX=/usr -DCCHC_PACKAGE=ON so that
# the compiled-in data and web directories point at /usr/share/cchc (CMakeLists.txt).
include(GNUInstallDirs)

set(CCHC_SHARE ${CMAKE_INSTALL_DATADIR}/cchc)

# Generated from the binary: man pages and the commented cchc.ini of the package.
set(CCHC_MAN_DIR ${CMAKE_BINARY_DIR}/man)
add_custom_command(
  OUTPUT ${CCHC_MAN_DIR}/man5/cchc.ini.5
  COMMAND ${CMAKE_COMMAND} -E rm -rf ${CCHC_MAN_DIR}
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/gen-man.py $<TARGET_FILE:cchc> ${CCHC_MAN_DIR}
  DEPENDS cchc ${CMAKE_SOURCE_DIR}/scripts/gen-man.py
  COMMENT "man pages from the command and option tables")
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/cchc.ini
  COMMAND $<TARGET_FILE:cchc> serve --db /var/lib/cchc/cchc.db
          --trusted-proxies "127.0.0.1, ::1" --max-conns-per-ip 1000 --print-config > ${CMAKE_BINARY_DIR}/cchc.ini
  DEPENDS cchc
  COMMENT "cchc.ini from the option table")
add_custom_target(cchc_generated ALL DEPENDS ${CCHC_MAN_DIR}/man5/cchc.ini.5 ${CMAKE_BINARY_DIR}/cchc.ini)

install(TARGETS cchc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/data/ DESTINATION ${CCHC_SHARE}/data)
install(FILES ${CMAKE_SOURCE_DIR}/web/index.html DESTINATION ${CCHC_SHARE}/web)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/css ${CMAKE_SOURCE_DIR}/web/js ${CMAKE_SOURCE_DIR}/web/i18n
                  ${CMAKE_SOURCE_DIR}/web/img DESTINATION ${CCHC_SHARE}/web OPTIONAL)
# The two front-end libraries npm installs (src/http/static.c serves them from these paths).
install(FILES ${CMAKE_SOURCE_DIR}/web/node_modules/chart.js/dist/chart.umd.min.js
        DESTINATION ${CCHC_SHARE}/web/node_modules/chart.js/dist)
install(FILES ${CMAKE_SOURCE_DIR}/web/node_modules/qrcode-generator/dist/qrcode.mjs
        DESTINATION ${CCHC_SHARE}/web/node_modules/qrcode-generator/dist)
file(GLOB CCHC_DOCS ${CMAKE_SOURCE_DIR}/docs/*.md ${CMAKE_SOURCE_DIR}/docs/openapi.yaml)
install(FILES ${CCHC_DOCS} ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/nginx/cchc.conf DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples
        RENAME nginx-cchc.conf)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/prometheus/cchc-alerts.yml
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(DIRECTORY ${CCHC_MAN_DIR}/man1 ${CCHC_MAN_DIR}/man5 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${CMAKE_SOURCE_DIR}/deploy/bash-completion/cchc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${CMAKE_BINARY_DIR}/cchc.ini DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/cchc)
# Debian 12 keeps units in /lib/systemd/system (the /usr merge moves them later).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(CCHC_UNIT_DIR /lib/systemd/system)
else()
  set(CCHC_UNIT_DIR lib/systemd/system)
endif()
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/cchc.service DESTINATION ${CCHC_UNIT_DIR})

# --- the Debian package (cpack -G DEB) ---
# A package build makes only what it installs (cchc and cchc_generated, built before cpack),
# not the tests and benchmarks of "all".
if(CCHC_PACKAGE)
  set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cchc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "cchc maintainers <cchc@example.gov.vn>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "administrative reform platform for Vietnamese local government")
set(CPACK_PACKAGE_DESCRIPTION
    "cchc runs the one-stop desk (Bo phan Mot cua) and its dossiers, the service\n\
indicators of Decision 766/QD-TTg computed from them, and the PAR index, with\n\
an HTTP API and a web UI served by one binary under systemd.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.gov.vn/cchc")
# The runtime libraries, found by dpkg-shlibdeps from the binary's ELF dependencies.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx-light | nginx, sqlite3")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/postinst ${CMAKE_SOURCE_DIR}/deploy/debian/prerm
    ${CMAKE_SOURCE_DIR}/deploy/debian/postrm ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_SET_DESTDIR ON)
# /usr/share/doc/cchc/copyright and changelog.gz, and the man pages gzipped, as
# Debian policy asks: made at install time under DESTDIR by deploy/debian/policy.cmake.
install(SCRIPT ${CMAKE_SOURCE_DIR}/deploy/debian/policy.cmake)
include(CPack)

# tests/cli/t-package.sh installs the .deb with dpkg: it needs root and exits 77 otherwise.
if(TEST cli.t-package)
  set_tests_properties(cli.t-package PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
endif()
