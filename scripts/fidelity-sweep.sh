#!/bin/sh
# fidelity-sweep.sh — the long fidelity sweep: random traces through the
# model and the real glibc, then every divergence minimised.
#
#   scripts/fidelity-sweep.sh [FROM [TO [OPS]]]
#
# Runs seeds FROM..TO-1 (default 1001..5000, the 'fidelity-long' range;
# OPS fixes the trace length, default varies 100..300 by seed) in the
# build dir $BUILD (default build-verify, set up if missing), writes the
# diverging traces to $BUILD/fidelity-failures/seed-N.ops and a minimised
# copy of each to $BUILD/fidelity-failures/min/seed-N.ops, and prints the
# counts. Copy a minimised trace to tests/verify/regressions/NNN-what.ops
# to keep it as a regression test.
#
# GLIBC=V (2.31, 2.36, 2.41, 2.43) sweeps the real glibc V instead (from
# the cache scripts/glibc-fetch.sh fills) with its profile and its
# release's traces (test-fidelity --glibc=V): failures go to
# $BUILD/fidelity-failures-V/. While the model has no glibc-V profile the
# sweep measures the glibc-2.36 profile against V and minimises nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
from=${1:-1001}
to=${2:-5001}
ops=${3:-}
build=${BUILD:-build-verify}
[ -d "$build" ] || meson setup "$build" >/dev/null || exit 2
meson compile -C "$build" verify/brksim-replay verify/brksim-minimize tests/verify/test-fidelity >/dev/null || exit 2
export BRKSIM_REPLAY="$PWD/$build/verify/brksim-replay"
export BRKSIM_VERIFY_DATA="$PWD/tests/verify"
failures=fidelity-failures
args="--seeds=$from:$to"
min_args=
if [ -n "${GLIBC:-}" ]; then
	failures=fidelity-failures-$GLIBC
	args="$args --glibc=$GLIBC"
	min_args="--glibc=$GLIBC"
fi
rm -rf "${build:?}/$failures"
[ -n "$ops" ] && args="$args --ops=$ops"
start=$(date +%s)
# shellcheck disable=SC2086
(cd "$build" && CK_VERBOSITY=silent ./tests/verify/test-fidelity $args >fidelity-sweep.log 2>&1)
status=$?
end=$(date +%s)
traces=$((to - from))
failed=0
if [ -d "$build/$failures" ]; then
	mkdir -p "$build/$failures/min"
	for f in "$build/$failures"/seed-*.ops; do
		[ -e "$f" ] || continue
		failed=$((failed + 1))
		# shellcheck disable=SC2086
		"$build/verify/brksim-minimize" $min_args "$f" >"$build/$failures/min/$(basename "$f")" 2>/dev/null
	done
fi
echo "fidelity sweep${GLIBC:+ (glibc $GLIBC)}: seeds $from..$((to - 1)): $traces traces, $failed diverged, $((end - start)) s"
grep -E '^(fidelity|brksim-fidelity)' "$build/fidelity-sweep.log"
[ "$failed" -gt 0 ] && echo "diverging traces: $build/$failures (minimised: $build/$failures/min)"
# 77: the release cannot run here or has no profile yet (the line above says which).
[ "$status" -eq 77 ] && exit 77
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
