#!/bin/sh
# test-symbols.sh — brksim's own functions never take a C library name.
#
# The model had a global malloc_trim(sim_heap *, size_t): brksim exported
# it in its dynamic symbol table, where it stood in for glibc's
# malloc_trim(size_t) in the whole process (a library calling glibc's
# would have passed a size as the model's heap), and the window's module
# called brksim's copy instead of its own. So: brksim and the module
# export no function of their own (the module only its interface,
# brksim_gui_module), and no function brksim or the module defines has
# the name of one the C library exports. And the recorder, preloaded into
# the program it records, exports only the calls it wraps: any other
# function of its own would stand in for the program's of that name.
#
# Usage: test-symbols.sh BRKSIM GUI_MODULE RECORDER
set -u
brksim=$1
module=$2
recorder=$3
command -v nm >/dev/null 2>&1 || { echo "FAIL: nm (binutils) is missing"; exit 1; }
libc=$(ldd "$brksim" | awk '$1 ~ /^libc\.so/ {print $3}')
[ -r "$libc" ] || { echo "FAIL: cannot find brksim's C library (ldd says '$libc')"; exit 1; }
dir=$(mktemp -d /tmp/brksim-symbols-XXXXXX)
trap 'rm -rf "$dir"' EXIT
nm -D --defined-only "$libc" | awk '$2 ~ /^[TtWi]$/ {sub(/@.*/, "", $3); print $3}' | sort -u >"$dir/libc"
[ "$(wc -l <"$dir/libc")" -gt 1000 ] || { echo "FAIL: read too few functions from $libc"; exit 1; }
fail=0
for f in "$brksim" "$module"; do
	# exported: functions and data other than the module's interface and
	# the linker's own markers (copy relocations of stdout/stderr are data)
	nm -D --defined-only "$f" | awk '$2 ~ /^[TtWi]$/ {print $3}' >"$dir/exported"
	if [ -s "$dir/exported" ]; then
		echo "FAIL: $f exports functions of its own:"; sed 's/^/    /' "$dir/exported"; fail=1
	fi
	# defined anywhere in it (global), with a C library function's name
	nm --defined-only -g "$f" | awk '$2 ~ /^[TW]$/ {print $3}' | sort -u >"$dir/defined"
	comm -12 "$dir/defined" "$dir/libc" >"$dir/clash"
	if [ -s "$dir/clash" ]; then
		echo "FAIL: $f defines functions named as the C library's:"; sed 's/^/    /' "$dir/clash"; fail=1
	fi
	echo "$f: $(wc -l <"$dir/defined") global functions checked against libc's $(wc -l <"$dir/libc")"
done
nm -D --defined-only "$module" | grep -q ' D brksim_gui_module$' || { echo "FAIL: the module does not export brksim_gui_module"; fail=1; }
# the recorder's wraps: the allocator's calls, the two calls it watches
# to follow threads and to keep its own pipe's descriptor apart, dlsym
# (the allocator taken from libc's own handle, ctypes' way) and dlopen
# (to say when a library binds its own malloc: RTLD_DEEPBIND)
wraps="aligned_alloc calloc dlopen dlsym free malloc malloc_trim mallopt memalign pipe2 posix_memalign pthread_create pvalloc realloc valloc"
nm -D --defined-only "$recorder" | awk '$2 ~ /^[TtWi]$/ {print $3}' | sort -u >"$dir/recorder"
printf '%s\n' $wraps | sort -u | comm -23 "$dir/recorder" - >"$dir/extra"
if [ -s "$dir/extra" ]; then
	echo "FAIL: $recorder exports functions besides the calls it wraps:"; sed 's/^/    /' "$dir/extra"; fail=1
fi
echo "$recorder: exports $(wc -l <"$dir/recorder") functions, all calls it wraps"
[ "$(wc -l <"$dir/recorder")" -ge 10 ] || { echo "FAIL: the recorder exports too few wraps"; fail=1; }
[ "$fail" -eq 0 ] && echo "PASS"
exit "$fail"
