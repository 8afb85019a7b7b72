/* join_cmd.c — `brksim join CHILD -o OUT`: a forked child's recording
 * joined to its parent's, so that it replays from the heap the child
 * really started with (trace/fork_join.c does the joining).
 *
 * The child's header names its parent's file (`# fork-of K PID NAME`); that
 * file is looked for next to CHILD, under that name only (a name with a
 * '/' is refused: a recording must not make brksim read elsewhere). A
 * parent that was a forked child itself is joined to its own parent
 * first, up to JOIN_DEPTH_MAX generations.
 *
 * Never loses a user's data: CHILD and the parents are only read (whole,
 * within the input limits); OUT must be a new file or an earlier output
 * of brksim join (its second line is `# joined ...`), and never one of
 * the inputs.
 *
 * Exit status: 0 written; 1 the files cannot be joined (said why); 2
 * usage or file errors. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "io/input_file.h"
#include "io/own_output.h"
#include "io/write_all.h"
#include "lang/diag.h"
#include "lang/input_limits.h"
#include "trace/fork_join.h"

/* Generations joined at most (a shell that forks a shell that forks...). */
#define JOIN_DEPTH_MAX 8

static bool joined_is_ours(const unsigned char *head, size_t n)
{
	const char *nl = memchr(head, '\n', n);
	if (n < 18 || memcmp(head, "# brksim-recording", 18) != 0 || nl == NULL)
		return false;
	size_t at = (size_t)(nl - (const char *)head) + 1;
	return n - at >= 9 && memcmp(head + at, "# joined ", 9) == 0;
}

static const own_output_kind joined_kind = {"joined recording", "a joined recording", joined_is_ours, 256};

/* The file name without its directory. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* Reads path whole; false (said) when it cannot be. */
static bool read_input(const char *path, char **bytes, size_t *len)
{
	diag_list diags;
	diag_list_init(&diags);
	char why[1200];
	input_file_status s = input_file_read(path, bytes, len, &diags, why, sizeof why);
	if (s != INPUT_FILE_OK) {
		if (s == INPUT_FILE_UNREADABLE)
			fprintf(stderr, "brksim: error: %s\n", why);
		else
			fprintf(stderr, "brksim: error: cannot join %s: %s\n", path,
			        diags.count ? diags.items[0].message : "it cannot be read whole");
		free(*bytes);
		*bytes = NULL;
	}
	diag_list_release(&diags);
	return s == INPUT_FILE_OK;
}

typedef struct inputs {
	struct stat st[JOIN_DEPTH_MAX + 1];
	size_t count;
} inputs;

/* The recording at path as its process's heap was: a forked child's
 * joined to its parent's (recursively), else the file as it is (must_join:
 * the command's own argument, which must be a forked child's). `mark`:
 * the header of a child whose fork ran no fork handler (NULL otherwise):
 * this file, its parent's, gets the fork's mark at the place the child
 * names, before this file is joined to its own parent (which moves its
 * lines). */
