# genrelab_warnings: an INTERFACE target that every GenreLab target links.
add_library(genrelab_warnings INTERFACE)
target_compile_options(genrelab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
-Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# In a unity build each .cpp is #included into the batch file, so GCC takes a file-local type used
# by a class of the same file for a header's mistake (-Wsubobject-linkage); it is not one here.
if(GENRELAB_UNITY)
  target_compile_options(genrelab_warnings INTERFACE -Wno-subobject-linkage)
endif()
if(GENRELAB_WERROR)
  target_compile_options(genrelab_warnings INTERFACE -Werror)
endif()
