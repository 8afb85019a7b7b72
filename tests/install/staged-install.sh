#!/bin/sh
# staged-install.sh — brksim as a package would ship it: `meson install
# --destdir` into a temporary tree, then the installed program (not the
# build tree's) records a program, shows the default lesson off-screen and
# verifies a lesson, each finding its helper (brksim-record.so, the
# window's brksim-gui.so, the default lesson, brksim-replay) relative to itself; the docs, the man page
# (with ENVIRONMENT and EXAMPLES), the icon and the MIME type are there,
# and the desktop entry passes desktop-file-validate.
#
# Usage: staged-install.sh BUILD_DIR
set -eu
build=$1
dest=$(mktemp -d /tmp/brksim-staged-XXXXXX)
trap 'rm -rf "$dest"' EXIT
# The helpers must be found from the installed layout, not from these.
unset BRKSIM_RECORD_LIB BRKSIM_REPLAY BRKSIM_SCENARIOS || true
fail() { echo "FAIL: $*"; exit 1; }

meson install -C "$build" --destdir "$dest" --no-rebuild >"$dest/install.log" 2>&1 || {
	cat "$dest/install.log"; fail "meson install --destdir"; }
bin=$(find "$dest" -path '*/bin/brksim' -type f | head -n 1)
[ -n "$bin" ] || fail "no bin/brksim in the staged tree"
root=${bin%/bin/brksim}

for f in share/doc/brksim/user-guide.md share/doc/brksim/teachers-guide.md share/doc/brksim/language.md \
	share/doc/brksim/json.md share/doc/brksim/glossary.md share/brksim/scenarios/default.heap \
	share/icons/hicolor/scalable/apps/brksim.svg share/mime/packages/brksim.xml \
	share/applications/brksim.desktop share/man/man1/brksim.1; do
	[ -f "$root/$f" ] || fail "$f is not installed"
done
grep -q 'pattern="\*.heap"' "$root/share/mime/packages/brksim.xml" || fail "the MIME type has no *.heap glob"
grep -q '^MimeType=text/x-brksim-heap;' "$root/share/applications/brksim.desktop" || fail "desktop entry without MimeType"
grep -q '^Icon=brksim$' "$root/share/applications/brksim.desktop" || fail "desktop entry without Icon"
if command -v desktop-file-validate >/dev/null 2>&1; then
	out=$(desktop-file-validate "$root/share/applications/brksim.desktop" 2>&1) || fail "desktop-file-validate: $out"
	[ -z "$out" ] || fail "desktop-file-validate: $out"
fi
if command -v man >/dev/null 2>&1; then
	page=$(MANWIDTH=100 man -l "$root/share/man/man1/brksim.1" 2>/dev/null)
	for section in ENVIRONMENT EXAMPLES 'KEYS (show)' BRKSIM_FONT BRKSIM_RECORD_LIB BRKSIM_REPLAY; do
		printf '%s\n' "$page" | grep -q "$section" || fail "the man page has no $section"
	done
fi

# record: the preload library from the installed libdir
"$bin" record -o "$dest/true.trace" -- /bin/true || fail "installed brksim record cannot record /bin/true"
[ -s "$dest/true.trace" ] || fail "record wrote nothing"
"$bin" run --quiet "$dest/true.trace" >/dev/null || fail "installed brksim cannot run its own recording"

# show without FILE: the installed default lesson
SDL_VIDEODRIVER=dummy "$bin" show --screenshot "$dest/default.png" || fail "installed brksim show"
[ -s "$dest/default.png" ] || fail "no screenshot"

# verify: the installed brksim-replay
"$bin" verify "$root/share/brksim/scenarios/03-pinned-top.heap" || fail "installed brksim verify"
echo "staged install in $root: record, show, verify, docs, man page, desktop entry and MIME type ok"
