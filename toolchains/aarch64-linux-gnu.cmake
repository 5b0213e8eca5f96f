# Cross-compiles the runtime for arm64 Linux with Debian's cross compiler
# (crossbuild-essential-arm64); see debian-cross.cmake.
set(BESPOKE_CROSS_PROCESSOR aarch64)
set(BESPOKE_CROSS_TRIPLE aarch64-linux-gnu)
set(BESPOKE_DEBIAN_ARCH arm64)
set(BESPOKE_EMULATED_ARCH aarch64)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
