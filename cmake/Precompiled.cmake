# Build speed (issue 20: a cold build plus the tests on 2 cores). A core or test file spends 2-4 s
# parsing the standard library, Eigen, nlohmann/json and GoogleTest before its own code:
# - precompiled headers: each target parses them once into a .gch;
# - unity builds: CMake compiles batches of 8 files of a target as one, so shared headers and
#   inline code are compiled once per batch (file-local names must then differ between files).
# GENRELAB_PCH=OFF and GENRELAB_UNITY=OFF build without them (e.g. to check that every file
# includes what it uses).
option(GENRELAB_PCH "Use precompiled headers" ON)
option(GENRELAB_UNITY "Unity builds (batches of 8 files)" ON)
set(CMAKE_UNITY_BUILD ${GENRELAB_UNITY})
set(CMAKE_UNITY_BUILD_BATCH_SIZE 8)

set(GENRELAB_PCH_STD
  <algorithm> <array> <atomic> <chrono> <cmath> <cstddef> <cstdint> <cstdio> <cstring> <filesystem>
  <functional> <limits> <map> <memory> <mutex> <optional> <random> <span> <stdexcept> <string>
  <string_view> <unordered_map> <utility> <vector>)
set(GENRELAB_PCH_MATH <Eigen/Core> <nlohmann/json.hpp>)
set(GENRELAB_PCH_TEST <gtest/gtest.h>)
set(GENRELAB_PCH_QT <QObject> <QString> <QVector> <QWidget> <QLabel> <QPainter> <QLayout>)

# genrelab_precompile(<target> <kind>...) with kinds std, math, test, qt.
function(genrelab_precompile target)
  if(NOT GENRELAB_PCH)
    return()
  endif()
  set(headers)
  foreach(kind IN LISTS ARGN)
    string(TOUPPER "${kind}" kind)
    list(APPEND headers ${GENRELAB_PCH_${kind}})
  endforeach()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
