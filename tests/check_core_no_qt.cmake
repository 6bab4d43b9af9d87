# Fails when genrelab_core has Qt on its include path or link line (a core file including a Qt
# header fails the build itself: cmake/CheckLayers.cmake).
if(TARGET_INCLUDES MATCHES "[Qq]t6" OR TARGET_LIBS MATCHES "Qt6::")
  message(FATAL_ERROR "genrelab_core must not use Qt: includes='${TARGET_INCLUDES}' libs='${TARGET_LIBS}'")
endif()
message(STATUS "core: no Qt (${CMAKE_CURRENT_LIST_FILE})")
