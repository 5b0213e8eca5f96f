#!/bin/sh
# with_assets.sh PATH... -- COMMAND [ARG...]
# Runs COMMAND when every PATH exists (test assets, fixture files, tools).
# Otherwise it fails with a message naming what is missing: a CTest test or
# fixture must never pass without testing. BESPOKE_ALLOW_MISSING_ASSETS=1 (a
# developer's quick local run, never CI) turns that into a skip: it prints
# the marker CTest's SKIP_REGULAR_EXPRESSION looks for (support/test_assets.h).
missing=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  [ -e "$1" ] || missing="$missing $1"
  shift
done
[ "$1" = "--" ] && shift
if [ $# -eq 0 ]; then
  echo "with_assets.sh: no command after --" >&2
  exit 2
fi
if [ -n "$missing" ]; then
  if [ "${BESPOKE_ALLOW_MISSING_ASSETS:-}" = "1" ]; then
    echo "BESPOKE-SKIPPED: missing test assets:$missing"
    exit 0
  fi
  echo "missing test assets:$missing (scripts/install-deps installs them; BESPOKE_ALLOW_MISSING_ASSETS=1 skips for a local run)" >&2
  exit 1
fi
exec "$@"
