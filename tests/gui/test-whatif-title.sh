#!/bin/sh
# test-whatif-title.sh — `brksim show --trim-every N` says the what-if in
# the window's title: off-screen screenshots of the first step with and
# without it differ in the title bar and nowhere in the heap, panels and
# log above the timeline (no trim has happened yet; the timeline's ticks
# mark the trims to come). ImageMagick's compare counts the pixels.
#
# Usage: test-whatif-title.sh BRKSIM SCENARIO
set -u
brksim=$1
scenario=$2
command -v compare >/dev/null 2>&1 || { echo "FAIL: ImageMagick's compare is missing (scripts/deps.sh test installs it)"; exit 1; }
dir=$(mktemp -d /tmp/brksim-whatif-XXXXXX)
trap 'rm -rf "$dir"' EXIT
export SDL_VIDEODRIVER=dummy
"$brksim" show "$scenario" --lang en --size 1280x720 --step 1 --screenshot "$dir/plain.png" || exit 1
"$brksim" show "$scenario" --lang en --size 1280x720 --step 1 --trim-every 3 --screenshot "$dir/whatif.png" || exit 1
# pixels that differ in a region WxH+X+Y
differ() {
	convert "$dir/plain.png" -crop "$1" +repage "$dir/a.png" &&
		convert "$dir/whatif.png" -crop "$1" +repage "$dir/b.png" &&
		compare -metric AE "$dir/a.png" "$dir/b.png" null: 2>&1 | cut -d' ' -f1
}
title=$(differ 1280x36+0+0)
rest=$(differ 1280x600+0+40)
echo "title bar: $title pixels differ; below it, above the timeline: $rest"
[ "${title:-0}" -gt 200 ] || { echo "FAIL: the title does not say the what-if"; exit 1; }
[ "$rest" = 0 ] || { echo "FAIL: the first step's picture changed below the title"; exit 1; }
