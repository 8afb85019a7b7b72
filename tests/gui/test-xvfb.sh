#!/bin/sh
# test-xvfb.sh — `brksim show` in a real X window (a virtual X server):
# keys typed with xdotool step forward, jump to the end and back, the
# screen is captured with ImageMagick's import and must show what the
# off-screen renderer draws for the same step (pixel difference within a
# small tolerance), the window title names the lesson and follows L, no
# OpenGL driver is loaded, and Q quits with status 0.
#
# Usage: test-xvfb.sh BRKSIM SCENARIO
# Skips (77) only when no virtual X server (xvfb-run) is installed; the
# other tools come with it in scripts/deps.sh test, so their absence fails.
set -u
brksim=$1
scenario=$2
command -v xvfb-run >/dev/null 2>&1 || { echo "xvfb-run not installed: skipping (scripts/deps.sh test installs it)"; exit 77; }
for tool in xdotool import compare; do
	command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $tool is missing (scripts/deps.sh test installs xdotool and imagemagick)"; exit 1; }
done
dir=$(mktemp -d /tmp/brksim-xvfb-XXXXXX)
trap 'rm -rf "$dir"' EXIT

# The reference pictures, off-screen, at the window's size.
"$brksim" show "$scenario" --lang en --size 1280x720 --step 3 --screenshot "$dir/want-3.png" || exit 1
"$brksim" show "$scenario" --lang en --size 1280x720 --step -2 --screenshot "$dir/want-end.png" || exit 1

cat >"$dir/loading-bar.sh" <<'FUNCTION'
# loading_bar PNG: how many pixels of the loading bar's row are its filled
# part's colour (the accent, #0072b2).
loading_bar() {
	convert "$1" -crop 768x1+256+360 -fuzz 3% -fill black -opaque white -fill white -opaque '#0072b2' \
		-fill black +opaque white \
		-format '%[fx:round(w*mean)]' info: 2>/dev/null
}
FUNCTION
. "$dir/loading-bar.sh"

cat >"$dir/session.sh" <<'SESSION'
#!/bin/sh
# Runs inside the virtual X server.
set -u
. "$3/loading-bar.sh"
brksim=$1; scenario=$2; dir=$3
# show FILE LOG: `brksim show FILE` in the background ($pid), and its
# window once it is on screen ($win; ten seconds at most).
show() {
	# In a sanitizer build, X11 and D-Bus (loaded by SDL's X11 driver)
	# leak small buffers at exit; brksim's own window code is leak-checked
	# by the dummy-driver smoke test, so leak checking is off for this
	# process only.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$brksim" show "$1" --lang en --size 1280x720 >"$2" 2>&1 &
	pid=$!
	win=
	for i in $(seq 100); do
		win=$(xdotool search --onlyvisible --name '^brksim' 2>/dev/null | head -n 1)
		[ -n "$win" ] && break
		sleep 0.1
	done
	[ -n "$win" ] || { echo "no brksim window appeared for $1"; cat "$2"; kill "$pid"; exit 1; }
}
show "$scenario" "$dir/show.log"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool mousemove 5 5 # over the title: no tooltip
# The window's pixels go to X directly, not through an OpenGL driver
# (Mesa's llvmpipe here: about 100 MB more resident memory).
grep -oE '[^/]*(libGL|_dri|libLLVM)[^/]*$' "/proc/$pid/maps" | sort -u >"$dir/gl-libs"
sleep 0.5
# capture NAME: the screen once it shows the reference picture (animations
# end within a second; a loaded machine gets ten), else the last capture.
capture() {
	for i in $(seq 20); do
		sleep 0.5
		import -window root "$dir/got-$1.png"
		d=$(compare -metric AE -fuzz 3% "$dir/got-$1.png" "$dir/want-$1.png" null: 2>&1 | cut -d' ' -f1)
		case $d in '' | *[!0-9.]*) ;; *) [ "${d%.*}" -lt 4608 ] && return ;; esac
	done
}
xdotool key Right Right Right # three steps, animated
capture 3
xdotool key End Left # the last step, then one back
capture end
xdotool getwindowname "$win" >"$dir/title-en"
xdotool key l # Chinese captions: the title follows
sleep 1
xdotool getwindowname "$win" >"$dir/title-zh"
xdotool key q
wait "$pid"
echo "exit $?" >"$dir/status"

