#!/bin/bash
# doc-commands.sh — the commands the teacher's documentation shows must work,
# so that the docs cannot rot: every `brksim ...` line of a ```sh block in
# the given docs is run (from the source root) and must exit 0 (or N when
# its comment says "(exit N)", e.g. a verify that cannot verify), and the
# walk-through lesson of docs/teachers-guide.md ("Writing a new lesson":
# its ```heap blocks, put together) is saved as mylesson.heap, which those
# commands check and verify.
#
# `brksim show` lines render a screenshot instead of opening a window
# (any --screenshot in the doc is redirected to a temporary file); with
# SKIP_SHOW=1 (a build without the GUI) they are skipped.
#
# usage: doc-commands.sh BRKSIM SOURCE_ROOT DOC.md...
set -u
if [ $# -lt 3 ]; then
	echo "usage: $0 BRKSIM SOURCE_ROOT DOC.md..." >&2
	exit 2
fi
brksim_bin=$1
case $brksim_bin in /*) ;; *) brksim_bin=$PWD/$brksim_bin ;; esac # meson passes it relative to the build dir
root=$2
shift 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2

awk '/^## Writing a new lesson/ { on = 1 } on && /^```heap/ { inblock = 1; next }
     on && /^```/ { inblock = 0 } inblock' docs/teachers-guide.md >"$tmp/mylesson.heap"
if ! grep -q '^expect' "$tmp/mylesson.heap"; then
	echo "docs/teachers-guide.md: no walk-through lesson found under 'Writing a new lesson'" >&2
	exit 1
fi

ran=0
failed=0
for doc in "$@"; do
	while IFS= read -r line; do
		cmd=${line%%#*}                     # drop the comment
		cmd=${cmd%"${cmd##*[![:space:]]}"}  # and trailing blanks
		case $cmd in brksim\ *) ;; *) continue ;; esac
		want=0
		case $line in *'(exit '[0-9]')'*) want=${line##*(exit }; want=${want%%)*} ;; esac
		args=${cmd#brksim }
		args=${args//mylesson.heap/$tmp/mylesson.heap}
		case $args in
		show\ *)
			[ "${SKIP_SHOW:-0}" = 1 ] && continue
			args=$(printf '%s' "$args" | sed 's/--screenshot [^ ]*//')
			args="$args --screenshot $tmp/shot.png"
			;;
		esac
		ran=$((ran + 1))
		out=$(eval "SDL_VIDEODRIVER=dummy \"\$brksim_bin\" $args" 2>&1)
		status=$?
		if [ "$status" -ne "$want" ]; then
			echo "$doc: FAILED (exit $status, expected $want): $cmd" >&2
			printf '%s\n' "$out" | tail -n 20 >&2
			failed=$((failed + 1))
		fi
	done < <(awk '/^```sh/ { inblock = 1; next } /^```/ { inblock = 0 } inblock' "$doc")
done

echo "$ran commands run, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