static int load_joined(const char *path, bool must_join, unsigned depth, inputs *in, const trace_fork_of *mark,
                       char **text, size_t *len)
{
	if (!read_input(path, text, len))
		return 2;
	if (mark) {
		char *marked = NULL, why[400];
		size_t marked_len = 0;
		bool ok = trace_fork_mark(*text, *len, mark, &marked, &marked_len, why, sizeof why);
		free(*text);
		*text = NULL;
		if (!ok) {
			fprintf(stderr, "brksim: error: cannot join to %s: %s\n", path, why);
			return 1;
		}
		*text = marked;
		*len = marked_len;
	}
	struct stat st;
	if (in->count <= JOIN_DEPTH_MAX && stat(path, &st) == 0)
		in->st[in->count++] = st;
	trace_fork_of fo;
	trace_fork_of_read(*text, *len, &fo);
	if (fo.parent_pid < 0 || !fo.named) {
		if (!must_join)
			return 0;
		if (fo.parent_pid >= 0 && fo.after_limit)
			fprintf(stderr,
			        "brksim: error: cannot join %s: it was forked after its parent's recording had reached its "
			        "size limit (%" PRIu64 " bytes), so no recording holds the heap it began with; record the "
			        "program again with a larger --max-size (or --max-size none)\n",
			        path, fo.after_limit);
		else
			fprintf(stderr, "brksim: error: cannot join %s: %s\n", path,
			        fo.parent_pid < 0 ? "it is not a forked child's recording (no '# forked-from' line): its heap "
			                            "started empty, and it replays as it is"
			                          : "it does not name its parent's recording (no '# fork-of' line: made by a "
			                            "brksim before forks were marked); record the program again");
		free(*text);
		return 1;
	}
	if (depth >= JOIN_DEPTH_MAX) {
		fprintf(stderr, "brksim: error: cannot join %s: more than %d generations of forks\n", path, JOIN_DEPTH_MAX);
		free(*text);
		return 1;
	}
	if (!trace_fork_name_ok(fo.parent_name)) {
		fprintf(stderr, "brksim: error: cannot join %s: its parent's file name is not a plain name\n", path);
		free(*text);
		return 1;
	}
	/* next to the child, under the recorder's name */
	char parent_path[4400];
	const char *slash = strrchr(path, '/');
	int n = slash ? snprintf(parent_path, sizeof parent_path, "%.*s/%s", (int)(slash - path), path, fo.parent_name)
	              : snprintf(parent_path, sizeof parent_path, "%s", fo.parent_name);
	if (n < 0 || (size_t)n >= sizeof parent_path) {
		fprintf(stderr, "brksim: error: cannot join %s: the path of its parent's recording is too long\n", path);
		free(*text);
		return 2;
	}
	if (access(parent_path, F_OK) != 0) {
		fprintf(stderr,
		        "brksim: error: cannot join %s: its parent's recording, %s, is not next to it (its heap came from "
		        "pid %lld; brksim record wrote both into one directory)\n",
		        path, parent_path, (long long)fo.of_pid);
		free(*text);
		return 1;
	}
	char *parent = NULL;
	size_t parent_len = 0;
	int status = load_joined(parent_path, false, depth + 1, in, fo.unmarked ? &fo : NULL, &parent, &parent_len);
	if (status != 0) {
		free(*text);
		return status;
	}
	char *joined = NULL;
	size_t joined_len = 0;
	char why[600];
	bool ok = trace_fork_join(parent, parent_len, *text, *len, base_name(path), &joined, &joined_len, why, sizeof why);
	free(parent);
	free(*text);
	*text = NULL;
	if (!ok) {
		fprintf(stderr, "brksim: error: cannot join %s to %s: %s\n", path, parent_path, why);
		return 1;
	}
	if (fo.of_pid == fo.parent_pid)
		fprintf(stderr, "brksim: %s: pid %lld, forked by pid %lld (its fork %llu), began with the heap of %s\n",
		        path, (long long)fo.pid, (long long)fo.parent_pid, (unsigned long long)fo.seq, parent_path);
	else /* (a double fork: the parent made no call before it forked again) */
		fprintf(stderr,
		        "brksim: %s: pid %lld, forked by pid %lld, which had made no call since pid %lld forked it (its "
		        "fork %llu), began with the heap of %s\n",
		        path, (long long)fo.pid, (long long)fo.parent_pid, (long long)fo.of_pid, (unsigned long long)fo.seq,
		        parent_path);
	*text = joined;
	*len = joined_len;
	return 0;
}

int join_command(const app_options *options)
{
	const char *input = options->files[0];
	const char *output = options->output;
	/* (where OUT cannot be written is said before the work) */
	char err[1200];
	if (!own_output_may_write(output, &joined_kind, OWN_OUTPUT_NEW_OR_OURS, err, sizeof err)) {
		fprintf(stderr, "brksim: error: %s\n", err);
		return 2;
	}
	inputs in = {.count = 0};
	char *text = NULL;
	size_t len = 0;
	int status = load_joined(input, true, 0, &in, NULL, &text, &len);
	if (status != 0)
		return status;
	/* never over an input */
	struct stat out_st;
	if (stat(output, &out_st) == 0)
		for (size_t i = 0; i < in.count; i++)
			if (out_st.st_dev == in.st[i].st_dev && out_st.st_ino == in.st[i].st_ino) {
				fprintf(stderr, "brksim: error: -o %s is one of the recordings joined; join writes a new file and "
				                "leaves them as they are (choose another name)\n", output);
				free(text);
				return 2;
			}
	bool made = false;
	int fd = own_output_open(output, &joined_kind, OWN_OUTPUT_NEW_OR_OURS, &made, err, sizeof err);
	if (fd < 0) {
		fprintf(stderr, "brksim: error: %s\n", err);
		free(text);
		return 2;
	}
	bool written = io_write_all(fd, text, len);
	int write_errno = errno;
	free(text);
	if (close(fd) != 0 && written) {
		written = false;
		write_errno = errno;
	}
	if (!written) {
		if (made)
			unlink(output); /* made just now: nothing of the user's is lost */
		fprintf(stderr, "brksim: error: cannot write %s: %s\n", output, strerror(write_errno));
		return 2;
	}
	fprintf(stderr, "brksim: wrote %s\n", output);
	/* the parent's calls before the fork and the child's, each within
	 * what brksim reads, may together pass it */
	if (len > INPUT_MAX_SIZE)
		fprintf(stderr,
		        "brksim: warning: %s is %zu MiB (the parent's calls before the fork and the child's), more than the "
		        INPUT_MAX_SIZE_TEXT " brksim reads: run, show and verify will refuse it; replay its start: head -c "
		        "250M %s > PART, then brksim symbolize PART -o PART.named (its names are at the end of the file)\n",
		        output, len >> 20, output);
	else
		fprintf(stderr, "brksim: replay with: brksim run %s   (or show, verify)\n", output);
	return 0;
}
