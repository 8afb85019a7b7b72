#!/bin/sh
# test.sh — the README's second command (and CI's): install, build, run
# every test in a normal build and in an ASan+UBSan build, then print one
# line "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
scripts/deps.sh test || { echo "0 passed, 1 failed"; exit 1; }
# The real glibc 2.31, 2.41 and 2.43 the fidelity suites compare with
# (Debian's packages, cached under ~/.cache/brksim/glibc). Without the
# network their suites are skipped, and this says so loudly.
if ! scripts/glibc-fetch.sh --quiet; then
	echo "WARNING: cannot fetch Debian's libc6 packages: the fidelity suites of the glibc" >&2
	echo "WARNING: versions missing from the cache will be SKIPPED, not checked (see above)" >&2
fi
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
	# shellcheck disable=SC2086 # $test_args is a list of options
	meson test -C "$dir" --print-errorlogs --no-suite fidelity-long $test_args >"$dir.test.log" 2>&1
	cat "$dir.test.log"
	# Skipped suites say why (a glibc that cannot run here, a profile the
	# model does not have yet, with the measured share of identical ops).
	grep -h '^brksim-fidelity: ' "$dir/meson-logs/testlog.txt" 2>/dev/null | sort -u
	ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	bad=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	to=$(sed -n 's/^Timeout: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	ue=$(sed -n 's/^Unexpected Pass: *\([0-9]*\).*/\1/p' "$dir.test.log" | tail -n 1)
	[ -n "$ok" ] || { failed=$((failed + 1)); return; }
	passed=$((passed + ok))
	failed=$((failed + ${bad:-0} + ${to:-0} + ${ue:-0}))
}
# UBSan's findings fail the test that made them (by default it prints a
# warning and goes on, which a passing suite would hide).
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
test_args=
run_suite build
# Sanitized code runs two to four times slower: its tests get twice the
# time limits (the core suites' random traces take 25-35 s of their 180
# under ASan on an idle machine, and ran out on a loaded one).
test_args=--timeout-multiplier=2
run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
