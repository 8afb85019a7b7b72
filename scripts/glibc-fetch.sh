#!/bin/sh
# glibc-fetch.sh — real glibc allocators to verify the model against:
# Debian's own libc6 packages, unpacked into a cache, each with a
# brksim-replay that runs under that version's own loader.
#
#   scripts/glibc-fetch.sh [--quiet] [VERSION...]    (default: 2.31 2.41 2.43)
#
# VERSION → Debian suite: 2.31 bullseye, 2.36 bookworm (only fetched when
# this machine does not run 2.36 itself), 2.41 trixie, 2.43 sid.
# Everything goes under
# ${BRKSIM_GLIBC_CACHE:-$HOME/.cache/brksim/glibc}/VERSION/:
#
#   lib/             the unpacked loader and libraries (--library-path dir)
#   brksim-replay    verify/replay.c built for this version
#   replay           runs it: lib/ld-linux-x86-64.so.2 --library-path lib brksim-replay ARGS
#   package          the package versions and the suite they came from
#
# The mirror is the one this machine's apt already uses (its Debian
# sources entry). apt-get runs with a private sources list, state, lists
# and archive directories under the cache, so the system's apt
# configuration and state are never touched. Run again: nothing is
# downloaded twice; the replayer is rebuilt only when replay.c changed.
# Each replayer is compiled against its version's own headers and linked
# with its own crt files and libc (libc6-dev): a program linked against
# this machine's glibc may need symbols an older one does not have
# (mallinfo2, GLIBC_2.34's libc for 2.31).
#
# Prints one line per version: "glibc VERSION: DIR (PACKAGE-VERSION, SUITE)".
# Exit 0: every version ready; 1: a version failed (reason on stderr);
# 2: bad usage.
set -u

usage() {
	echo "usage: scripts/glibc-fetch.sh [--quiet] [VERSION...]   (versions: 2.31 2.41 2.43)" >&2
	exit 2
}

quiet=no
versions=""
for a in "$@"; do
	case $a in
	--quiet) quiet=yes ;;
	--help | -h) usage ;;
	2.31 | 2.36 | 2.41 | 2.43) versions="$versions $a" ;;
	*) echo "glibc-fetch: error: unknown version '$a' (known: 2.31 2.36 2.41 2.43)" >&2; exit 2 ;;
	esac
done
[ -n "$versions" ] || versions="2.31 2.41 2.43"

src=$(cd "$(dirname "$0")/.." && pwd)
cache=${BRKSIM_GLIBC_CACHE:-${HOME:-/tmp}/.cache/brksim/glibc}
cc=${CC:-cc}

say() { [ "$quiet" = yes ] || echo "glibc-fetch: $*" >&2; }
die() { echo "glibc-fetch: error: $*" >&2; return 1; }

# The Debian mirror this machine's apt uses: the first URI of a deb
# source whose suite is a Debian release (not -security), from the
# deb822 files or the one-line format. deb.debian.org if none is found.
mirror_uri() {
	uri=""
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		uri=$(awk '
			/^[ \t]*$/ { if (u != "" && s ~ /(bookworm|bullseye|trixie|sid|forky|buster|stable|testing|unstable)/ && s !~ /security/ && u !~ /security/) { print u; exit } u=""; s=""; next }
			tolower($1) == "uris:" { u=$2 }
			tolower($1) == "suites:" { s=$0 }
			END { if (u != "" && s ~ /(bookworm|bullseye|trixie|sid|forky|buster|stable|testing|unstable)/ && s !~ /security/ && u !~ /security/) print u }
		' "$f" | head -n 1)
		[ -n "$uri" ] && break
	done
	if [ -z "$uri" ]; then
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -f "$f" ] || continue
			uri=$(sed -n 's/^[ \t]*deb[ \t]\+\(\[[^]]*\][ \t]\+\)\?\([^ \t]*debian[^ \t]*\)[ \t]\+\([a-z]*\)[ \t].*/\2 \3/p' "$f" |
				grep -v security | head -n 1 | cut -d' ' -f1)
			[ -n "$uri" ] && break
		done
	fi
	echo "${uri:-http://deb.debian.org/debian}"
}

suite_of() {
	case $1 in
	2.31) echo bullseye ;;
	2.36) echo bookworm ;;
	2.41) echo trixie ;;
	2.43) echo sid ;;
	esac
}

