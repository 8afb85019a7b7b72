/* record_preflight.c — refuses, before anything is run or removed, the
 * programs the recorder cannot get into, so that `brksim record` says why
 * instead of running the program unrecorded.
 *
 * Owns: finding the program in PATH the way posix_spawnp does, and the
 * checks: set-user-ID / set-group-ID bits against our ids, file
 * capabilities, the ELF class and machine, PT_INTERP (its absence means
 * static: no dynamic loader, so no LD_PRELOAD), and `#!` interpreters.
 * Must not: print, run the program, or refuse what it cannot prove: an
 * unreadable or unknown file passes, and the run tells.
 *
 * Facts: the kernel runs a program in secure-execution mode (AT_SECURE)
 * when its effective ids differ from the real ones after exec — a
 * set-user-ID file owned by another user than ours, a set-group-ID file
 * of another group (group-executable: without S_IXGRP the bit means
 * mandatory locking), or file capabilities that raise a non-root user's —
 * and the loader then ignores LD_PRELOAD entries with a slash, which ours
 * has. On a filesystem mounted nosuid the bits do nothing. */
#define _GNU_SOURCE
#include "record_preflight.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

/* The program's path as posix_spawnp finds it: 0, or the errno the
 * spawn would fail with (ENOENT, EACCES: execvp's rules). */
static int find_program(const char *program, char *buf, size_t size)
{
	if (strchr(program, '/')) {
		int n = snprintf(buf, size, "%s", program);
		if (n <= 0 || (size_t)n >= size)
			return ENAMETOOLONG;
		return access(buf, X_OK) == 0 ? 0 : errno;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin"; /* glibc's default for the exec*p family */
	int seen = ENOENT;
	for (const char *p = path;;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		int n = len ? snprintf(buf, size, "%.*s/%s", (int)len, p, program) : snprintf(buf, size, "%s", program);
		struct stat st;
		if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				return 0;
			seen = EACCES;
		}
		if (!colon)
			return seen;
		p = colon + 1;
	}
}

/* The ELF header fields we compare, read from `fd`. */
typedef struct elf_id {
	unsigned char cls;  /* ELFCLASS32 / ELFCLASS64 */
	unsigned char data; /* byte order */
	uint16_t machine;
} elf_id;

static bool read_elf_id(int fd, elf_id *id, unsigned char *ident)
{
	unsigned char h[EI_NIDENT + 4];
	if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0)
		return false;
	id->cls = h[EI_CLASS];
	id->data = h[EI_DATA];
	memcpy(&id->machine, h + EI_NIDENT + 2, 2); /* e_machine follows e_type */
	if (ident)
		memcpy(ident, h, EI_NIDENT);
	return true;
}

/* brksim-record.so is built with this executable: same class and machine. */
static bool own_elf_id(elf_id *id)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = read_elf_id(fd, id, NULL);
	close(fd);
	return ok;
}

/* 1: it has a PT_INTERP program header, 0: it has none, -1: cannot tell
 * (another byte order, an unreadable or odd header). */
static int has_interp(int fd, const elf_id *id)
{
	uint64_t phoff;
	uint16_t phentsize, phnum;
	if (id->cls == ELFCLASS64) {
		Elf64_Ehdr eh;
		if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
			return -1;
		phoff = eh.e_phoff;
		phentsize = eh.e_phentsize;
		phnum = eh.e_phnum;
	} else {
		Elf32_Ehdr eh;
		if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
			return -1;
		phoff = eh.e_phoff;
		phentsize = eh.e_phentsize;
		phnum = eh.e_phnum;
	}
	size_t want = id->cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	if (phentsize < want || phnum == 0 || phnum == PN_XNUM || phnum > 4096)
		return -1;
	for (uint16_t i = 0; i < phnum; i++) {
		uint32_t type;
		if (pread(fd, &type, sizeof type, (off_t)(phoff + (uint64_t)i * phentsize)) != (ssize_t)sizeof type)
			return -1;
		if (type == PT_INTERP)
			return 1;
	}
	return 0;
}

