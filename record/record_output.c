/* record_output.c — the files of `brksim record -o OUT`.
 *
 * Owns: checking OUT before a run, removing an earlier recording's files,
 * the run token, and after the run finding this run's files, cutting
 * their NUL padding and reading how each one ended.
 * Must not: print, parse records (trace/import_recording.c does), or
 * remove, truncate or write a file unless its header says brksim wrote
 * it: removal needs `# brksim-recording` on line 1 (an earlier run's
 * file), trimming needs this run's `# run TOKEN` as well. Everything else
 * that happens to match the name pattern (report.txt.2024, a device
 * node, a FIFO, a symbolic link) is never opened for writing, and only
 * opened at all when lstat says it is a regular file. */
#define _GNU_SOURCE
#include "record_output.h"
#include "isolated.h"
#include "symbolize.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "# brksim-recording "
#define HEADER_READ 4096

/* Whether `name` is `base` or `base.<digits>[.<digits>]`. */
static bool is_recording_name(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0)
		return false;
	const char *p = name + n;
	if (*p == '\0')
		return true;
	for (int part = 0; part < 2 && *p == '.'; part++) {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* A recording's place among its process's files (record_file_info's
 * image), from a name is_recording_name accepts. */
static unsigned image_of(const char *name, const char *base)
{
	const char *p = name + strlen(base);
	if (*p == '\0')
		return 0;
	p = strchr(p + 1, '.');
	if (!p)
		return 1;
	unsigned long k = strtoul(p + 1, NULL, 10);
	return k < UINT32_MAX ? (unsigned)k : UINT32_MAX;
}

static const char *kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISLNK(mode))
		return "a symbolic link";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/* Opens dirfd/name only if lstat says it is a regular file, and keeps it
 * only if it is still that file once open. -1 otherwise. */