# A long trace: the window opens at once and shows how far its timeline's
# build has come; Q stops the build, and brksim ends with status 0.
# (4M mallocs and frees of 16 to 3,015 bytes, 4,000 to 8,000 live: about
# two seconds of build here, longer under the sanitizers)
awk 'BEGIN { s = 1; n = 0; for (i = 0; i < 4000000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
	if (n < 4000 || (s % 2 && n < 8000)) { live[n++] = i; print "a " i " " (16 + s % 3000) }
	else { k = int(s / 2) % n; print "f " live[k]; live[k] = live[--n] } } }' >"$dir/long.ops"
show "$dir/long.ops" "$dir/long.log"
# The loading frame is captured once its bar shows (the first frame may
# come late on a busy machine; the build lasts seconds), else the last try.
for i in $(seq 15); do
	sleep 0.2
	import -window root "$dir/loading.png"
	[ "$(loading_bar "$dir/loading.png")" -ge 1 ] 2>/dev/null && break
done
xdotool getwindowname "$win" >"$dir/title-loading"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool key q
wait "$pid"
echo "exit $?" >"$dir/status-loading"
SESSION

# A server number of our own (xvfb-run -a races with other test runs that
# pick a free number at the same moment: both take :99); retried with
# another number when the server could not be reached.
ok=no
for try in 1 2 3; do
	n=$((100 + ($$ * 7 + try * 131) % 800))
	if xvfb-run -n "$n" -s "-screen 0 1280x720x24" sh "$dir/session.sh" "$brksim" "$scenario" "$dir" >"$dir/session.out" 2>&1; then
		ok=yes
		cat "$dir/session.out"
		break
	fi
	grep -q "cannot be reached\|no brksim window appeared" "$dir/session.out" || break
done
[ "$ok" = yes ] || { cat "$dir/session.out"; echo "FAIL: the X session failed"; exit 1; }
status=$(cat "$dir/status" 2>/dev/null)
[ "$status" = "exit 0" ] || { echo "FAIL: brksim show ended with '$status'"; cat "$dir/show.log"; exit 1; }

# Stopped while it opened: the loading frame was on screen (its bar's
# filled part, in the accent colour), and Q ended brksim with status 0.
status=$(cat "$dir/status-loading" 2>/dev/null)
[ "$status" = "exit 0" ] || { echo "FAIL: q while opening ended with '$status'"; cat "$dir/long.log"; exit 1; }
grep -q "^brksim — $dir/long.ops" "$dir/title-loading" || { echo "FAIL: title while opening '$(cat "$dir/title-loading")'"; exit 1; }
bar=$(loading_bar "$dir/loading.png")
echo "loading: $bar of the bar row's 768 pixels are the bar's colour"
case $bar in '' | *[!0-9]*) echo "FAIL: no loading frame ($bar)"; exit 1 ;; esac
[ "$bar" -ge 1 ] || { echo "FAIL: the window did not show the loading bar"; exit 1; }

[ -s "$dir/gl-libs" ] && { echo "FAIL: the window loaded an OpenGL driver:"; cat "$dir/gl-libs"; exit 1; }

# The window is named after the lesson, in the caption language.
grep -q '^brksim — How a process gives memory back' "$dir/title-en" || { echo "FAIL: title '$(cat "$dir/title-en")'"; exit 1; }
grep -q '^brksim — 进程如何归还内存' "$dir/title-zh" || { echo "FAIL: title after L '$(cat "$dir/title-zh")'"; exit 1; }

# Pixels that differ by more than 3% of the range (anti-aliasing, font
# hinting) must be under 0.5% of the window.
fail=0
for k in 3 end; do
	[ -f "$dir/got-$k.png" ] || { echo "FAIL: no screenshot got-$k.png"; fail=1; continue; }
	size=$(identify -format '%wx%h' "$dir/got-$k.png")
	[ "$size" = 1280x720 ] || { echo "FAIL: screen capture is $size"; fail=1; continue; }
	differ=$(compare -metric AE -fuzz 3% "$dir/got-$k.png" "$dir/want-$k.png" null: 2>&1 | cut -d' ' -f1)
	echo "step $k: $differ of 921600 pixels differ from the off-screen picture"
	case $differ in
	'' | *[!0-9.]*) echo "FAIL: compare said '$differ'"; fail=1 ;;
	*) [ "${differ%.*}" -lt 4608 ] || { echo "FAIL: the window does not show step $k"; fail=1; } ;;
	esac
done
# And a step that differs is detected: step 3 is not the end.
differ=$(compare -metric AE -fuzz 3% "$dir/got-3.png" "$dir/want-end.png" null: 2>&1 | cut -d' ' -f1)
[ "${differ%.*}" -ge 4608 ] || { echo "FAIL: steps 3 and the end look alike ($differ)"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"
