#!/bin/sh
# screenshots.sh — regenerates docs/screenshots/*.png with brksim itself,
# off-screen: no display is needed (brksim show --screenshot uses SDL's
# software renderer). Run it after changing the view or a lesson.
#
# For each bundled lesson, the step that tells its story (mostly a pause,
# where the view shows the question to ask the class), at a projector's
# 1920x1080 and at the window's default 1280x720; the default lesson also
# in Chinese; lesson 13 side by side (show --compare), in both languages. With --window (and xvfb-run, xdotool, ImageMagick's import),
# also one screenshot of the real window under a virtual X server.
#
# Usage: scripts/screenshots.sh [--window] [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/.."
window=no
if [ "${1:-}" = --window ]; then
	window=yes
	shift
fi
build=${1:-build}
[ -d "$build" ] || meson setup "$build" >/dev/null
meson compile -C "$build" brksim >/dev/null
out=docs/screenshots
mkdir -p "$out"

brksim="$build/app/brksim"
[ -x "$brksim" ] || brksim="$build/brksim"

# shot LESSON STEP LANG: the 1080p and 720p pictures of one lesson step.
shot() {
	file=scenarios/$1.heap
	if [ ! -f "$file" ]; then
		echo "screenshots: skipping $1: $file not found" >&2
		return 0
	fi
	"$brksim" show "$file" --step "$2" --lang "$3" --size 1920x1080 --screenshot "$out/lesson-$1-$3.png"
	"$brksim" show "$file" --step "$2" --lang "$3" --size 1280x720 --screenshot "$out/lesson-$1-$3-720p.png"
	echo "$out/lesson-$1-$3.png $out/lesson-$1-$3-720p.png"
}

# Old names from earlier versions of this script.
rm -f "$out"/pinned-top-*.png "$out"/fastbins-and-tcache-*.png "$out"/after-malloc-trim-*.png "$out"/lesson-default-zh-start.png
# The pictures made below: brksim writes a screenshot over an earlier one
# only when that one says brksim made it (a tEXt chunk since session 29),
# and the older ones in the repository do not.
rm -f "$out"/lesson-*.png "$out"/compare-13-*.png

# lesson                         step  why this step
shot default 5 en                #  both buffers freed under `log`: "Why doesn't the process shrink?"
shot default 5 zh
shot 01-free-is-not-munmap 5 en  #  a and b freed and merged, brk unmoved: "Who can use this free memory now?"
shot 02-top-threshold 7 en       #  200 KiB free in the middle, top short of 128 KiB: "What will free(c) do?"
shot 03-pinned-top 7 en          #  300 KiB free under `pin`: "What would you free to get it back?"
shot 04-two-numbers-128k-and-64k 8 en #  top 22 KiB >= the 16 KiB threshold, yet the 64 KiB gate was not reached
shot 05-fastbins-hide-free-memory 21 en # nine uncoalesced pieces: "What could make these nine pieces one?"
shot 05b-tcache-holds-small-chunks 18 en # seven chunks in the tcache, one in a fastbin, nothing merged
shot 06-vmdata-vs-rss 6 en       #  VmData grown in page steps, RSS only what was written
shot 06b-first-growth-132k 1 en  #  one malloc(10K): VmData +132 KiB (tcache table + top_pad)
shot 07-top-pad 3 en             #  free(b) returns only 116 KiB: the trim keeps top_pad (the released part fades)
shot 08-mmap-threshold 3 en      #  the same 195 KiB now comes from brk: the threshold adapted
shot 08b-setting-freezes-threshold 2 en # thresholds set at start-up stayed at 128 KiB: "mmap or brk this time?"
shot 09-malloc-trim-madvise 10 en #  malloc_trim(0) dropped the middle pages (hatched), brk stayed
shot 10-realloc 5 en             #  realloc could not grow in place past q: moved
shot 11-embedded-ratchet 667 en  #  the heap stays at its high-water mark between photos
shot 11b-embedded-allocation-order 347 en # the second photo's peak is higher: allocation order matters
shot 11c-embedded-mmap-threshold 667 en # strips in mappings: the brk heap stays small
shot 12-glibc-2.36-vs-2.3.6 22 en #  glibc 2.36: eight small frees, nothing merged
shot 12b-glibc-2.3.6 22 en       #  glibc 2.3.6: the same frees merged the heap into top, brk fell
shot 13-twenty-years-of-glibc 50 en #  today's glibc: 7 in the tcache, 17 in a fastbin: "How far will brk fall?"
shot 14-eight-threads-eight-arenas 32 en # nine arenas, each keeping its own free 100 KiB: "Does RSS grow again?"
shot 14b-arena-max-2 32 en       #  eight workers on two arenas, reusing each other's buffers
# 14c under glibc 2.3.6: after the failed malloc, worker[2]'s next buffer in arena 1
"$brksim" show scenarios/14c-threads-in-glibc-2.3.6.heap --profile glibc-2.3.6 --step 34 --lang en --size 1920x1080 \
	--screenshot "$out/lesson-14c-threads-in-glibc-2.3.6-en.png"
"$brksim" show scenarios/14c-threads-in-glibc-2.3.6.heap --profile glibc-2.3.6 --step 34 --lang en --size 1280x720 \
	--screenshot "$out/lesson-14c-threads-in-glibc-2.3.6-en-720p.png"
shot 15-freed-by-another-thread 26 en # arena 1's chunks in the consumer's tcache: "From which arena?"
shot 16-malloc-trim-threaded-server 168 en # four arenas full of free pages: "Which arenas does malloc_trim touch?"
shot 17-a-pool-forks-from-a-thread 10 en # the child freed the parent's table: the lost note pins the top
shot 18-the-programs-own-sbrk 6 en # log freed, top 232 KiB, but the program's sbrk moved the break: no trim

# Side by side: lesson 13 under glibc 2.3.6 and 2.43 after the same 24
# small frees (fastbins against the tcache and immediate merges).
compare_shot() {
	"$brksim" show scenarios/13-twenty-years-of-glibc.heap --compare glibc-2.3.6,glibc-2.43 --step 50 --lang "$1" \
		--size 1920x1080 --screenshot "$out/compare-13-$1.png"
	"$brksim" show scenarios/13-twenty-years-of-glibc.heap --compare glibc-2.3.6,glibc-2.43 --step 50 --lang "$1" \
		--size 1280x720 --screenshot "$out/compare-13-$1-720p.png"
	echo "$out/compare-13-$1.png $out/compare-13-$1-720p.png"
}
compare_shot en
compare_shot zh

# The real window under a virtual X server: the default lesson, played up
# to its first pause with the keyboard, then captured from the screen.
if [ "$window" = yes ]; then
	for tool in xvfb-run xdotool import; do
		command -v "$tool" >/dev/null || { echo "screenshots: --window needs $tool (scripts/deps.sh test)" >&2; exit 2; }
	done
	xvfb-run -a -s "-screen 0 1920x1080x24" sh -c '
		"$1" show scenarios/default.heap --lang en --size 1920x1080 &
		pid=$!
		for i in $(seq 50); do xdotool search --name "^brksim" >/dev/null 2>&1 && break; sleep 0.1; done
		xdotool search --name "^brksim" windowfocus --sync >/dev/null 2>&1 || true
		xdotool key space       # play: the player stops by itself at the first pause
		sleep 8
		import -window root "$2"
		xdotool key q
		wait "$pid"
	' sh "$brksim" "$out/window-xvfb.png"
	echo "$out/window-xvfb.png"
fi
du -ch "$out"/*.png | tail -1