static int open_regular(int dirfd, const char *name, int mode, struct stat *st)
{
	struct stat before;
	if (fstatat(dirfd, name, &before, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(before.st_mode))
		return -1;
	int fd = openat(dirfd, name, mode | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_dev != before.st_dev || st->st_ino != before.st_ino) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Whether the open file is a brksim recording, and (token != NULL) one
 * of the run with that token. */
static bool has_header(int fd, const char *token)
{
	char buf[HEADER_READ + 1];
	ssize_t n = pread(fd, buf, HEADER_READ, 0);
	if (n < (ssize_t)strlen(MAGIC) || memcmp(buf, MAGIC, strlen(MAGIC)) != 0)
		return false;
	if (!token)
		return true;
	buf[n] = '\0';
	char line[RECORD_RUN_TOKEN_MAX + 16];
	snprintf(line, sizeof line, "\n# run %s\n", token);
	return strstr(buf, line) != NULL;
}

/* ---- before the run ---- */

/* Splits `output` into an absolute directory and a name. */
static bool split_output(const char *output, record_output *o, char *why, size_t why_size)
{
	size_t len = strlen(output);
	if (len == 0) {
		snprintf(why, why_size, "no output file given");
		return false;
	}
	if (len >= sizeof o->path) {
		snprintf(why, why_size, "cannot write %s: the name is too long", output);
		return false;
	}
	const char *slash = strrchr(output, '/');
	const char *base = slash ? slash + 1 : output;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		snprintf(why, why_size, "cannot record to %s: it names a directory; give a file name (e.g. %s%sapp.trace)",
		         output, output, output[len - 1] == '/' ? "" : "/");
		return false;
	}
	if (strlen(base) >= sizeof o->base) {
		snprintf(why, why_size, "cannot write %s: the name is too long", output);
		return false;
	}
	strcpy(o->base, base);
	char dir[PATH_MAX];
	if (!slash)
		strcpy(dir, ".");
	else if (slash == output)
		strcpy(dir, "/");
	else {
		memcpy(dir, output, (size_t)(slash - output));
		dir[slash - output] = '\0';
	}
	if (!realpath(dir, o->dir)) {
		if (errno == ENOENT)
			snprintf(why, why_size, "cannot write %s: its directory does not exist", output);
		else if (errno == ENOTDIR)
			snprintf(why, why_size, "cannot write %s: its directory is not a directory", output);
		else
			snprintf(why, why_size, "cannot write %s: its directory: %s", output, strerror(errno));
		return false;
	}
	struct stat st;
	if (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(why, why_size, "cannot write %s: its directory is not a directory", output);
		return false;
	}
	int n = snprintf(o->path, sizeof o->path, "%s%s%s", o->dir, strcmp(o->dir, "/") ? "/" : "", o->base);
	if (n < 0 || (size_t)n >= sizeof o->path) {
		snprintf(why, why_size, "cannot write %s: the name is too long", output);
		return false;
	}
	return true;
}

bool record_output_check(const char *output, record_output *o, char *why, size_t why_size)
{
	memset(o, 0, sizeof *o);
	if (!split_output(output, o, why, why_size))
		return false;
	struct stat st;
	if (lstat(o->path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		snprintf(why, why_size, "cannot record to %s: %s", output, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(why, why_size, "cannot record to %s: it names a directory; give a file name (e.g. %s/app.trace)",
		         output, output);
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_size,
		         "cannot record to %s: it is %s, not a regular file (brksim writes a recording only to a new "
		         "file or over its own earlier recording)",
		         output, kind_of(st.st_mode));
		return false;
	}
	struct stat now;
	int fd = open_regular(AT_FDCWD, o->path, O_RDONLY, &now);
	bool recording = fd >= 0 && has_header(fd, NULL);
	if (fd >= 0)
		close(fd);
	if (!recording) {
		snprintf(why, why_size, "%s exists and is not a brksim recording; choose another name or remove it", output);
		return false;
	}
	return true;
}

/* A token no other run has: the time, our pid and random bits. */
static void draw_token(char *buf, size_t size)
{
	uint64_t r = 0;
	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		r = ((uint64_t)t.tv_sec << 30) ^ (uint64_t)t.tv_nsec ^ ((uint64_t)getpid() << 40);
	}
	snprintf(buf, size, "%ld-%016llx", (long)getpid(), (unsigned long long)r);
}

bool record_output_claim(record_output *o, char *why, size_t why_size)
{
	int dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
	if (!d) {
		snprintf(why, why_size, "cannot write %s: its directory cannot be read: %s", o->path, strerror(errno));
		if (dirfd >= 0)
			close(dirfd);
		return false;
	}
	/* The earlier recording: brksim's own files only. */
	struct dirent *e;
	bool ok = true;
	while (ok && (e = readdir(d)) != NULL) {
		if (!is_recording_name(e->d_name, o->base))
			continue;
		struct stat st;
		int fd = open_regular(dirfd, e->d_name, O_RDONLY, &st);
		if (fd < 0)
			continue;
		bool recording = has_header(fd, NULL);
		close(fd);
		if (recording && unlinkat(dirfd, e->d_name, 0) != 0 && errno != ENOENT) {
			snprintf(why, why_size, "cannot remove the earlier recording %s/%s: %s", o->dir, e->d_name,
			         strerror(errno));
			ok = false;
		}
	}
	/* Writable? Create OUT the way the recorder will, then remove it. */
	if (ok) {
		int fd = openat(dirfd, o->base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0644);
		if (fd < 0) {
			if (errno == EEXIST)
				snprintf(why, why_size, "%s exists and is not a brksim recording; choose another name or remove it",
				         o->path);
			else
				snprintf(why, why_size, "cannot write %s: %s", o->path, strerror(errno));
			ok = false;
		} else {
			close(fd);
			unlinkat(dirfd, o->base, 0);
		}
	}
	closedir(d);
	if (ok)
		draw_token(o->token, sizeof o->token);
	return ok;
}

/* ---- after the run ---- */

off_t record_trim_padding(int fd, off_t size, bool *failed)
{
	*failed = false;
	off_t end = size;
	char buf[65536];
	while (end > 0) {
		off_t start = end > (off_t)sizeof buf ? end - (off_t)sizeof buf : 0;
		ssize_t n = pread(fd, buf, (size_t)(end - start), start);
		if (n != end - start) {
			*failed = true;
			return size;
		}
		ssize_t i = n;
		while (i > 0 && buf[i - 1] == '\0')
			i--;
		end = start + i;
		if (i > 0)
			break;
	}
	if (end < size && ftruncate(fd, end) != 0) {
		*failed = true;
		return size;
	}
	return end;
}

/* Reads how the recording ends: `# end N`, a `# disturbed` / `# stopped`
 * line that says why it stopped early, or the `# size-limit N` it was
 * given. */
static void read_ending(int fd, off_t end, record_file_info *info)
{
	char buf[1024];
	off_t start = end > (off_t)sizeof buf - 1 ? end - (off_t)sizeof buf + 1 : 0;
	ssize_t n = pread(fd, buf, (size_t)(end - start), start);
	if (n <= 0)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	buf[n] = '\0';
	char *last = strrchr(buf, '\n');
	last = last ? last + 1 : buf;
	if (strncmp(last, "# end ", 6) == 0) {
		info->complete = true;
		return;
	}
	const char *text = NULL;
	if (strncmp(last, "# size-limit ", 13) == 0) {
		info->size_limit = strtoull(last + 13, NULL, 10);
		return;
	}
	if (strncmp(last, "# disturbed ", 12) == 0)
		text = last + 12;
	else if (strncmp(last, "# stopped ", 10) == 0)
		text = last + 10;
	if (!text)
		return;
	size_t k = 0;
	for (; *text && k + 1 < sizeof info->stopped; text++)
		info->stopped[k++] = (*text >= 0x20 && *text < 0x7f) ? *text : '?';
	info->stopped[k] = '\0';
}

/* Whether a line (its first bytes) is the record of a call: one of
 * recorder.c's call letters and a space, after a `T<tid> ` for another
 * thread's; a thread's start `n` and end `x`, headers and stacks are
 * none. */
static bool is_call_record(const char *line, size_t len)
{
	size_t i = 0;
	if (len > 0 && line[0] == 'T') {
		for (i = 1; i < len && line[i] >= '0' && line[i] <= '9'; i++)
			;
		if (i == 1 || i >= len || line[i] != ' ')
			return false;
		i++;
	}
	return i + 1 < len && line[i + 1] == ' ' && line[i] != '\0' && strchr("mcrfalpvVto", line[i]) != NULL;
}

/* The value of the header line `# KEY VALUE` among the first head_n of
 * the n bytes read at the file's start (its length, up to its newline or
 * the bytes read, in *len); NULL when there is none. */
static const char *header_value(const char *buf, size_t head_n, size_t n, const char *key, size_t *len)
{
	char line[32];
	int m = snprintf(line, sizeof line, "\n# %s ", key);
	const char *at = m > 0 && (size_t)m < sizeof line ? memmem(buf, head_n, line, (size_t)m) : NULL;
	*len = 0;
	if (at == NULL)
		return NULL;
	const char *value = at + m, *nl = memchr(value, '\n', (size_t)(buf + n - value));
	*len = (size_t)((nl ? nl : buf + n) - value);
	return value;
}

/* The value of header line `# KEY VALUE` into out (printable ASCII kept,
 * others '?'); "" when there is none. */
static void header_copy(const char *buf, size_t head_n, size_t n, const char *key, char *out, size_t size)
{
	size_t len = 0, k = 0;
	const char *value = header_value(buf, head_n, n, key, &len);
	for (; value && k < len && k + 1 < size; k++)
		out[k] = value[k] >= 0x20 && value[k] < 0x7f ? value[k] : '?';
	out[k] = '\0';
}

/* The header's `# pid` (0: none), as header_value finds it. */
static uint64_t header_pid_value(const char *buf, size_t head_n, size_t n)
{
	size_t len = 0;
	uint64_t pid = 0;
	const char *value = header_value(buf, head_n, n, "pid", &len);
	for (size_t k = 0; value && k < len && value[k] >= '0' && value[k] <= '9' && pid < UINT32_MAX; k++)
		pid = pid * 10 + (uint64_t)(value[k] - '0');
	return pid;
}

/* Whether the process that writes a file still runs: its window is
 * mapped in it, and cutting the padding or appending names would take
 * the file from under its writes (a SIGBUS past the new end). A pid
 * taken again by another process since keeps a finished file as it is:
 * the safe way to be wrong. */
static bool writer_alive(int fd)
{
	char buf[HEADER_READ];
	ssize_t n = pread(fd, buf, sizeof buf, 0);
	uint64_t pid = n > 0 ? header_pid_value(buf, (size_t)n, (size_t)n) : 0;
	return pid > 0 && pid < (1u << 31) && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* Reads whose recording it is and how many calls it holds (see
 * record_file_info): one pass over [0, end), a block at a time, each
 * line's first bytes kept across blocks. A last line without its
 * newline was cut while written: not counted, as the importer leaves it
 * out. The `# exe` line is the header's, in its first HEADER_READ bytes. */
static void read_summary(int fd, off_t end, record_file_info *info)
{
	char buf[65536];
	char head[32]; /* the line's first bytes: all a record's kind needs */
	size_t head_len = 0;
	uint64_t calls = 0;
	for (off_t at = 0; at < end;) {
		size_t want = end - at < (off_t)sizeof buf ? (size_t)(end - at) : sizeof buf;
		ssize_t n = pread(fd, buf, want, at);
		if (n <= 0)
			break;
		if (at == 0) {
			size_t head_n = (size_t)n < HEADER_READ ? (size_t)n : HEADER_READ;
			header_copy(buf, head_n, (size_t)n, "exe", info->exe, sizeof info->exe);
			size_t len = 0;
			info->pid = header_pid_value(buf, head_n, (size_t)n);
			info->forked = header_value(buf, head_n, (size_t)n, "forked-from", &len) != NULL;
			info->after_limit = header_value(buf, head_n, (size_t)n, "forked-after-limit", &len) != NULL;
			header_copy(buf, head_n, (size_t)n, "malloc-from", info->malloc_from, sizeof info->malloc_from);
			header_copy(buf, head_n, (size_t)n, "malloc-ahead", info->malloc_ahead, sizeof info->malloc_ahead);
			header_copy(buf, head_n, (size_t)n, "valgrind", info->valgrind, sizeof info->valgrind);
			header_copy(buf, head_n, (size_t)n, "malloc-first", info->malloc_first, sizeof info->malloc_first);
		}
		for (const char *c = buf, *stop = buf + n; c < stop;) {
			const char *nl = memchr(c, '\n', (size_t)(stop - c));
			size_t len = (size_t)((nl ? nl : stop) - c);
			size_t take = len < sizeof head - head_len ? len : sizeof head - head_len;
			memcpy(head + head_len, c, take);
			head_len += take;
			if (!nl)
				break;
			calls += is_call_record(head, head_len);
			info->deepbind += head_len > 11 && memcmp(head, "# deepbind ", 11) == 0;
			info->brk_moved += head_len > 12 && memcmp(head, "# brk-moved ", 12) == 0;
			head_len = 0;
			c = nl + 1;
		}
		at += n;
	}
	info->calls = calls;
}

typedef struct found {
	char *path;
	record_file_info info;
	uint64_t name_pid; /* the <pid> of OUT.<pid>[.<k>] */
	/* its frames are to be named: its length without the padding, and
	 * its name in the directory (in path) */
	bool to_name;
	uint64_t end;
	const char *name;
} found;

/* ---- naming the frames, in a child process (isolated.h says why) ---- */

typedef struct naming {
	int dirfd;
	const char *token;
	found *list;
	size_t count;
	bool fetch;
	record_result *res;
	bool stats_received;
} naming;

/* One message from the child: a file's result, or (index == SIZE_MAX)
 * the symbolizer's counts of frames without a name, at its end. */
typedef struct naming_message {
	size_t index;
	long named;
	char why[200];
	uint64_t unnamed_frames, looked_up_frames;
	size_t unnamed_objects;
	char unnamed_example[256];
} naming_message;

/* In the child: each file opened again (it must still be this run's),
 * named, and its result sent. */
static void name_in_child(void *context, int out)
{
	const naming *n = context;
	/* (one for all the files: the objects they share are read once; a
	 * file is named alone when there is no room for it) */
	record_symbolizer *symbolizer = record_symbolizer_new(n->fetch);
	for (size_t i = 0; i < n->count; i++) {
		if (!n->list[i].to_name)
			continue;
		naming_message m;
		memset(&m, 0, sizeof m);
		m.index = i;
		struct stat st;
		int fd = open_regular(n->dirfd, n->list[i].name, O_RDWR, &st);
		if (fd >= 0 && has_header(fd, n->token)) {
			m.named = record_symbolize_fd(symbolizer, fd, n->list[i].end, m.why, sizeof m.why);
		} else {
			m.named = -1;
			snprintf(m.why, sizeof m.why, "the file was moved or replaced before its frames were named");
		}
		if (fd >= 0)
			close(fd);
		if (!record_isolated_send(out, &m, sizeof m))
			_exit(3);
	}
	naming_message stats;
	memset(&stats, 0, sizeof stats);
	stats.index = SIZE_MAX;
	if (symbolizer)
		record_symbolizer_unnamed(symbolizer, &stats.unnamed_frames, &stats.looked_up_frames,
		                          &stats.unnamed_objects, stats.unnamed_example, sizeof stats.unnamed_example);
	record_symbolizer_free(symbolizer);
	if (!record_isolated_send(out, &stats, sizeof stats))
		_exit(3);
}

static void naming_received(void *context, const void *message)
{
	naming *n = context;
	naming_message m;
	memcpy(&m, message, sizeof m);
	m.why[sizeof m.why - 1] = '\0';
	m.unnamed_example[sizeof m.unnamed_example - 1] = '\0';
	if (m.index == SIZE_MAX) {
		n->res->unnamed_frames = m.unnamed_frames;
		n->res->looked_up_frames = m.looked_up_frames;
		n->res->unnamed_objects = m.unnamed_objects;
		snprintf(n->res->unnamed_example, sizeof n->res->unnamed_example, "%s", m.unnamed_example);
		n->stats_received = true;
		return;
	}
	if (m.index >= n->count || !n->list[m.index].to_name)
		return;
	record_file_info *info = &n->list[m.index].info;
	info->frames_named = m.named;
	snprintf(info->symbols_why, sizeof info->symbols_why, "%s", m.why);
	n->list[m.index].to_name = false; /* (done) */
}

/* Names the frames of the files that want it. A file whose naming did
 * not end (the child died in it, or before it) is as it was (names are
 * appended only once all are found: symbolize.c) and says why. */
static void name_frames(int dirfd, const char *token, found *list, size_t count, bool fetch, record_result *res)
{
	naming n = {.dirfd = dirfd, .token = token, .list = list, .count = count, .fetch = fetch, .res = res};
	record_isolated_end end = record_isolated_run(name_in_child, naming_received, &n, sizeof(naming_message));
	if (end.completed && n.stats_received)
		return;
	char why[sizeof list[0].info.symbols_why];
	size_t len = record_naming_failure(&end, why, sizeof why);
	if (strstr(why, "out of memory") != NULL && len < sizeof why)
		snprintf(why + len, sizeof why - len, "; name them later with brksim symbolize");
	for (size_t i = 0; i < count; i++)
		if (list[i].to_name) {
			list[i].info.frames_named = -1;
			snprintf(list[i].info.symbols_why, sizeof list[i].info.symbols_why, "%s", why);
			list[i].to_name = false;
		}
}

/* By the names' numbers, not their text: a process's files in the order
 * it made them (OUT.<pid>.2 before OUT.<pid>.10), the processes by pid. */
static int compare_found(const void *a, const void *b)
{
	const found *x = a, *y = b;
	if (x->name_pid != y->name_pid)
		return x->name_pid < y->name_pid ? -1 : 1;
	if (x->info.image != y->info.image)
		return x->info.image < y->info.image ? -1 : 1;
	return strcmp(x->path, y->path);
}

bool record_output_collect(const record_output *o, record_result *res, bool symbolize, bool fetch)
{
	int dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dirfd >= 0 ? fdopendir(dirfd) : NULL;
	if (!d) {
		if (dirfd >= 0)
			close(dirfd);
		return false;
	}
	found *list = NULL;
	size_t count = 0;
	bool ok = true;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!is_recording_name(e->d_name, o->base))
			continue;
		struct stat st;
		int fd = open_regular(dirfd, e->d_name, O_RDWR, &st);
		if (fd < 0)
			continue;
		if (!has_header(fd, o->token)) {
			close(fd);
			continue;
		}
		found f;
		memset(&f, 0, sizeof f);
		f.info.still_running = writer_alive(fd);
		/* (a file that cannot be cut stays padded: the importer skips
		 * a short run of NULs too) */
		bool uncut;
		off_t end = f.info.still_running ? st.st_size : record_trim_padding(fd, st.st_size, &uncut);
		read_ending(fd, end, &f.info);
		read_summary(fd, end, &f.info);
		f.info.image = image_of(e->d_name, o->base);
		f.name_pid = strtoull(e->d_name + strlen(o->base) + (e->d_name[strlen(o->base)] == '.'), NULL, 10);
		/* Names for the frames, once every file is found (name_frames) */
		f.to_name = symbolize && end > 0 && !f.info.still_running;
		f.end = (uint64_t)end;
		close(fd);
		size_t len = strlen(o->dir) + strlen(e->d_name) + 2;
		f.path = malloc(len);
		found *grown = realloc(list, (count + 1) * sizeof *list);
		if (!f.path || !grown) {
			free(f.path);
			if (grown)
				list = grown;
			ok = false;
			break;
		}
		snprintf(f.path, len, "%s%s%s", o->dir, strcmp(o->dir, "/") ? "/" : "", e->d_name);
		f.name = f.path + len - 1 - strlen(e->d_name);
		list = grown;
		list[count++] = f;
	}
	bool any_to_name = false;
	for (size_t i = 0; i < count; i++)
		any_to_name = any_to_name || list[i].to_name;
	if (any_to_name)
		name_frames(dirfd, o->token, list, count, fetch, res);
	closedir(d);
	/* OUT itself first, then the others by name. */
	for (size_t i = 0; i < count; i++)
		if (strcmp(list[i].path, o->path) == 0 && i != 0) {
			found t = list[0];
			list[0] = list[i];
			list[i] = t;
		}
	size_t first_sorted = count && strcmp(list[0].path, o->path) == 0 ? 1 : 0;
	if (count > first_sorted)
		qsort(list + first_sorted, count - first_sorted, sizeof *list, compare_found);
	res->files = count ? calloc(count, sizeof *res->files) : NULL;
	res->info = count ? calloc(count, sizeof *res->info) : NULL;
	if (count && (!res->files || !res->info)) {
		free(res->files);
		free(res->info);
		res->files = NULL;
		res->info = NULL;
		for (size_t i = 0; i < count; i++)
			free(list[i].path);
		free(list);
		return false;
	}
	for (size_t i = 0; i < count; i++) {
		res->files[i] = list[i].path;
		res->info[i] = list[i].info;
	}
	res->file_count = count;
	/* the started program's images: OUT's process, not a child (a
	 * child has its own pid, or, one that took the number again after
	 * it ended, a `# forked-from` line) */
	res->last_image = 0;
	for (size_t i = 1; i < count && strcmp(list[0].path, o->path) == 0; i++)
		if (res->info[i].pid == res->info[0].pid && !res->info[i].forked &&
		    res->info[i].image > res->info[res->last_image].image)
			res->last_image = i;
	free(list);
	return ok;
}
