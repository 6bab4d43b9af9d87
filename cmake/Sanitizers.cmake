# GENRELAB_SANITIZE="address;undefined" or "thread": applied to every target of the project.
if(GENRELAB_SANITIZE)
  string(REPLACE ";" "," _genrelab_san "${GENRELAB_SANITIZE}")
  message(STATUS "GenreLab: sanitizers ${_genrelab_san}")
  add_compile_options(-fsanitize=${_genrelab_san} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_genrelab_san})
endif()
