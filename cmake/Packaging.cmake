# Installation of everything besides the binaries (app/CMakeLists.txt installs those) and the
# Debian package: `cpack -G DEB` in the build folder writes genrelab_<version>_<arch>.deb.
# The binaries link only system libraries (the GenreLab libraries are static), so the installed
# ones carry no RPATH and need no LD_LIBRARY_PATH; tests/package/deb_test.sh checks that.

# The reverse-DNS id names the desktop file, the AppStream file and the Wayland app id
# (app/gui_main.cpp); the icon keeps the short name the desktop file asks for (Icon=genrelab).
set(GENRELAB_APP_ID io.github.genrelab.GenreLab)
set(GENRELAB_RESOURCES ${PROJECT_SOURCE_DIR}/resources)
set(GENRELAB_ICON_SIZES 16 32 48 64 128 256)

if(GENRELAB_BUILD_GUI)
  install(FILES ${GENRELAB_RESOURCES}/${GENRELAB_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${GENRELAB_RESOURCES}/${GENRELAB_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  foreach(n IN LISTS GENRELAB_ICON_SIZES)
    install(FILES ${GENRELAB_RESOURCES}/icons/${n}x${n}/genrelab.png DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${n}x${n}/apps)
  endforeach()
  install(FILES ${GENRELAB_RESOURCES}/icons/genrelab.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

# Man pages from the programs' --help (cmake/make-man-page.sh), gzipped as Debian installs them
# (gzip -n: no name or time stamp, so the same page gives the same bytes). They are rebuilt
# when the program changes: about 10 s for genrelab-cli, one run per subcommand.
set(GENRELAB_MAN_DIR ${PROJECT_BINARY_DIR}/man)
set(GENRELAB_MAN_PAGES)
set(GENRELAB_MAN_PROGRAMS genrelab-cli)
if(GENRELAB_BUILD_GUI)
  list(APPEND GENRELAB_MAN_PROGRAMS genrelab)
endif()
foreach(program IN LISTS GENRELAB_MAN_PROGRAMS)
  set(page ${GENRELAB_MAN_DIR}/${program}.1)
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${GENRELAB_MAN_DIR}
    COMMAND sh ${PROJECT_SOURCE_DIR}/cmake/make-man-page.sh $<TARGET_FILE:${program}> ${program} ${PROJECT_VERSION} ${page}
    COMMAND gzip -9nf ${page}
    DEPENDS ${program} ${PROJECT_SOURCE_DIR}/cmake/make-man-page.sh
    COMMENT "Writing the man page ${program}.1 from ${program} --help"
    VERBATIM)
  list(APPEND GENRELAB_MAN_PAGES ${page}.gz)
endforeach()
add_custom_target(genrelab_man_pages ALL DEPENDS ${GENRELAB_MAN_PAGES})
install(FILES ${GENRELAB_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# CPack: one Debian package holding both programs. Its Depends are computed by dpkg-shlibdeps
# (dpkg-dev) from the binaries' shared libraries; GStreamer's plug-ins are loaded at run time, so
# they are listed by hand (Qt Multimedia needs them to play WAV; TOOLCHAIN.md).
set(GENRELAB_PACKAGE_MAINTAINER "GenreLab maintainers <maintainers@users.noreply.b-seed-c2a75234.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME genrelab)
set(CPACK_PACKAGE_VENDOR "The GenreLab developers")
set(CPACK_PACKAGE_CONTACT "${GENRELAB_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workbench for music-genre analysis")
set(CPACK_PACKAGE_DESCRIPTION "GenreLab explores, trains and applies music-genre classifiers on datasets laid out like
GTZAN: browse tracks by genre with their waveform and mel spectrogram, extract the 57 GTZAN
features (librosa-exact), explore feature tables (densities, correlation, PCA, similarity),
train and compare classifiers from logistic regression to a 2-D log-mel CNN, classify songs
and export figures.

This package holds the Qt desktop program (genrelab) and the command-line tool that does
the same work in batch (genrelab-cli).")
set(CPACK_STRIP_FILES ON)  # the RelWithDebInfo binaries are ~130 MB each with their debug info
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GENRELAB_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gstreamer1.0-plugins-base, gstreamer1.0-plugins-good")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
include(CPack)
