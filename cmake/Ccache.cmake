# Use ccache when it is installed: CI and fresh build folders reuse earlier compilations.
find_program(GENRELAB_CCACHE ccache)
if(GENRELAB_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${GENRELAB_CCACHE}")
  message(STATUS "GenreLab: using ccache (${GENRELAB_CCACHE})")
endif()
