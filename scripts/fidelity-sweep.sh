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
set -u
cd "$(dirname "$0")/.."
from=${1:-1001}
to=${2:-5001}
ops=${3:-}
build=${BUILD:-build-verify}
[ -d "$build" ] || meson setup "$build" >/dev/null || exit 2
meson compile -C "$build" verify/brksim-replay verify/brksim-minimize tests/verify/test-fidelity >/dev/null || exit 2
export BRKSIM_REPLAY="$PWD/$build/verify/brksim-replay"
export BRKSIM_VERIFY_DATA="$PWD/tests/verify"
rm -rf "$build/fidelity-failures"
args="--seeds=$from:$to"
[ -n "$ops" ] && args="$args --ops=$ops"
start=$(date +%s)
(cd "$build" && CK_VERBOSITY=silent ./tests/verify/test-fidelity $args >fidelity-sweep.log 2>&1)
status=$?
end=$(date +%s)
traces=$((to - from))
failed=0
if [ -d "$build/fidelity-failures" ]; then
	mkdir -p "$build/fidelity-failures/min"
	for f in "$build"/fidelity-failures/seed-*.ops; do
		[ -e "$f" ] || continue
		failed=$((failed + 1))
		"$build/verify/brksim-minimize" "$f" >"$build/fidelity-failures/min/$(basename "$f")" 2>/dev/null
	done
fi
echo "fidelity sweep: seeds $from..$((to - 1)): $traces traces, $failed diverged, $((end - start)) s"
grep '^fidelity: ' "$build/fidelity-sweep.log"
[ "$failed" -gt 0 ] && echo "diverging traces: $build/fidelity-failures (minimised: $build/fidelity-failures/min)"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
