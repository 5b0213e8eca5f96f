# Finds XNNPACK (Debian's libxnnpack-dev ships no CMake config).
# Defines XNNPACK::XNNPACK, linking pthreadpool and cpuinfo.
include(FindPackageHandleStandardArgs)
find_package(pthreadpool REQUIRED)
find_path(XNNPACK_INCLUDE_DIR xnnpack.h)
find_library(XNNPACK_LIBRARY NAMES XNNPACK)
find_library(XNNPACK_CPUINFO_LIBRARY NAMES cpuinfo)
find_package_handle_standard_args(XNNPACK REQUIRED_VARS XNNPACK_LIBRARY XNNPACK_INCLUDE_DIR XNNPACK_CPUINFO_LIBRARY)
if(XNNPACK_FOUND AND NOT TARGET XNNPACK::XNNPACK)
  add_library(XNNPACK::XNNPACK UNKNOWN IMPORTED)
  set_target_properties(XNNPACK::XNNPACK PROPERTIES IMPORTED_LOCATION "${XNNPACK_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${XNNPACK_INCLUDE_DIR}"
                        INTERFACE_LINK_LIBRARIES "pthreadpool::pthreadpool;${XNNPACK_CPUINFO_LIBRARY}")
endif()
mark_as_advanced(XNNPACK_INCLUDE_DIR XNNPACK_LIBRARY XNNPACK_CPUINFO_LIBRARY)
