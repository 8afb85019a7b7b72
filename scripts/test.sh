#!/bin/sh
# test.sh — the README's second command (and CI's): install, build, run
# every test in a normal build and in an ASan+UBSan build, then print one
# line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
scripts/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
run_suite() { # dir, meson setup options...
	dir=$1; shift
	if [ ! -d "$dir" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); return; }
	fi
	if ! meson compile -C "$dir" >"$dir.compile.log" 2>&1; then
		cat "$dir.compile.log"; failed=$((failed + 1)); return
	fi
	meson test -C "$dir" --print-errorlogs --no-suite fidelity-long >"$dir.test.log" 2>&1
	cat "$dir.test.log"
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	bad=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	ue=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	[ -n "$ok" ] || { failed=$((failed + 1)); return; }
	passed=$((passed + ok))
	failed=$((failed + ${bad:-0} + ${to:-0} + ${ue:-0}))
}
run_suite build
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
