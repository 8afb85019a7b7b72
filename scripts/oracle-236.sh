#!/bin/sh
# oracle-236.sh — the development oracle for glibc 2.3.6 (facts §18): that
# release's malloc.c built standalone, linked into a variant of
# brksim-replay, to make the golden data the model's glibc-2.3.6 profile
# is tested against. There is no 2.3.6 package to run, so this is for
# developers only: glibc's code is built in a cache outside the tree and
# never enters the project; only its outputs do.
#
#   scripts/oracle-236.sh GLIBC_SRC                 build (once); print the replayer's path
#   scripts/oracle-236.sh GLIBC_SRC --check [N]     N traces (default 20), each run 20 times
#                                                   under ASLR: all outputs must be identical
#   scripts/oracle-236.sh GLIBC_SRC --golden [FROM TO]
#                                                   rewrite tests/verify/golden-2.3.6/ from
#                                                   seeds FROM..TO-1 (default 1..300), and
#                                                   100 multi-thread traces (threads-*.ops)
#
# GLIBC_SRC is a glibc source tree at tag glibc-2.3.6, or a git directory
# holding that tag (such as the bminor/glibc mirror the search tool's
# `fetch` brings: /work/.mirror/bminor+glibc/repo). From it the script
# takes malloc/malloc.c, arena.c, hooks.c and malloc.h and
# sysdeps/generic/malloc-machine.h into
# ${BRKSIM_GLIBC_CACHE:-$HOME/.cache/brksim/glibc}/2.3.6-oracle/ and builds
# there, as the real 2.3.6 Linux build did (-DHAVE_MREMAP=1
# -DMORECORE_CLEARS=2, MORECORE = sbrk), without _LIBC, with
# -DUSE_DL_PREFIX so the functions are dlmalloc, dlfree, ...; the hook
# variables are renamed so nothing collides with this machine's libc. The
# few glibc internals it needs (a malloc.h stand-in with the mstate
# typedef, an empty atomic.h, __libc_message, _itoa_word) are written
# here. verify/replay.c built with -DREPLAY_DLMALLOC='"2.3.6"' calls them
# and prints the same lines as brksim-replay (`--version`: glibc 2.3.6).
#
# The traces come from the build's brksim-random-trace (BUILD, default
# build; compiled if needed): `--glibc=2.3.6`, so only what 2.3.6 has
# (no tunables: settings are mallopt calls at the start; no tcache;
# M_MMAP_THRESHOLD up to 512 KiB and rejected above).
set -u

usage() {
	echo "usage: scripts/oracle-236.sh GLIBC_SRC [--check [N] | --golden [FROM TO]]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
glibc_src=$1
shift
mode=build
case ${1:-} in
--check) mode=check; count=${2:-20} ;;
--golden) mode=golden; from=${2:-1}; to=${3:-301} ;;
"") ;;
*) usage ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${BRKSIM_GLIBC_CACHE:-${HOME:-/tmp}/.cache/brksim/glibc}/2.3.6-oracle
build=${BUILD:-build}
cc=${CC:-cc}
die() { echo "oracle-236: error: $*" >&2; exit 1; }

# ---- the release's sources ----
files="malloc/malloc.c malloc/arena.c malloc/hooks.c malloc/malloc.h sysdeps/generic/malloc-machine.h"
mkdir -p "$cache/src" "$cache/include/stdio-common" || die "cannot create $cache"
if git --git-dir="$glibc_src" rev-parse --verify -q glibc-2.3.6 >/dev/null 2>&1 ||
	git --git-dir="$glibc_src/.git" rev-parse --verify -q glibc-2.3.6 >/dev/null 2>&1; then
	gitdir=$glibc_src
	[ -d "$glibc_src/.git" ] && gitdir=$glibc_src/.git
	for f in $files; do
		git --git-dir="$gitdir" show "glibc-2.3.6:$f" >"$cache/src/$(basename "$f").tmp" ||
			die "no $f at tag glibc-2.3.6 in $glibc_src"
	done
elif [ -f "$glibc_src/version.h" ] && grep -q '"2\.3\.6"' "$glibc_src/version.h"; then
	for f in $files; do
		cp "$glibc_src/$f" "$cache/src/$(basename "$f").tmp" || die "no $f in $glibc_src"
	done
else
	die "$glibc_src is neither a glibc 2.3.6 source tree nor a git directory with the tag glibc-2.3.6"
