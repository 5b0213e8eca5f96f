# Cross-compiles the runtime for arm64 Linux with Debian's cross compiler
# (crossbuild-essential-arm64). Libraries come from a sysroot made by
# toolchains/make-sysroot arm64 <dir>; pass it as -DBESPOKE_SYSROOT=<dir>
# (scripts/cross-build does all of this).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

if(NOT BESPOKE_SYSROOT)
  set(BESPOKE_SYSROOT "$ENV{BESPOKE_SYSROOT}")
endif()
if(NOT BESPOKE_SYSROOT)
  message(FATAL_ERROR "Set BESPOKE_SYSROOT to a folder made by toolchains/make-sysroot arm64")
endif()
# Keep it across try_compile projects.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BESPOKE_SYSROOT)

# The sysroot holds only our dependencies (dpkg -x of Debian's arm64 packages);
# the C library and libstdc++ come from the cross toolchain itself.
set(CMAKE_FIND_ROOT_PATH "${BESPOKE_SYSROOT}" /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The sysroot's shared libraries depend on each other; let the linker find them.
set(_bespoke_sysroot_lib "${BESPOKE_SYSROOT}/usr/lib/aarch64-linux-gnu")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../scripts/run-emulated;aarch64")
