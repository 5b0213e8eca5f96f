# Cross-compiles the runtime for 32-bit ARM (armhf) Linux with Debian's cross
# compiler (crossbuild-essential-armhf); see debian-cross.cmake.
set(BESPOKE_CROSS_PROCESSOR arm)
set(BESPOKE_CROSS_TRIPLE arm-linux-gnueabihf)
set(BESPOKE_DEBIAN_ARCH armhf)
set(BESPOKE_EMULATED_ARCH armhf)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
