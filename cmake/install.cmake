# install.cmake - what `cmake --install` puts where: the public headers under
# include/petal/ (with the generated version.h and config.h), libpetal shared
# and static, the petal command, and petal.pc for pkg-config. The .pc file finds
# its prefix from its own place, so `--prefix DIR` at install time works.
include(GNUInstallDirs)

set(PETAL_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH PETAL_PC_TO_PREFIX /root/${PETAL_PC_DIR} /root)
string(REGEX REPLACE "/$" "" PETAL_PC_TO_PREFIX "${PETAL_PC_TO_PREFIX}")
if(PETAL_CORE_ONLY)
  set(PETAL_PC_REQUIRES "")
else()
  set(PETAL_PC_REQUIRES "yaml-0.1 libprotobuf-c")
endif()
configure_file(${CMAKE_SOURCE_DIR}/cmake/petal.pc.in ${CMAKE_BINARY_DIR}/petal.pc @ONLY)

file(GLOB PETAL_PUBLIC_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/include/petal/*.h)
install(FILES ${PETAL_PUBLIC_HEADERS} ${CMAKE_BINARY_DIR}/include/petal/version.h
              ${CMAKE_BINARY_DIR}/include/petal/config.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/petal)
install(TARGETS petal_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PETAL_STATIC} DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${CMAKE_BINARY_DIR}/petal.pc DESTINATION ${PETAL_PC_DIR})
if(TARGET petal)
  install(TARGETS petal RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
