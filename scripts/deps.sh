#!/bin/sh
# deps.sh — installs what brksim needs on Debian 12, only what is missing.
# Usage: scripts/deps.sh [build|test|bench]   (test adds the tools the suite
# uses; bench adds to those the programs scripts/bench.sh records: jq)
set -eu
want="meson ninja-build pkg-config gcc check libsdl2-dev libsdl2-ttf-dev zlib1g-dev libfontconfig-dev fonts-wqy-microhei libunwind-dev libdw-dev"
case ${1:-build} in
build) ;;
test | bench)
	want="$want xvfb xdotool imagemagick ltrace afl++ clang libclang-rt-14-dev heaptrack desktop-file-utils man-db valgrind debuginfod"
	[ "$1" = bench ] && want="$want jq"
	;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "brksim: installing:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
