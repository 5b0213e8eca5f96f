# What every Debian cross toolchain file of ours shares. The including file
# sets, before include():
#   BESPOKE_CROSS_PROCESSOR  CMAKE_SYSTEM_PROCESSOR (aarch64, arm)
#   BESPOKE_CROSS_TRIPLE     GNU triple of Debian's cross compiler (aarch64-linux-gnu)
#   BESPOKE_DEBIAN_ARCH      Debian architecture of the sysroot (arm64, armhf)
#   BESPOKE_EMULATED_ARCH    scripts/run-emulated's name for it (aarch64, armhf)
# Libraries come from a sysroot made by toolchains/make-sysroot
# <debian-arch> <dir>; pass it as -DBESPOKE_SYSROOT=<dir> (scripts/cross-build
# does all of this).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${BESPOKE_CROSS_PROCESSOR})
set(CMAKE_C_COMPILER ${BESPOKE_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${BESPOKE_CROSS_TRIPLE}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${BESPOKE_CROSS_TRIPLE})

if(NOT BESPOKE_SYSROOT)
  set(BESPOKE_SYSROOT "$ENV{BESPOKE_SYSROOT}")
endif()
if(NOT BESPOKE_SYSROOT)
  message(FATAL_ERROR "Set BESPOKE_SYSROOT to a folder made by toolchains/make-sysroot ${BESPOKE_DEBIAN_ARCH}")
endif()
# Keep it across try_compile projects.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BESPOKE_SYSROOT)

# The sysroot holds only our dependencies (dpkg -x of Debian's
# ${BESPOKE_DEBIAN_ARCH} packages); the C library and libstdc++ come from the
# cross toolchain itself.
set(CMAKE_FIND_ROOT_PATH "${BESPOKE_SYSROOT}" /usr/${BESPOKE_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The sysroot's shared libraries depend on each other; let the linker find them.
set(_bespoke_sysroot_lib "${BESPOKE_SYSROOT}/usr/lib/${BESPOKE_CROSS_TRIPLE}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_bespoke_sysroot_lib}")
set(CMAKE_CROSSCOMPILING_EMULATOR "${CMAKE_CURRENT_LIST_DIR}/../scripts/run-emulated;${BESPOKE_EMULATED_ARCH}")
