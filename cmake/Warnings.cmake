# genrelab_warnings: an INTERFACE target that every GenreLab target links.
add_library(genrelab_warnings INTERFACE)
target_compile_options(genrelab_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
-Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(GENRELAB_WERROR)
  target_compile_options(genrelab_warnings INTERFACE -Werror)
endif()
