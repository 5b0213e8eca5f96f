# Cross-compiles the runtime for 32-bit ARM (armhf) Linux with Debian's cross
# compiler (crossbuild-essential-armhf); see debian-cross.cmake.
set(BESPOKE_CROSS_PROCESSOR arm)
set(BESPOKE_CROSS_TRIPLE arm-linux-gnueabihf)
set(BESPOKE_DEBIAN_ARCH armhf)
set(BESPOKE_EMULATED_ARCH armhf)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
# GCC's -Wpsabi note "parameter passing for argument of type
# 'std::vector<long long>::iterator' changed in GCC 7.1" comes for every
# standard container iterator over 8-byte-aligned elements the 32-bit ARM ABI
# passes by value. It matters only when mixing objects from GCC < 7.1 with
# newer ones, which this build never does (one compiler, Debian 12's
# libraries); the hundreds of notes hid real warnings, so this note alone is
# silenced (-Wall -Wextra stay on).
set(CMAKE_C_FLAGS_INIT "-Wno-psabi")  # set, not appended: toolchain files are read more than once
set(CMAKE_CXX_FLAGS_INIT "-Wno-psabi")
