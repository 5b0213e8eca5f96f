# Cross-compiles the runtime for armhf Linux with Debian's cross compiler
# (crossbuild-essential-armhf). Libraries come from a sysroot made by
# toolchains/make-sysroot armhf <dir>; pass it as -DBESPOKE_SYSROOT=<dir>
# (scripts/cross-build does all of this).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)

if(NOT BESPOKE_SYSROOT)
  set(BESPOKE_SYSROOT "$ENV{BESPOKE_SYSROOT}")
endif()
if(NOT BESPOKE_SYSROOT)
  message(FATAL_ERROR "Set BESPOKE_SYSROOT to a folder made by toolchains/make-sysroot armhf")
endif()
# Keep it across try_compile projects.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BESPOKE_SYSROOT)

# The sysroot holds only our dependencies (dpkg -x of Debian's armhf packages);
# the C library and libstdc++ come from the cross toolchain itself.
set(CMAKE_FIND_ROOT_PATH "${BESPOKE_SYSROOT}" /usr/arm-linux-gnueabihf)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The sysroot's shared libraries depend on each other; let the linker find them.
set(_bespoke_sysroot_lib "${BESPOKE_SYSROOT}/usr/lib/arm-linux-gnueabihf")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../scripts/run-emulated;armhf")
