# policy.cmake — runs last in `cmake --install` (and so in cpack): what Debian policy asks of
# an installed tree beyond the files themselves: man pages gzipped (-9n, reproducible),
# /usr/share/doc/cchc/copyright and changelog.gz.
set(root "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
file(GLOB_RECURSE pages "${root}/share/man/man*/*.[1-9]")
foreach(p ${pages})
  execute_process(COMMAND gzip -9nf "${p}" RESULT_VARIABLE rc)
  if(rc)
    message(FATAL_ERROR "gzip ${p} failed")
  endif()
endforeach()
set(doc "${root}/share/doc/cchc")
file(MAKE_DIRECTORY "${doc}")
file(COPY "${CMAKE_CURRENT_LIST_DIR}/copyright" DESTINATION "${doc}")
file(COPY "${CMAKE_CURRENT_LIST_DIR}/changelog" DESTINATION "${doc}")
# A native package (version without a Debian revision): changelog.gz, not changelog.Debian.gz.
execute_process(COMMAND gzip -9nf "${doc}/changelog")
