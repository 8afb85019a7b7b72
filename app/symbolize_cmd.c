/* symbolize_cmd.c — `brksim symbolize REC -o OUT`: names the frames of a
 * recording made without symbols (`record --no-symbols`, or a recording
 * whose naming failed) and writes the result to a NEW file.
 *
 * A recording keeps its module map (`# module ID LO HI BIAS BUILD-ID
 * PATH`) and each frame as `ID+OFFSET`, so the frames can be named after
 * the run, on this machine or another one that has the same builds of the
 * program and its libraries. The naming is record/symbolize.c's, the code
 * `brksim record` runs at the end of a recording: this file only copies
 * REC to OUT, lets it append the `# sym` lines to the copy, and marks the
 * copy as symbolize's own with a last whole line `# symbolized from PATH`
 * (a recording cut mid-line keeps its fragment after it).
 *
 * Never loses a user's data: REC is opened read-only and never written;
 * OUT must be a new file or an earlier output of `brksim symbolize` (its
 * last whole line says so), never REC itself. The new file is written under a
 * temporary name next to OUT and renamed to OUT only when whole, so an
 * earlier output stays when nothing could be named or writing failed.
 *
 * Exit status: 0 written; 1 nothing to name (no stacks, already named,
 * no module found); 2 usage, files or no libdw in this build. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "io/input_file.h"
#include "io/write_all.h"
#include "record/isolated.h"
#include "record/record_output.h"
#include "record/symbolize.h"
#include "unnamed_frames.h"

/* The last line of a file `brksim symbolize` wrote starts with this. */
#define SYMBOLIZED_MARK "# symbolized from "
#define RECORDING_MAGIC "# brksim-recording "

/* Whether the regular file at `path` ends with symbolize's mark line. */
static bool is_our_output(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	struct stat st;
	char tail[4097];
	ssize_t n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t from = st.st_size > 4096 ? st.st_size - 4096 : 0;
		n = pread(fd, tail, 4096, from);
	}
	close(fd);
	if (n <= 1)
		return false;
	tail[n] = '\0';
	/* the last whole line: a recording cut mid-line keeps its fragment
	 * last, after the mark (symbolize_command) */
	char *end = memrchr(tail, '\n', (size_t)n);
	if (end == NULL)
		return false;
	*end = '\0';
	const char *last = strrchr(tail, '\n');
	last = last ? last + 1 : tail;
	return strncmp(last, SYMBOLIZED_MARK, strlen(SYMBOLIZED_MARK)) == 0;
}

