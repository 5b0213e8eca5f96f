# User-facing build options. The optimizer (LibTorch) and the converter (ONNX,
# protobuf) are host tools: they are never cross-compiled.
set(_bespoke_host_x86_64 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(_bespoke_host_x86_64 ON)
endif()

option(BESPOKE_BUILD_TESTS "Build the doctest suites and register them with CTest" ON)
option(BESPOKE_WITH_XNNPACK "Build the XNNPACK backend" ON)
option(BESPOKE_MINIMAL "Runtime with reference + XNNPACK only, no exceptions/RTTI in the core" OFF)
if(_bespoke_host_x86_64 AND NOT CMAKE_CROSSCOMPILING AND NOT BESPOKE_MINIMAL)
  set(_bespoke_default_onednn ON)
else()
  set(_bespoke_default_onednn OFF)
endif()
option(BESPOKE_WITH_ONEDNN "Build the oneDNN backend (x86-64)" ${_bespoke_default_onednn})
if(CMAKE_CROSSCOMPILING)
  set(_bespoke_default_host_tools OFF)
else()
  set(_bespoke_default_host_tools ON)
endif()
option(BESPOKE_BUILD_CONVERTER "Build the IR, ONNX importer, writers and bespoke-convert (needs ONNX)"
       ${_bespoke_default_host_tools})
if(_bespoke_host_x86_64 AND NOT CMAKE_CROSSCOMPILING)
  set(_bespoke_default_optimizer ON)
else()
  set(_bespoke_default_optimizer OFF)
endif()
# The LibTorch parts build on the converter's libraries: without the converter
# the option is forced OFF (and says so in the cache) rather than ignored.
include(CMakeDependentOption)
cmake_dependent_option(BESPOKE_BUILD_OPTIMIZER "Build the LibTorch parts of the optimizer (needs BESPOKE_BUILD_CONVERTER)"
                       ${_bespoke_default_optimizer} "BESPOKE_BUILD_CONVERTER" OFF)
set(BESPOKE_HOST_BUILD_DIR "" CACHE PATH "Host build whose converted fixtures a cross build's tests use")
set(BESPOKE_SANITIZE "" CACHE STRING "Sanitizers for our code, e.g. address;undefined")
