#!/bin/sh
# screenshots.sh — regenerates docs/screenshots/*.png with brksim itself,
# off-screen: no display is needed (brksim show --screenshot uses SDL's
# software renderer). Run it after changing the view or a lesson.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ -d "$build" ] || meson setup "$build" >/dev/null
meson compile -C "$build" brksim >/dev/null
out=docs/screenshots
mkdir -p "$out"

brksim="$build/app/brksim"
[ -x "$brksim" ] || brksim="$build/brksim"
show="$brksim show"

# steps FILE: how many steps the scenario runs (its last step).
steps() {
	"$brksim" run --format=tsv "$1" | tail -n +2 | wc -l
}

# shot FILE STEP LANG SIZE NAME: one PNG, skipped (with a note) when the
# scenario is not there.
shot() {
	if [ ! -f "$1" ]; then
		echo "screenshots: skipping $5: $1 not found" >&2
		return 0
	fi
	$show "$1" --step "$2" --lang "$3" --size "$4" --screenshot "$out/$5.png"
	echo "$out/$5.png"
}

# The view at a projector's resolution and at 1280×720, in both languages.
shot tests/gui/data/pinned.heap 3 en 1920x1080 pinned-top-en-1080p
shot tests/gui/data/pinned.heap 3 zh 1920x1080 pinned-top-zh-1080p
shot tests/gui/data/pinned.heap 3 en 1280x720 pinned-top-en-720p
shot tests/gui/data/pinned.heap 22 en 1920x1080 fastbins-and-tcache-en-1080p
shot tests/gui/data/pinned.heap 23 en 1920x1080 after-malloc-trim-en-1080p
# Every bundled lesson at its end, and the default lesson in Chinese.
for lesson in scenarios/*.heap; do
	[ -f "$lesson" ] || continue
	name=$(basename "$lesson" .heap)
	shot "$lesson" "$(steps "$lesson")" en 1920x1080 "lesson-$name-en"
done
shot scenarios/default.heap 0 zh 1920x1080 lesson-default-zh-start
