# Cross-compiles the runtime for 32-bit ARM (armhf) Linux with Debian's cross
# compiler (crossbuild-essential-armhf); see debian-cross.cmake.
set(BESPOKE_CROSS_PROCESSOR arm)
set(BESPOKE_CROSS_TRIPLE arm-linux-gnueabihf)
set(BESPOKE_DEBIAN_ARCH armhf)
set(BESPOKE_EMULATED_ARCH armhf)
include("${CMAKE_CURRENT_LIST_DIR}/debian-cross.cmake")
# GCC notes on every function passing a std::pair/array of floats by value that
# its 32-bit ARM calling convention changed in GCC 7.1 (-Wpsabi). It concerns
# mixing objects built by GCC < 7.1 with newer ones, which this build never
# does (everything comes from one compiler and Debian 12's libraries); the
# hundreds of notes hid real warnings, so this one note alone is silenced.
string(APPEND CMAKE_C_FLAGS_INIT " -Wno-psabi")
string(APPEND CMAKE_CXX_FLAGS_INIT " -Wno-psabi")