fi
for f in $files; do
	b=$(basename "$f")
	# Only a changed file is replaced, so make-like staleness checks hold.
	if cmp -s "$cache/src/$b.tmp" "$cache/src/$b"; then rm "$cache/src/$b.tmp"; else mv "$cache/src/$b.tmp" "$cache/src/$b"; fi
done
grep -q 'ptmalloc_init' "$cache/src/arena.c" || die "$cache/src/arena.c is not ptmalloc2's arena.c"

# ---- stand-ins for the glibc internals malloc.c includes ----
cat >"$cache/include/malloc.h" <<'EOF'
/* Stand-in for glibc 2.3.6's malloc.h in a standalone build (written by
 * brksim's scripts/oracle-236.sh): this machine's declarations, the
 * old prototype macros, and the internal mstate type. */
#include "/usr/include/malloc.h"
#define __MALLOC_P(args) args
#define __MALLOC_PMT(args) args
#define __malloc_ptr_t void *
typedef struct malloc_state *mstate;
struct malloc_state *_int_new_arena(size_t);
EOF
: >"$cache/include/atomic.h"
cat >"$cache/include/stdio-common/_itoa.h" <<'EOF'
/* Stand-in (scripts/oracle-236.sh): declared as glibc's _itoa.h does. */
extern char *_itoa_word(unsigned long value, char *buflim, unsigned int base, int upper_case);
EOF
# malloc.c includes no declaration of these two outside _LIBC: gcc took
# them for int functions and cut _itoa_word's pointer to 32 bits, so the
# oracle crashed (SIGSEGV) on a double free instead of reporting it and
# aborting as 2.3.6 does. Included ahead of the file.
cat >"$cache/include/o236-internals.h" <<'EOF'
/* The glibc internals malloc.c calls, declared (scripts/oracle-236.sh). */
extern char *_itoa_word(unsigned long value, char *buflim, unsigned int base, int upper_case);
extern void __libc_message(int do_abort, const char *fmt, ...);
EOF
# The threads layer, as 2.3.6's NPTL build had it (nptl/sysdeps/pthread/
# malloc-machine.h, in our words): a mutex is one int (its size sets where
# a new arena's top starts), trylock fails on a lock this thread holds
# (arena_get2's retry depends on it), and the thread's arena is a TLS
# variable, so each thread of the replay starts without one. Calls are
# serialised by the replayer, so a lock is never waited for.
cat >"$cache/include/malloc-machine.h" <<'EOF'
/* Threads for the standalone 2.3.6 malloc.c (written by brksim's
 * scripts/oracle-236.sh). */
#ifndef O236_MALLOC_MACHINE_H
#define O236_MALLOC_MACHINE_H
#include <sched.h>
#include <atomic.h>
typedef int mutex_t;
#define MUTEX_INITIALIZER 0
#define mutex_init(m) (*(m) = 0)
#define mutex_trylock(m) (__sync_lock_test_and_set((m), 1) ? 1 : 0)
#define mutex_lock(m) ({ while (__sync_lock_test_and_set((m), 1)) sched_yield(); 0; })
#define mutex_unlock(m) (__sync_lock_release(m), 0)
typedef int tsd_key_t[1];
static __thread void *o236_thread_arena;
#define tsd_key_create(key, destr) ((void)(key))
#define tsd_setspecific(key, data) (o236_thread_arena = (data))
#define tsd_getspecific(key, vptr) ((vptr) = o236_thread_arena)
#define thread_atfork(prepare, parent, child) do {} while (0)
#include "malloc-machine-generic.h"
#endif
EOF
# The replayer's view of the arena list: brksim's own accessor, compiled
# in the same unit as malloc.c (main_arena is static there).
cat >"$cache/oracle.c" <<'EOF'
/* Written by brksim's scripts/oracle-236.sh: 2.3.6's malloc.c and where
 * its arenas live, for brksim-replay's arena column. */
#include <stddef.h>
#include "malloc.c"