# apt-get confined to $1 (a private directory): its own sources list,
# lists, caches and (empty) dpkg status; preferences and extra sources
# of the machine ignored. The machine's apt.conf (proxies) still applies.
private_apt() {
	apt_root=$1
	shift
	sandbox=""
	[ "$(id -u)" -eq 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	apt-get -q \
		-o Dir::Etc::sourcelist="$apt_root/sources.list" \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::Etc::preferences=/dev/null \
		-o Dir::Etc::preferencesparts=/dev/null \
		-o Dir::State="$apt_root/state" \
		-o Dir::State::Lists="$apt_root/lists" \
		-o Dir::State::status="$apt_root/status" \
		-o Dir::Cache="$apt_root/cache" \
		-o Dir::Cache::Archives="$apt_root/archives" \
		-o APT::Architecture=amd64 -o APT::Architectures=amd64 \
		-o Acquire::Languages=none \
		$sandbox "$@"
}

# Downloads the .debs of $2... from suite $1 into $dir/debs (skipped when
# they are there). Echoes nothing; sets $pkgver to libc6's version.
download() {
	suite=$1
	shift
	apt_dir=$dir/apt
	mkdir -p "$apt_dir/state" "$apt_dir/lists/partial" "$apt_dir/cache" "$apt_dir/archives/partial" "$dir/debs" ||
		return 1
	: >>"$apt_dir/status"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	echo "deb [signed-by=$keyring] $(mirror_uri) $suite main" >"$apt_dir/sources.list"
	need=no
	for p in "$@"; do
		ls "$dir/debs/${p}_"*.deb >/dev/null 2>&1 || need=yes
	done
	if [ "$need" = yes ]; then
		say "$suite: apt-get update ($(mirror_uri))"
		# apt-get update only warns when the archive cannot be reached.
		if ! private_apt "$apt_dir" update >"$apt_dir/update.log" 2>&1 ||
			grep -q '^[WE]: Failed to fetch' "$apt_dir/update.log"; then
			grep '^[WE]:' "$apt_dir/update.log" >&2
			die "cannot read the $suite index from $(mirror_uri) (no network, or the archive is unreachable)"
			return 1
		fi
		for p in "$@"; do
			ls "$dir/debs/${p}_"*.deb >/dev/null 2>&1 && continue
			say "$suite: apt-get download $p"
			(cd "$dir/debs" && private_apt "$apt_dir" download "$p") >"$apt_dir/download.log" 2>&1 ||
				{ cat "$apt_dir/download.log" >&2; die "cannot download $p from $suite"; return 1; }
		done
	fi
	# The index (about 20 MB) is only needed to download again.
	rm -rf "$apt_dir/lists" "$apt_dir/cache"
	for deb in "$dir"/debs/libc6_*.deb; do break; done
	pkgver=$(dpkg-deb -f "$deb" Version) || return 1
}

# Unpacks the .debs into $dir/root (again when the set of .debs changed:
# the stamp lists them) and points $dir/lib at the
# directory holding libc.so.6 and the loader.
unpack() {
	debs=$(cd "$dir/debs" && ls ./*.deb)
	if [ "$(cat "$dir/root/.unpacked" 2>/dev/null)" != "$debs" ]; then
		rm -rf "$dir/root"
		mkdir -p "$dir/root"
		for deb in "$dir"/debs/*.deb; do
			dpkg-deb -x "$deb" "$dir/root" || { die "cannot unpack $deb"; return 1; }
		done
		echo "$debs" >"$dir/root/.unpacked"
	fi
	for d in usr/lib/x86_64-linux-gnu lib/x86_64-linux-gnu; do
		if [ -e "$dir/root/$d/ld-linux-x86-64.so.2" ] && [ -e "$dir/root/$d/libc.so.6" ]; then
			ln -sfn "root/$d" "$dir/lib"
			return 0
		fi
	done
	die "no ld-linux-x86-64.so.2 and libc.so.6 in $dir/root"
}

# Builds $dir/brksim-replay from verify/replay.c (and lang/utf8.c, its
# escaping) for version $1 (only when a source or the recipe changed: the
# stamp holds their hash).
build_replayer() {
	version=$1
	recipe="v4 $version $cc"
	stamp=$( (echo "$recipe"; cat "$src/verify/replay.c" "$src/lang/utf8.c" "$src/lang/utf8.h" "$src/lang/input_limits.h") |
		sha256sum | cut -d' ' -f1)
	if [ -x "$dir/brksim-replay" ] && [ "$(cat "$dir/brksim-replay.stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	say "$version: building brksim-replay"
	# As in verify/meson.build: no sanitizer, no builtin malloc/memset
	# folding, so every call in the trace reaches glibc.
	flags="-std=gnu11 -O2 -fno-builtin -fno-sanitize=all -w -I$src"
	rm -f "$dir/brksim-replay.tmp"
	# The version's own headers first, then the compiler's and the
	# kernel's (linux/, asm/), never this machine's glibc headers; its
	# crt files, libc, libc_nonshared and loader; gcc's crtbegin/crtend
	# and libgcc. So the program needs nothing its glibc lacks, whatever
	# glibc this machine runs.
	r=$dir/root
	gccinc=$($cc -print-file-name=include)
	dev=$r/usr/lib/x86_64-linux-gnu
	[ -e "$dev/crt1.o" ] || { die "libc6-dev $version is not unpacked in $r"; return 1; }
	crtbegin=$($cc -print-file-name=crtbegin.o)
	crtend=$($cc -print-file-name=crtend.o)
	libgcc=$($cc -print-libgcc-file-name)
	# Threads: before 2.34 they live in libpthread (and its nonshared part).
	pthread=
	[ -e "$dir/lib/libpthread.so.0" ] && pthread="$dir/lib/libpthread.so.0"
	[ -e "$dev/libpthread_nonshared.a" ] && pthread="$pthread $dev/libpthread_nonshared.a"
	# shellcheck disable=SC2086
	$cc $flags -no-pie -fno-pie -nostdinc -isystem "$gccinc" -isystem "$r/usr/include" \
		-isystem "$r/usr/include/x86_64-linux-gnu" -idirafter /usr/include/x86_64-linux-gnu \
		-idirafter /usr/include -nostdlib \
		-o "$dir/brksim-replay.tmp" \
		"$dev/crt1.o" "$dev/crti.o" "$crtbegin" \
		"$src/verify/replay.c" "$src/lang/utf8.c" \
		$pthread "$dir/lib/libc.so.6" "$dev/libc_nonshared.a" "$dir/lib/ld-linux-x86-64.so.2" "$libgcc" \
		"$crtend" "$dev/crtn.o" \
		-Wl,--dynamic-linker=/lib64/ld-linux-x86-64.so.2 \
		-Wl,--export-dynamic-symbol=malloc -Wl,--export-dynamic-symbol=calloc \
		-Wl,--export-dynamic-symbol=realloc -Wl,--export-dynamic-symbol=free \
		>"$dir/build.log" 2>&1 ||
		{ cat "$dir/build.log" >&2; die "cannot build brksim-replay for $version"; return 1; }
	mv "$dir/brksim-replay.tmp" "$dir/brksim-replay" && echo "$stamp" >"$dir/brksim-replay.stamp"
}

write_runner() {
	cat >"$dir/replay.tmp" <<'EOF'
#!/bin/sh
# Runs brksim-replay under this directory's glibc (its own loader).
d=$(dirname "$0")
exec "$d/lib/ld-linux-x86-64.so.2" --library-path "$d/lib" "$d/brksim-replay" "$@"
EOF
	chmod +x "$dir/replay.tmp" && mv "$dir/replay.tmp" "$dir/replay"
}

# Prepares one version; prints its line. Returns non-zero on failure.
prepare() {
	version=$1
	host=$(getconf GNU_LIBC_VERSION 2>/dev/null | cut -d' ' -f2)
	if [ "$version" = "$host" ] && [ "$version" = 2.36 ]; then
		echo "glibc 2.36: this machine's own glibc (the build's brksim-replay runs on it)"
		return 0
	fi
	suite=$(suite_of "$version")
	dir=$cache/$version
	mkdir -p "$dir" || { die "cannot create $dir"; return 1; }
	pkgs="libc6 libc6-dev"
	# shellcheck disable=SC2086
	download "$suite" $pkgs || return 1
	case $pkgver in
	"$version"-*) ;;
	*)
		die "Debian $suite now ships libc6 $pkgver, not glibc $version; remove $dir/debs and update scripts/glibc-fetch.sh's version table"
		return 1
		;;
	esac
	unpack || return 1
	build_replayer "$version" || return 1
	write_runner || return 1
	got=$("$dir/replay" --version 2>"$dir/run.log")
	[ "$got" = "glibc $version" ] ||
		{ cat "$dir/run.log" >&2; die "the $version replayer does not run under its loader (it said '$got')"; return 1; }
	echo "libc6 $pkgver $suite $(mirror_uri)" >"$dir/package"
	echo "glibc $version: $dir ($pkgver, $suite)"
}

status=0
for v in $versions; do
	prepare "$v" || status=1
done
exit $status
