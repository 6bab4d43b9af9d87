# GENRELAB_SANITIZE="address;undefined" or "thread": applied to every target of the project.
if(GENRELAB_SANITIZE)
  string(REPLACE ";" "," _genrelab_san "${GENRELAB_SANITIZE}")
  message(STATUS "GenreLab: sanitizers ${_genrelab_san}")
  add_compile_options(-fsanitize=${_genrelab_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_genrelab_san})
endif()
# GENRELAB_FUZZ=ON: libFuzzer targets in tests/fuzz (clang only; scripts/fuzz.sh). Everything is
# built with coverage instrumentation; combine with GENRELAB_SANITIZE="address;undefined".
option(GENRELAB_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(GENRELAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "GENRELAB_FUZZ needs clang (e.g. CXX=clang++-14)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
