#!/usr/bin/env bash
# Installs the runtime from a build tree, moves the installed tree elsewhere
# (it must be relocatable), then builds examples/embed-c against it twice —
# with CMake find_package(Bespoke) and with plain cc $(pkg-config ...) — and
# runs both on a model.
#   test-install.sh BUILD_DIR WORK_DIR MODEL.bspk [aarch64|armhf]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
work=$2
model=$3
arch=${4:-}

rm -rf "$work"
mkdir -p "$work"
cmake --install "$build" --prefix "$work/staging" --component runtime >/dev/null
mv "$work/staging" "$work/moved-prefix"   # relocatable: nothing may point at the old place
prefix="$work/moved-prefix"
test -f "$prefix/include/bespoke/bespoke.h"
test -f "$prefix/lib/cmake/Bespoke/BespokeConfig.cmake"
test -f "$prefix/lib/pkgconfig/bespoke.pc"

cmake_args=()
cc=cc
run=()
if [[ -n $arch ]]; then
  case "$arch" in
    aarch64) triple=aarch64-linux-gnu; toolchain=aarch64-linux-gnu.cmake ;;
    armhf) triple=arm-linux-gnueabihf; toolchain=arm-linux-gnueabihf.cmake ;;
    *) echo "test-install: unknown arch $arch" >&2; exit 2 ;;
  esac
  sysroot=$(grep -E '^BESPOKE_SYSROOT:' "$build/CMakeCache.txt" | cut -d= -f2-)
  cmake_args=(-DCMAKE_TOOLCHAIN_FILE="$src/toolchains/$toolchain" -DBESPOKE_SYSROOT="$sysroot")
  cc="$triple-gcc -Wl,-rpath-link,$sysroot/usr/lib/$triple"
  run=(env BESPOKE_CROSS_BUILD_DIR="$build" BESPOKE_EXTRA_LIBRARY_PATH="$prefix/lib"
       "$src/scripts/run-emulated" "$arch")
else
  run=(env LD_LIBRARY_PATH="$prefix/lib")
fi

echo "== CMake: find_package(Bespoke)"
cmake -S "$src/examples/embed-c" -B "$work/with-cmake" -DBespoke_DIR="$prefix/lib/cmake/Bespoke" \
  "${cmake_args[@]}" >/dev/null
cmake --build "$work/with-cmake" >/dev/null
"${run[@]}" "$work/with-cmake/embed-c" "$model"

echo "== cc \$(pkg-config --cflags --libs bespoke)"
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" pkg-config --cflags --libs bespoke)
# shellcheck disable=SC2086
$cc -std=c99 -Wall -Werror "$src/examples/embed-c/embed.c" -o "$work/embed-c-pkgconfig" $flags
"${run[@]}" "$work/embed-c-pkgconfig" "$model"
echo "test-install: OK"
