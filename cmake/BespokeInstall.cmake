# Installation of the runtime as a relocatable tree, and CPack archives.
#   lib/libbespoke.so*, lib/libbespoke_static.a, include/bespoke/bespoke.h(pp),
#   lib/cmake/Bespoke/BespokeConfig.cmake (find_package(Bespoke) -> Bespoke::runtime),
#   lib/pkgconfig/bespoke.pc, bin/bespoke-run, bin/bespoke-bench.
# Everything is located relative to the installed files, so the tree can be
# copied anywhere (a board's /opt, an application's folder).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BESPOKE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Bespoke")

install(TARGETS bespoke_runtime bespoke_runtime_static
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/runtime/include/bespoke" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT runtime FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
foreach(_tool bespoke-run bespoke-bench)
  if(TARGET ${_tool})
    install(TARGETS ${_tool} RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime)
  endif()
endforeach()

# Libraries a static link needs (the shared library carries them itself).
set(BESPOKE_STATIC_DEPS "-lXNNPACK -lpthreadpool -lcpuinfo")
if(BESPOKE_WITH_ONEDNN)
  string(APPEND BESPOKE_STATIC_DEPS " -ldnnl")
endif()
string(APPEND BESPOKE_STATIC_DEPS " -lstdc++ -lpthread -lm")

configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/templates/BespokeConfig.cmake.in"
                              "${CMAKE_BINARY_DIR}/package/BespokeConfig.cmake"
                              INSTALL_DESTINATION "${BESPOKE_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${CMAKE_BINARY_DIR}/package/BespokeConfigVersion.cmake"
                                 COMPATIBILITY SameMajorVersion)
configure_file("${CMAKE_CURRENT_LIST_DIR}/templates/bespoke.pc.in" "${CMAKE_BINARY_DIR}/package/bespoke.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/package/BespokeConfig.cmake" "${CMAKE_BINARY_DIR}/package/BespokeConfigVersion.cmake"
        DESTINATION "${BESPOKE_INSTALL_CMAKEDIR}" COMPONENT runtime)
install(FILES "${CMAKE_BINARY_DIR}/package/bespoke.pc" DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
        COMPONENT runtime)

# CPack: a .tar.gz and a .deb for the target architecture.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(_deb_arch arm64)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^arm")
  set(_deb_arch armhf)
else()
  set(_deb_arch amd64)
endif()
set(CPACK_PACKAGE_NAME "bespoke-runtime")
set(CPACK_PACKAGE_VENDOR "Bespoke")
set(CPACK_PACKAGE_CONTACT "Bespoke developers <bespoke@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_FILE_NAME "bespoke-runtime-${PROJECT_VERSION}-${_deb_arch}")
set(CPACK_GENERATOR "TGZ;DEB")
set(CPACK_COMPONENTS_ALL runtime)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY OFF)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "${_deb_arch}")
set(CPACK_DEBIAN_PACKAGE_SECTION "libs")
set(_deb_depends "libxnnpack0, libpthreadpool0, libcpuinfo0")
if(BESPOKE_WITH_ONEDNN)
  string(APPEND _deb_depends ", libdnnl2.6")
endif()
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${_deb_depends}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr/local")
include(CPack)
