# Use ccache when it is installed: CI and fresh build folders reuse earlier compilations.
# base_dir makes the paths relative to the source tree and nohashdir leaves the build folder out
# of the hash, so a fresh clone elsewhere (CI, a git worktree) hits the cache of an earlier build.
find_program(GENRELAB_CCACHE ccache)
if(GENRELAB_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND}" -E env "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" CCACHE_NOHASHDIR=1
      # Precompiled headers (cmake/Precompiled.cmake) are cacheable with these.
      CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
      "${GENRELAB_CCACHE}")
  message(STATUS "GenreLab: using ccache (${GENRELAB_CCACHE})")
endif()