void o236_arena_layout(void **main, size_t *next_off, size_t *top_off, size_t *system_mem_off,
                       size_t *heap_max, size_t *state_bytes)
{
	*main = &main_arena;
	*next_off = offsetof(struct malloc_state, next);
	*top_off = offsetof(struct malloc_state, top);
	*system_mem_off = offsetof(struct malloc_state, system_mem);
	*heap_max = HEAP_MAX_SIZE;
	*state_bytes = sizeof(struct malloc_state);
}
EOF
cat >"$cache/stubs.c" <<'EOF'
/* The two glibc internals the standalone malloc.c calls (written by
 * brksim's scripts/oracle-236.sh): its error report and number format. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void __libc_message(int do_abort, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (do_abort)
		abort();
}

char *_itoa_word(unsigned long value, char *buflim, unsigned int base, int upper_case)
{
	const char *digits = upper_case ? "0123456789ABCDEF" : "0123456789abcdef";
	do
		*--buflim = digits[value % base];
	while ((value /= base) != 0);
	return buflim;
}
EOF

# ---- build (again only when an input changed) ----
cp "$cache/src/malloc-machine.h" "$cache/include/malloc-machine-generic.h" || die "cannot copy malloc-machine.h"
stamp=$(cat "$cache"/src/* "$cache"/include/*.h "$cache/oracle.c" "$cache/stubs.c" "$root/verify/replay.c" "$root/lang/utf8.c" \
	"$root/lang/utf8.h" "$root/lang/input_limits.h" | sha256sum | cut -d' ' -f1)
replayer=$cache/brksim-replay
if [ ! -x "$replayer" ] || [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ]; then
	rename="-D__malloc_hook=o236_malloc_hook -D__free_hook=o236_free_hook -D__realloc_hook=o236_realloc_hook"
	rename="$rename -D__memalign_hook=o236_memalign_hook -D__after_morecore_hook=o236_after_morecore_hook"
	rename="$rename -D__malloc_initialize_hook=o236_malloc_initialize_hook"
	for n in _int_malloc _int_free _int_realloc _int_memalign _int_valloc _int_new_arena; do
		rename="$rename -D$n=o236$n"
	done
	# shellcheck disable=SC2086
	if ! { $cc -c -O2 -w -std=gnu89 -fno-builtin -D_GNU_SOURCE -DUSE_DL_PREFIX -DHAVE_MREMAP=1 -DMORECORE_CLEARS=2 \
		$rename -I"$cache/include" -I"$cache/src" -include "$cache/include/o236-internals.h" "$cache/oracle.c" \
		-o "$cache/malloc.o" &&
		$cc -c -O2 -w "$cache/stubs.c" -o "$cache/stubs.o" &&
		$cc -O2 -w -std=gnu11 -fno-builtin -DREPLAY_DLMALLOC='"2.3.6"' -I"$root" -o "$replayer.tmp" \
			"$root/verify/replay.c" "$root/lang/utf8.c" "$cache/malloc.o" "$cache/stubs.o" -pthread; } >"$cache/build.log" 2>&1; then
		cat "$cache/build.log" >&2
		die "the build failed (log: $cache/build.log)"
	fi
	mv "$replayer.tmp" "$replayer" && echo "$stamp" >"$cache/stamp"
fi
# Up to date with these sources (the stamp says so). test-fidelity
# --glibc=2.3.6 compares the tree's files with these copies and skips an
# oracle built from others (a checkout, a rebase); by content, so a fresh
# clone of the same commit can use it.
mkdir -p "$cache/built-from" &&
	cp "$root/verify/replay.c" "$root/lang/utf8.c" "$root/lang/utf8.h" "$root/lang/input_limits.h" "$0" \
		"$cache/built-from/" || die "cannot write $cache/built-from"
[ "$("$replayer" --version)" = "glibc 2.3.6" ] || die "$replayer does not run"
if [ "$mode" = build ]; then
	echo "$replayer"
	exit 0
fi

# ---- traces ----
[ -d "$root/$build" ] || meson setup "$root/$build" >/dev/null || die "cannot set up $build"
meson compile -C "$root/$build" verify/brksim-random-trace >/dev/null || die "cannot build brksim-random-trace"
gen=$root/$build/verify/brksim-random-trace
tmp=$(mktemp -d) || die "no temporary directory"
trap 'rm -rf "$tmp"' EXIT

# replay FILE: the oracle's output for a trace, with the touch its header
# names; killed after 60 s (2.3.6 can loop forever on some settings).
# For the golden data (NOASLR=1) without address-space randomisation: a
# memalign above a page places its chunk by the heap's address, which the
# replayer prints (`# start brk=`) and the golden file keeps, so two runs
# must then agree on it too.
replay() {
	touch=all
	grep -q '^# touch: none' "$1" && touch=none
	if [ "${NOASLR:-0}" = 1 ]; then
		env -i LIBC_FATAL_STDERR_=1 timeout 60 setarch "$(uname -m)" -R "$replayer" --touch=$touch "$1"
	else
		env -i LIBC_FATAL_STDERR_=1 timeout 60 "$replayer" --touch=$touch "$1"
	fi
}

# big_align FILE: true when an op of the memalign family asks for more than
# a page (its offsets then depend on where ASLR put the heap).
big_align() { awk '$1 ~ /^[ALP]$/ && $3 > 4096 { found = 1 } END { exit !found }' "$1"; }

# The golden traces are shorter than the suites' (60..140 ops), to keep
# the committed data small.
golden_ops() { echo $((60 + ($1 % 5) * 20)); }

if [ "$mode" = check ]; then
	bad=0
	skipped=0
	seed=1
	while [ "$seed" -le "$count" ]; do
		"$gen" --glibc=2.3.6 --ops="$(golden_ops "$seed")" "$seed" >"$tmp/t.ops" || die "brksim-random-trace failed"
		if big_align "$tmp/t.ops"; then
			skipped=$((skipped + 1))
			seed=$((seed + 1))
			continue
		fi
		replay "$tmp/t.ops" | grep -v '^# start brk=' >"$tmp/first" 2>&1
		i=2
		while [ $i -le 20 ]; do
			replay "$tmp/t.ops" | grep -v '^# start brk=' >"$tmp/again" 2>&1
			cmp -s "$tmp/first" "$tmp/again" || { echo "seed $seed: run $i differs from run 1" >&2; bad=$((bad + 1)); break; }
			i=$((i + 1))
		done
		seed=$((seed + 1))
	done
	echo "oracle-236: $((count - skipped)) traces x 20 runs under ASLR: $((count - skipped - bad)) byte-identical" \
		"($skipped left out: an alignment above a page depends on the heap's address by design)"
	[ "$bad" -eq 0 ]
	exit
fi

# ---- golden data ----
# Two sets: seed-NNNN.ops, single-threaded (seeds FROM..TO-1), and
# threads-NNNN.ops, the multi-thread traces `brksim-random-trace --threads`
# makes for seeds 1..100 (threads start, call, free each other's chunks
# and exit; the replayer runs each in a real thread, one op at a time, and
# prints the arena column). Both depend on this replayer's own layout only
# through `# start brk=`, which the files keep.
out=$root/tests/verify/golden-2.3.6
mkdir -p "$out" || die "cannot create $out"
rm -f "$out"/seed-*.ops "$out"/threads-*.ops
ops_total=0
files=0
# An op line of a trace, thread prefix and all (`T2 a 5 100`, `n 1`, `T1 x`).
op_re='^[ \t]*(T[0-9]+[ \t]+)?([acrfALPvVton][ \t]|x[ \t]*$)'

# golden_one NAME SEED [GEN OPTIONS]: one golden file.
golden_one() {
	name=$1
	seed=$2
	shift 2
	"$gen" --glibc=2.3.6 --ops="$(golden_ops "$seed")" "$@" "$seed" >"$tmp/t.ops" || die "brksim-random-trace failed"
	NOASLR=1 replay "$tmp/t.ops" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "$name: the oracle failed"; }
	NOASLR=1 replay "$tmp/t.ops" >"$tmp/again" 2>&1
	cmp -s "$tmp/out" "$tmp/again" || die "$name: two runs of the oracle differ"
	n=$(grep -Ec "$op_re" "$tmp/t.ops")
	grep -qx "# end ops=$n glibc=2.3.6" "$tmp/out" || die "$name: the oracle did not finish the $n ops"
	# Each op line gets the oracle's result as `# expect RET BRK TOP RSS`
	# (the facts files' convention), with the arena column when the
	# trace has threads.
	{
		echo "# golden data: glibc 2.3.6's own malloc.c (tag glibc-2.3.6) built standalone by scripts/oracle-236.sh;"
		echo "# each op's result as the oracle printed it. Regenerate, never edit."
		grep '^# start brk=' "$tmp/out" || die "$name: the oracle printed no heap start"
		awk -v re="$op_re" 'NR == FNR { if ($0 !~ /^#/) res[++n] = $0; next }
		     $0 ~ re { printf "%s  # expect %s\n", $0, res[++i]; next }
		     { print }' "$tmp/out" "$tmp/t.ops"
	} >"$out/$name"
	ops_total=$((ops_total + n))
	files=$((files + 1))
}

seed=$from
while [ "$seed" -lt "$to" ]; do
	golden_one "$(printf 'seed-%04d.ops' "$seed")" "$seed"
	seed=$((seed + 1))
done
seed=1
while [ "$seed" -le 100 ]; do
	golden_one "$(printf 'threads-%04d.ops' "$seed")" "$seed" --threads
	seed=$((seed + 1))
done
echo "oracle-236: wrote $files traces, $ops_total ops, to $out ($(du -sh "$out" | cut -f1))"
