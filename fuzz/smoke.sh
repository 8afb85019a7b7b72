#!/bin/sh
# smoke.sh — builds every harness with clang's libFuzzer (+ ASan and
# UBSan) and fuzzes each one from its seed corpus. Used by the test
# suites 'fuzz' (a few seconds each) and 'fuzz-long' (a fixed number of
# executions), and by hand for longer runs:
#
#   fuzz/smoke.sh SRCDIR WORKDIR [SECONDS_PER_HARNESS] [HARNESS...]
#
# Environment:
#   FUZZ_RUNS=N   run each harness for N executions instead of SECONDS
#   FUZZ_JOBS=J   fuzz J harnesses at a time (default 1)
#   FUZZ_MAX_LEN=N longest input to try (default 65536, the line limit)
#   FUZZ_TIMEOUT=S wall-clock seconds one input may take (default 10)
#   FUZZ_KEEP=DIR copy each crashing input to DIR/<harness>/ (the
#                 'fuzz-long' suite passes fuzz/regressions, so the
#                 default suite replays it from then on)
#
# Objects are kept in WORKDIR/obj and rebuilt only when a source is newer.
# New interesting inputs go to WORKDIR/corpus-<harness> (never into the
# source tree). A crash leaves WORKDIR/crash-<harness>-<hash>: copy it to
# fuzz/regressions/<harness>/ once fixed, so the suite replays it forever.
set -eu
src=$(cd "$1" && pwd)
work=$2
secs=${3:-5}
shift 3 2>/dev/null || shift $#
harnesses=${*:-"parse run tunables rep mtrace ltrace recording detect ops rustname forkjoin"}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "fuzz smoke: $cc not found (scripts/deps.sh test installs clang)"; exit 1; }
mkdir -p "$work/obj"
san="address,undefined"
common="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -I$src -DBRKSIM_VERSION=\"fuzz\""

# The pure layers, once, instrumented for coverage.
build_objects() {
	objs=""
	for f in "$src"/sim/*.c "$src"/lang/*.c "$src"/trace/*.c "$src"/verify/ops_text.c; do
		o="$work/obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o"
		if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$src/sim" "$src/lang" "$src/trace" -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ]; then
			$cc $common -fsanitize=fuzzer-no-link,$san -c "$f" -o "$o"
		fi
		objs="$objs $o"
	done
}

status=0
# Builds harness $1 into $work/fuzz-$1; prints its seed directories.
build_harness() {
	case $1 in
	parse) main=fuzz_parse.c; defs="" ;;
	run) main=fuzz_run.c; defs="" ;;
	tunables) main=fuzz_tunables.c; defs="" ;;
	rep) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_REP" ;;
	mtrace) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_MTRACE" ;;
	ltrace) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_LTRACE" ;;
	recording) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_RECORDING" ;;
	detect) main=fuzz_import.c; defs="" ;;
	ops) main=fuzz_ops.c; defs="" ;;
	rustname) main=fuzz_rustname.c; defs="" ;;
	forkjoin) main=fuzz_forkjoin.c; defs="" ;;
	*) echo "unknown harness $1" >&2; return 2 ;;
	esac
	# shellcheck disable=SC2086
	$cc $common $defs -fsanitize=fuzzer,$san "$src/fuzz/$main" $objs -o "$work/fuzz-$1"
}

# Fuzzes harness $1; writes $work/result-$1 ("ok N" or "failed N").
fuzz_harness() {
	h=$1
	mkdir -p "$work/corpus-$h"
	seeds="$src/fuzz/corpus/$h"
	[ "$h" = run ] && seeds="$src/fuzz/corpus/parse $src/scenarios"
	[ "$h" = detect ] && seeds="$src/fuzz/corpus/rep $src/fuzz/corpus/mtrace $src/fuzz/corpus/ltrace $src/fuzz/corpus/recording"
	regressions=""
	[ -d "$src/fuzz/regressions/$h" ] && regressions="$src/fuzz/regressions/$h"
	if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; else limit="-max_total_time=$secs"; fi
	rm -f "$work/crash-$h-"* "$work/timeout-$h-"* "$work/oom-$h-"* "$work/leak-$h-"*
	# shellcheck disable=SC2086
	if "$work/fuzz-$h" $limit -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 \
		-artifact_prefix="$work/crash-$h-" "$work/corpus-$h" $seeds $regressions >"$work/log-$h.txt" 2>&1; then
		verdict=ok
	else
		verdict=failed
		if [ -n "${FUZZ_KEEP:-}" ]; then
			for f in "$work/crash-$h-"*; do
				[ -f "$f" ] || continue
				mkdir -p "$FUZZ_KEEP/$h"
				cp -n "$f" "$FUZZ_KEEP/$h/$(basename "$f" | sed "s/^crash-$h-//")"
			done
		fi
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log-$h.txt" | tail -n 1)
	echo "$verdict ${runs:-0}" >"$work/result-$h"
}

# Re-entered by the pool below: fuzz one harness, already built.
if [ -n "${FUZZ_ONE:-}" ]; then
	if [ -n "${FUZZ_RUNS:-}" ]; then what="$FUZZ_RUNS executions"; else what="${secs}s"; fi
	echo "fuzz: $FUZZ_ONE for $what"
	fuzz_harness "$FUZZ_ONE"
	exit 0
fi

build_objects
for h in $harnesses; do
	build_harness "$h" || exit 2
done
# A pool of FUZZ_JOBS: each harness starts as soon as one finishes, so a
# slow harness never holds a core idle.
# shellcheck disable=SC2086
printf '%s\n' $harnesses | xargs -P "${FUZZ_JOBS:-1}" -I{} env FUZZ_ONE={} sh "$0" "$src" "$work" "$secs"

total=0
for h in $harnesses; do
	read -r verdict runs <"$work/result-$h"
	total=$((total + runs))
	if [ "$verdict" = ok ]; then
		echo "fuzz: $h: $runs executions, $(sed -n 's/^stat::peak_rss_mb: *//p' "$work/log-$h.txt") MB peak RSS"
	else
		echo "fuzz: $h FAILED after $runs executions; see $work/log-$h.txt:"
		tail -n 40 "$work/log-$h.txt"
		[ -n "${FUZZ_KEEP:-}" ] && echo "fuzz: the input was kept in $FUZZ_KEEP/$h/"
		status=1
	fi
done
echo "fuzz: $total executions in all"
exit $status
