# Finds oneDNN (v2 C API). Debian's dnnl-config.cmake insists on OpenCL, which
# the CPU runtime does not need, so we locate the header and library directly.
# Defines OneDNN::dnnl.
include(FindPackageHandleStandardArgs)
find_path(ONEDNN_INCLUDE_DIR oneapi/dnnl/dnnl.h)
find_library(ONEDNN_LIBRARY NAMES dnnl)
# Debian's oneDNN uses the OpenMP CPU runtime (libgomp); the backend sets its
# thread count with omp_set_num_threads, so it links the same runtime.
find_library(ONEDNN_OPENMP_LIBRARY NAMES gomp libgomp.so.1)
find_package_handle_standard_args(OneDNN REQUIRED_VARS ONEDNN_LIBRARY ONEDNN_INCLUDE_DIR ONEDNN_OPENMP_LIBRARY)
if(OneDNN_FOUND AND NOT TARGET OneDNN::dnnl)
  add_library(OneDNN::dnnl UNKNOWN IMPORTED)
  set_target_properties(OneDNN::dnnl PROPERTIES IMPORTED_LOCATION "${ONEDNN_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${ONEDNN_INCLUDE_DIR}"
                        INTERFACE_LINK_LIBRARIES "${ONEDNN_OPENMP_LIBRARY}")
endif()
mark_as_advanced(ONEDNN_INCLUDE_DIR ONEDNN_LIBRARY ONEDNN_OPENMP_LIBRARY)
