#!/bin/sh
# test-title-says.sh — the window's title says what makes the picture
# more than the file alone: `brksim show --trim-every N` (the what-if),
# a recording that ends early (its size limit). Off-screen screenshots
# of one step of FILE_A and of FILE_B with ARGS... differ in the title
# bar and nowhere in the heap, panels and log above the timeline.
# ImageMagick's compare counts the pixels.
#
# Usage: test-title-says.sh BRKSIM STEP FILE_A FILE_B [ARGS...]
set -u
brksim=$1
step=$2
file_a=$3
file_b=$4
shift 4
command -v compare >/dev/null 2>&1 || { echo "FAIL: ImageMagick's compare is missing (scripts/deps.sh test installs it)"; exit 1; }
dir=$(mktemp -d /tmp/brksim-title-XXXXXX)
trap 'rm -rf "$dir"' EXIT
export SDL_VIDEODRIVER=dummy
"$brksim" show "$file_a" --lang en --size 1280x720 --step "$step" --screenshot "$dir/a.png" || exit 1
"$brksim" show "$file_b" --lang en --size 1280x720 --step "$step" "$@" --screenshot "$dir/b.png" || exit 1
# pixels that differ in a region WxH+X+Y
differ() {
	convert "$dir/a.png" -crop "$1" +repage "$dir/a-part.png" &&
		convert "$dir/b.png" -crop "$1" +repage "$dir/b-part.png" &&
		compare -metric AE "$dir/a-part.png" "$dir/b-part.png" null: 2>&1 | cut -d' ' -f1
}
title=$(differ 1280x36+0+0)
rest=$(differ 1280x600+0+40)
echo "title bar: $title pixels differ; below it, above the timeline: $rest"
[ "${title:-0}" -gt 200 ] || { echo "FAIL: the title says nothing more"; exit 1; }
[ "$rest" = 0 ] || { echo "FAIL: the picture changed below the title"; exit 1; }