/* The dynamic loader itself has no PT_INTERP but does read LD_PRELOAD
 * (`brksim record -- /lib64/ld-linux-x86-64.so.2 ./prog`). */
static bool is_loader_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strncmp(base, "ld-", 3) == 0 || strncmp(base, "ld.so", 5) == 0 || strncmp(base, "ld64.so", 7) == 0;
}

/* The set-id and capability checks; true when the loader will honour LD_PRELOAD. */
static bool check_ids(const char *shown, const char *path, const char *subject, char *why, size_t why_size)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return true;
	struct statvfs vfs;
	bool nosuid = statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID);
	if (!nosuid && (st.st_mode & S_ISUID) && st.st_uid != getuid()) {
		snprintf(why, why_size,
		         "cannot record %s: %s is set-user-ID (it runs as uid %u), so the loader ignores LD_PRELOAD for it",
		         shown, subject, (unsigned)st.st_uid);
		return false;
	}
	if (!nosuid && (st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP) && st.st_gid != getgid()) {
		snprintf(why, why_size,
		         "cannot record %s: %s is set-group-ID (it runs as gid %u), so the loader ignores LD_PRELOAD for it",
		         shown, subject, (unsigned)st.st_gid);
		return false;
	}
	/* Root already holds every capability: file capabilities raise nothing. */
	if (!nosuid && getuid() != 0 && getxattr(path, "security.capability", NULL, 0) > 0) {
		snprintf(why, why_size,
		         "cannot record %s: %s has file capabilities, so the loader ignores LD_PRELOAD for it", shown,
		         subject);
		return false;
	}
	return true;
}

static bool check_image(const char *shown, const char *path, int depth, char *why, size_t why_size)
{
	char subject[PATH_MAX + 32];
	if (depth == 0)
		snprintf(subject, sizeof subject, "it");
	else
		snprintf(subject, sizeof subject, "its interpreter %s", path);
	if (!check_ids(shown, path, subject, why, why_size))
		return false;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return true;
	char head[PATH_MAX + 3];
	ssize_t n = pread(fd, head, sizeof head - 1, 0);
	if (n >= 2 && head[0] == '#' && head[1] == '!') {
		close(fd);
		head[n] = '\0';
		char *p = head + 2;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, " \t\n");
		if (len == 0 || p[len] == '\0' || depth >= 4)
			return true; /* no interpreter, or a line too long to judge */
		p[len] = '\0';
		return check_image(shown, p, depth + 1, why, why_size);
	}
	elf_id id, own;
	unsigned char ident[EI_NIDENT];
	bool ok = true;
	if (read_elf_id(fd, &id, ident) && own_elf_id(&own)) {
		if (id.cls != own.cls) {
			snprintf(why, why_size,
			         "cannot record %s: %s is a %s program and brksim-record.so is %s, so the loader cannot "
			         "preload it",
			         shown, subject, id.cls == ELFCLASS32 ? "32-bit" : id.cls == ELFCLASS64 ? "64-bit" : "foreign",
			         own.cls == ELFCLASS64 ? "64-bit" : "32-bit");
			ok = false;
		} else if (id.data != own.data || id.machine != own.machine) {
			snprintf(why, why_size,
			         "cannot record %s: %s is built for another machine (ELF machine %u, the recorder's is %u)",
			         shown, subject, (unsigned)id.machine, (unsigned)own.machine);
			ok = false;
		} else if (has_interp(fd, &id) == 0 && !is_loader_name(path)) {
			snprintf(why, why_size,
			         "cannot record %s: %s is statically linked (no dynamic loader, so LD_PRELOAD cannot add the "
			         "recorder)",
			         shown, subject);
			ok = false;
		}
	}
	close(fd);
	return ok;
}

bool record_preflight(const char *program, char *why, size_t why_size)
{
	char path[PATH_MAX];
	int e = find_program(program, path, sizeof path);
	if (e != 0) {
		snprintf(why, why_size, "cannot run %s: %s", program, strerror(e));
		return false;
	}
	return check_image(program, path, 0, why, why_size);
}
