#!/bin/sh
# valgrind-long.sh — brksim under valgrind's memcheck, expecting zero
# errors (invalid reads and writes, uses of uninitialised values, definite
# leaks): every bundled scenario through run (text and JSON), check and a
# headless screenshot; every trace of the fuzz corpora and the test data
# (.rep, mtrace, ltrace, recordings, .ops) through run; bad and hostile
# inputs (errors, control bytes, a line over the limit, /dev/zero); verify
# on a few scenarios. Not brksim-replay: it reads glibc's chunk headers
# below each pointer by design, which under valgrind's own allocator are
# reads outside a block (all 21 facts traces "fail" for that reason alone);
# its parser and reader are the same code the fuzzers and ASan build run.
# Suite 'valgrind-long' (not in the default run):
#
#   meson test -C build --suite valgrind-long
#
# usage: valgrind-long.sh BRKSIM BRKSIM-REPLAY SOURCE_ROOT WORKDIR
set -u
if [ $# -lt 4 ]; then
	echo "usage: $0 BRKSIM BRKSIM-REPLAY SOURCE_ROOT WORKDIR" >&2
	exit 2
fi
brksim=$1
replay=$2
root=$3
work=$4
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed (scripts/deps.sh test)"; exit 77; }
mkdir -p "$work" || exit 2
supp=$root/tests/valgrind/system-libs.supp
# SDL's dummy video driver: screenshots render in software, no display.
export SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy
export BRKSIM_REPLAY="$replay"

runs=0
failed=0
# Runs one command under memcheck; a valgrind error (exit 99) fails it,
# whatever the command's own exit status (bad inputs exit 1 or 2 by design).
vg() {
	runs=$((runs + 1))
	log=$work/vg-$runs.log
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--suppressions="$supp" --log-file="$log" "$@" >/dev/null 2>&1
	if [ $? -eq 99 ] || [ -s "$log" ]; then
		failed=$((failed + 1))
		echo "valgrind: errors in: $*"
		head -n 60 "$log"
	fi
}

for f in "$root"/scenarios/*.heap "$root"/tests/app/data/*.heap "$root"/tests/lang/data/*.heap; do
	vg "$brksim" run "$f"
	vg "$brksim" run --format=json --events=all "$f"
	vg "$brksim" check "$f"
done
for f in "$root"/scenarios/*.heap; do
	vg "$brksim" show "$f" --step -1 --size 960x540 --screenshot "$work/shot.png"
done
vg "$brksim" show "$root/scenarios/default.heap" --step 8 --lang zh --screenshot "$work/shot.png"
for f in "$root"/fuzz/corpus/rep/* "$root"/fuzz/corpus/mtrace/* "$root"/fuzz/corpus/ltrace/* \
	"$root"/fuzz/corpus/recording/* "$root"/tests/app/data/*.rep "$root"/tests/app/data/*.ops \
	"$root"/tests/verify/facts/*.ops; do
	vg "$brksim" run --events=all "$f"
done
vg "$brksim" show "$root/fuzz/corpus/recording/all.trace" --step -1 --screenshot "$work/shot.png"

# Bad and hostile inputs: the error paths must be as clean as the rest.
printf 'a = malloc 10 \033]0;x\007\nfree a \342\200\256\n\302\233\n' >"$work/evil.heap"
printf 'a 1 10\n\033[2J 1 2\nf 1\n' >"$work/evil.ops"
head -c 70000 /dev/zero | tr '\0' 'x' >"$work/long.heap"
printf '# brksim-recording 1\n# brk0 555555000000\nm 3e8 +2a0 21000\nm 165c +6c1d0 8' >"$work/cut.trace"
for f in "$work/evil.heap" "$work/evil.ops" "$work/long.heap" "$work/cut.trace" /dev/zero /nonexistent \
	"$root"/fuzz/regressions/*/*; do
	[ -e "$f" ] || [ "$f" = /nonexistent ] || continue
	vg "$brksim" run "$f"
done
vg "$brksim" verify "$work/cut.trace"

for f in "$root/scenarios/default.heap" "$root/scenarios/05-fastbins-hide-free-memory.heap" \
	"$root/tests/app/data/facts-a.ops"; do
	vg "$brksim" verify "$f"
done

echo "valgrind: $runs runs, $failed with errors"
[ "$failed" -eq 0 ]