/* Copies all of `in` (from its start) to `out`; false with errno set. */
static bool copy_file(int in, int out, uint64_t *size)
{
	char buf[1 << 16];
	*size = 0;
	for (;;) {
		ssize_t r = read(in, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (r == 0)
			return true;
		if (!io_write_all(out, buf, (size_t)r))
			return false;
		*size += (uint64_t)r;
	}
}

/* The mark line into line (4200 bytes): the input's path with control
 * characters as '?'. It goes after the names, before a cut last line
 * (record_symbolize_fd_state keeps that last). */
static void mark_line(char *line, size_t size, const char *input)
{
	size_t k = (size_t)snprintf(line, size, "%s", SYMBOLIZED_MARK);
	for (const char *p = input; *p && k + 2 < size; p++) {
		unsigned char c = (unsigned char)*p;
		line[k++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	line[k++] = '\n';
	line[k] = '\0';
}

/* The `# note` lines naming added after byte `from` of the file it wrote
 * (an object not here, or rebuilt since), as warnings: its frames stay
 * object+offset, and the user should know why. */
static void print_notes(const char *path, uint64_t from)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* the notes follow the `# sym` lines: read the end of what was added */
	char buf[8192];
	struct stat st;
	if (fstat(fd, &st) == 0 && (uint64_t)st.st_size > from + sizeof buf - 1)
		from = (uint64_t)st.st_size - (sizeof buf - 1);
	ssize_t n = pread(fd, buf, sizeof buf - 1, (off_t)from);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	unsigned shown = 0;
	for (char *line = strtok(buf, "\n"); line && shown < 20; line = strtok(NULL, "\n"))
		if (strncmp(line, "# note ", 7) == 0) {
			fprintf(stderr, "brksim: warning: %s\n", line + 7);
			shown++;
		}
}

/* ---- naming, in a child process (record/isolated.h says why) ---- */

typedef struct naming_result {
	long named;
	record_symbolize_state state;
	char why[512];
	uint64_t unnamed, looked_up;
	size_t unnamed_objects;
	char unnamed_example[256];
} naming_result;

typedef struct naming {
	int out;
	uint64_t size;
	const char *mark;
	bool fetch;
	naming_result result;
	bool received;
} naming;

static void name_in_child(void *context, int pipe_out)
{
	naming *n = context;
	naming_result r;
	memset(&r, 0, sizeof r);
	r.state = RECORD_SYMBOLIZE_NO_STACKS;
	record_symbolizer *symbolizer = record_symbolizer_new(n->fetch);
	r.named = symbolizer ? record_symbolize_fd_state(symbolizer, n->out, n->size, n->mark, &r.state, r.why,
	                                                 sizeof r.why)
	                     : -1;
	if (!symbolizer)
		snprintf(r.why, sizeof r.why, "out of memory while naming the frames");
	else
		record_symbolizer_unnamed(symbolizer, &r.unnamed, &r.looked_up, &r.unnamed_objects, r.unnamed_example,
		                          sizeof r.unnamed_example);
	record_symbolizer_free(symbolizer);
	if (!record_isolated_send(pipe_out, &r, sizeof r))
		_exit(3);
}

static void naming_received(void *context, const void *message)
{
	naming *n = context;
	memcpy(&n->result, message, sizeof n->result);
	n->result.why[sizeof n->result.why - 1] = '\0';
	n->result.unnamed_example[sizeof n->result.unnamed_example - 1] = '\0';
	n->received = true;
}

int symbolize_command(const app_options *options)
{
	const char *input = options->files[0];
	const char *output = options->output;
	if (!record_symbolize_available()) {
		fprintf(stderr, "brksim: error: this brksim was built without elfutils' libdw, so it cannot name frames "
		                "(install libdw-dev and rebuild)\n");
		return 2;
	}
	if (options->debuginfod && !debuginfod_ready())
		return 2;
	/* ("-": the standard input, a recording given with `<`) */
	int in = open(input_system_path(input), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat in_st;
	if (in < 0 || fstat(in, &in_st) != 0) {
		fprintf(stderr, "brksim: error: cannot read %s: %s\n", input, strerror(errno));
		if (in >= 0)
			close(in);
		return 2;
	}
	char head[sizeof RECORDING_MAGIC] = "";
	if (!S_ISREG(in_st.st_mode)) {
		/* (it reads the recording by offset) */
		fprintf(stderr, "brksim: error: %s is not a file (a pipe?): symbolize reads a recording from a file\n", input);
		close(in);
		return 2;
	}
	if (pread(in, head, sizeof head - 1, 0) != (ssize_t)(sizeof head - 1) ||
	    memcmp(head, RECORDING_MAGIC, sizeof head - 1) != 0) {
		fprintf(stderr, "brksim: error: %s is not a brksim recording (made by brksim record)\n", input);
		close(in);
		return 2;
	}
	struct stat out_st;
	bool replacing = false;
	if (lstat(output, &out_st) == 0) {
		if (out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino) {
			fprintf(stderr, "brksim: error: -o %s is the recording itself; symbolize writes a new file and leaves "
			                "the recording as it is (choose another name)\n", output);
			close(in);
			return 2;
		}
		if (!S_ISREG(out_st.st_mode) || !is_our_output(output)) {
			fprintf(stderr, "brksim: error: %s exists and is not an earlier output of brksim symbolize; "
			                "symbolize writes a new file or over its own earlier output only (choose another name "
			                "or remove it)\n", output);
			close(in);
			return 2;
		}
		replacing = true;
	}
	/* Written under a name of its own next to OUT, then renamed: an
	 * earlier output stays until the new one is whole. */
	char tmp[4200];
	int tn = snprintf(tmp, sizeof tmp, "%s.XXXXXX", output);
	bool fits = tn > 0 && (size_t)tn < sizeof tmp;
	int out = fits ? mkostemp(tmp, O_CLOEXEC) : -1;
	if (out < 0) {
		fprintf(stderr, "brksim: error: cannot create %s: %s\n", output, fits ? strerror(errno) : "the name is too long");
		close(in);
		return 2;
	}
	if (fchmod(out, in_st.st_mode & 0666) != 0) {
		/* mkostemp's 0600 then: the recording's copy stays private */
	}
	uint64_t size = 0;
	bool copied = copy_file(in, out, &size);
	/* the copy without the unused window's NUL bytes: the names go
	 * right after the last line, where brksim reads them */
	if (copied) {
		bool failed;
		size = (uint64_t)record_trim_padding(out, (off_t)size, &failed);
		copied = !failed;
	}
	int copy_errno = errno;
	close(in);
	int status = 0;
	char why[512] = "";
	char mark[4200];
	mark_line(mark, sizeof mark, input);
	/* (in a child process: libdw ends the process it runs in when it
	 * runs out of memory, which left the temporary copy behind) */
	naming n = {.out = out, .size = size, .mark = mark, .fetch = options->debuginfod,
	            .result = {.named = -1, .state = RECORD_SYMBOLIZE_NO_STACKS}};
	if (copied) {
		record_isolated_end end = record_isolated_run(name_in_child, naming_received, &n, sizeof n.result);
		if (!n.received)
			record_naming_failure(&end, n.result.why, sizeof n.result.why);
	}
	long named = n.result.named;
	record_symbolize_state state = n.result.state;
	snprintf(why, sizeof why, "%s", n.result.why);
	uint64_t unnamed = n.result.unnamed, looked_up = n.result.looked_up;
	size_t unnamed_objects = n.result.unnamed_objects;
	char unnamed_example[256];
	snprintf(unnamed_example, sizeof unnamed_example, "%s", n.result.unnamed_example);
	if (!copied) {
		fprintf(stderr, "brksim: error: cannot write %s: %s\n", output, strerror(copy_errno));
		status = 2;
	} else if (named < 0) {
		fprintf(stderr, "brksim: error: %s: %s\n", output, why);
		status = 2;
	} else if (state == RECORD_SYMBOLIZE_ALREADY) {
		fprintf(stderr, "brksim: error: %s names its frames already (it has `# sym` lines): run or show it as it "
		                "is\n", input);
		status = 1;
	} else if (state == RECORD_SYMBOLIZE_NO_STACKS) {
		fprintf(stderr, "brksim: error: %s has no call stacks (recorded with --stack-depth 0, or by a recorder "
		                "built without libunwind): there are no frames to name\n", input);
		status = 1;
	} else if (named == 0) {
		fprintf(stderr, "brksim: error: none of the frames of %s could be named: the program and libraries it ran "
		                "(its `# module` lines) are not on this machine at those paths, were rebuilt since (another "
		                "build id), or have neither debug information nor a symbol table\n", input);
		status = 1;
	} else if (fsync(out) != 0) {
		fprintf(stderr, "brksim: error: cannot write %s: %s\n", output, strerror(errno));
		status = 2;
	}
	if (close(out) != 0 && status == 0) {
		fprintf(stderr, "brksim: error: cannot write %s: %s\n", output, strerror(errno));
		status = 2;
	}
	/* In place: over the earlier output (checked above), or as a new file
	 * only if none appeared meanwhile. */
	if (status == 0 &&
	    (replacing ? rename(tmp, output) : renameat2(AT_FDCWD, tmp, AT_FDCWD, output, RENAME_NOREPLACE)) != 0) {
		fprintf(stderr, "brksim: error: cannot write %s: %s\n", output, strerror(errno));
		status = 2;
	}
	if (status != 0) {
		unlink(tmp); /* made just now: nothing of the user's is lost */
		return status;
	}
	print_notes(output, size);
	fprintf(stderr, "brksim: named %ld frame%s of %s; wrote %s\n", named, named == 1 ? "" : "s", input, output);
	say_unnamed_frames(unnamed, looked_up, unnamed_objects, unnamed_example, options->debuginfod);
	fprintf(stderr, "brksim: replay with: brksim run %s   (or show, verify)\n", output);
	return 0;
}
