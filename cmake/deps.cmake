# deps.cmake - the libraries and tools petal needs, found in one place. When any
# is missing the configure step stops with one message that names every
# missing Debian package and the command that installs them, instead of
# CMake's "A required package was not found" for the first one.
set(PETAL_MISSING_PACKAGES)

find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  list(APPEND PETAL_MISSING_PACKAGES pkg-config)
endif()

# petal_need_module(PREFIX MODULE PACKAGE [OPTIONAL]): a pkg-config module,
# giving the imported target PkgConfig::PREFIX.
macro(petal_need_module prefix module package)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${module})
  endif()
  if(NOT ${prefix}_FOUND AND NOT "${ARGN}" STREQUAL "OPTIONAL")
    list(APPEND PETAL_MISSING_PACKAGES ${package})
  endif()
endmacro()

# petal_need_program(VAR PROGRAM PACKAGE): a program on the PATH.
macro(petal_need_program var program package)
  find_program(${var} ${program})
  if(NOT ${var})
    list(APPEND PETAL_MISSING_PACKAGES ${package})
  endif()
endmacro()

function(petal_check_missing)
  if(PETAL_MISSING_PACKAGES)
    list(REMOVE_DUPLICATES PETAL_MISSING_PACKAGES)
    string(REPLACE ";" " " names "${PETAL_MISSING_PACKAGES}")
    message(FATAL_ERROR
      "petal needs these Debian packages, which are not installed: ${names}\n"
      "`make deps` installs them (as root; `make run` and `make test` run it first), "
      "or: apt-get install ${names}")
  endif()
endfunction()
