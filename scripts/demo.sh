#!/bin/sh
# demo.sh — the README's first command: install, build, open the default lesson.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh build
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null
exec build/app/brksim show scenarios/default.heap "$@"
