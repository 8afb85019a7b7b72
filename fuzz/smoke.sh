#!/bin/sh
# smoke.sh — builds every harness with clang's libFuzzer (+ ASan and
# UBSan) and fuzzes each one briefly from its seed corpus. Used by the
# test suite (suite 'fuzz') and by hand for longer runs:
#
#   fuzz/smoke.sh SRCDIR WORKDIR [SECONDS_PER_HARNESS] [HARNESS...]
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
harnesses=${*:-"parse tunables rep mtrace ltrace recording detect"}
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "fuzz smoke: $cc not found (scripts/deps.sh test installs clang)"; exit 1; }
mkdir -p "$work/obj"
san="address,undefined"
common="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=undefined -I$src -DBRKSIM_VERSION=\"fuzz\""

# The pure layers, once, instrumented for coverage.
objs=""
for f in "$src"/sim/*.c "$src"/lang/*.c "$src"/trace/*.c; do
	o="$work/obj/$(basename "$(dirname "$f")")_$(basename "$f" .c).o"
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find "$src/sim" "$src/lang" "$src/trace" -name '*.h' -newer "$o" 2>/dev/null | head -n 1)" ]; then
		$cc $common -fsanitize=fuzzer-no-link,$san -c "$f" -o "$o"
	fi
	objs="$objs $o"
done

status=0
for h in $harnesses; do
	case $h in
	parse) main=fuzz_parse.c; defs="" ;;
	tunables) main=fuzz_tunables.c; defs="" ;;
	rep) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_REP" ;;
	mtrace) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_MTRACE" ;;
	ltrace) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_LTRACE" ;;
	recording) main=fuzz_import.c; defs="-DFUZZ_FORMAT=TRACE_FORMAT_RECORDING" ;;
	detect) main=fuzz_import.c; defs="" ;;
	*) echo "unknown harness $h"; exit 2 ;;
	esac
	bin="$work/fuzz-$h"
	# shellcheck disable=SC2086
	$cc $common $defs -fsanitize=fuzzer,$san "$src/fuzz/$main" $objs -o "$bin"
	mkdir -p "$work/corpus-$h"
	seeds="$src/fuzz/corpus/$h"
	[ "$h" = detect ] && seeds="$src/fuzz/corpus/rep $src/fuzz/corpus/mtrace $src/fuzz/corpus/ltrace $src/fuzz/corpus/recording"
	regressions=""
	[ -d "$src/fuzz/regressions/$h" ] && regressions="$src/fuzz/regressions/$h"
	echo "fuzz smoke: $h for ${secs}s"
	# shellcheck disable=SC2086
	if ! "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$work/crash-$h-" "$work/corpus-$h" $seeds $regressions >"$work/log-$h.txt" 2>&1; then
		echo "fuzz smoke: $h FAILED; see $work/log-$h.txt:"
		tail -n 40 "$work/log-$h.txt"
		status=1
	else
		grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/log-$h.txt" | tr '\n' ' '
		echo
	fi
done
exit $status
