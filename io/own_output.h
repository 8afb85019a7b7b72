/* own_output.h — an output file written without destroying a user's.
 *
 * Owns: where brksim may write a file the user named (a screenshot, a
 * report): a new file, over an earlier one of the same kind that brksim
 * wrote (told by its first bytes), or into a character device such as
 * /dev/null; anything else at the path — a file brksim did not write, a
 * directory, a symbolic link — is refused and left as it is. Must not:
 * know what the files hold beyond what their kind says of their first
 * bytes. */
#ifndef BRKSIM_IO_OWN_OUTPUT_H
#define BRKSIM_IO_OWN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/* A kind of output. */
typedef struct own_output_kind {
	const char *noun;   /* "screenshot": "an earlier screenshot" */
	const char *writes; /* "a screenshot": "brksim writes a screenshot to a new file ..." */
	/* whether a file's first bytes (n of them, at most head_bytes) are
	 * those of an earlier one */
	bool (*is_ours)(const unsigned char *head, size_t n);
	size_t head_bytes; /* at most 256 */
} own_output_kind;

typedef enum own_output_mode {
	OWN_OUTPUT_NEW_ONLY,    /* nothing may be at the path (a name brksim chose) */
	OWN_OUTPUT_NEW_OR_OURS, /* nothing, an earlier output of the kind (replaced), or a character device */
} own_output_mode;

/* Whether path may be written as mode says; false with a message in err.
 * A new file's directory must exist (said before the work, not after). */
bool own_output_may_write(const char *path, const own_output_kind *kind, own_output_mode mode, char *err,
                          size_t err_size);

/* Opens path for writing as mode allows: a new file is made with O_EXCL
 * (not one that appeared meanwhile), an earlier output removed first, a
 * device opened as it is. Returns the descriptor, *made set when a file
 * was made (the caller removes it if the write fails); -1 with a message
 * in err. */
int own_output_open(const char *path, const own_output_kind *kind, own_output_mode mode, bool *made, char *err,
                    size_t err_size);

#endif
