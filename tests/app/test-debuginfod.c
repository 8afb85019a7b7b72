/* test-debuginfod.c — frames of a stripped program named with debug
 * information from a debuginfod server, and only when asked.
 *
 * A local `debuginfod` serves the debug information of a stripped copy of
 * callsite_target (tests/trace/meson.build keeps it apart, where libdw
 * does not look). With DEBUGINFOD_URLS pointing at it, `brksim record`
 * asks nothing (no client cache is even made) and says where names would
 * come from; `record --debuginfod` and `symbolize --debuginfod` name the
 * program's functions; --debuginfod without DEBUGINFOD_URLS, or with
 * --no-symbols, is an error.
 *
 * Arguments (from meson): BRKSIM STRIPPED DEBUGINFO DEBUGINFOD WORKDIR. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/common/test_files.h"
#include "tests/common/test_spawn.h"

static const char *brksim, *stripped, *debuginfo, *debuginfod, *workdir;
static char dir[4096], urls[64], cache[4200], cache_env[4300];
static pid_t server = -1;

/* A port nothing listens on now (the kernel's pick for port 0). */
static int free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The stripped program's GNU build id, as hex: its PT_NOTE segments. */
static bool build_id_of(const char *path, char *hex, size_t size)
{
	size_t len = 0;
	unsigned char *elf = (unsigned char *)test_read_file(path, &len);
	bool found = false;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	for (unsigned i = 0; elf && len >= sizeof *eh && !found && i < eh->e_phnum; i++) {
		if (eh->e_phoff + (i + 1) * sizeof(Elf64_Phdr) > len)
			break;
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff + i * sizeof(Elf64_Phdr));
		if (ph->p_type != PT_NOTE || ph->p_offset + ph->p_filesz > len)
			continue;
		for (size_t at = ph->p_offset; at + sizeof(Elf64_Nhdr) <= ph->p_offset + ph->p_filesz && !found;) {
			const Elf64_Nhdr *n = (const Elf64_Nhdr *)(elf + at);
			size_t name_at = at + sizeof *n, desc_at = name_at + ((n->n_namesz + 3) & ~3u);
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(elf + name_at, "GNU", 4) == 0 &&
			    desc_at + n->n_descsz <= len && 2 * n->n_descsz < size) {
				for (unsigned k = 0; k < n->n_descsz; k++)
					snprintf(hex + 2 * k, 3, "%02x", elf[desc_at + k]);
				found = true;
			}
			at = desc_at + ((n->n_descsz + 3) & ~3u);
		}
	}
	free(elf);
	return found;
}

/* The server's answer to GET `path` (its status code; 0: no answer),
 * asked over a plain socket: not through libdebuginfod, whose cache
 * would keep a "not there" from before the server had read its files. */
static int http_status(int port, const char *path)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int status = 0;
	char req[512], reply[64] = "";
	int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\n\r\n", path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && write(fd, req, (size_t)n) == n &&
	    read(fd, reply, sizeof reply - 1) > 12)
		sscanf(reply, "HTTP/%*s %d", &status);
	if (fd >= 0)
		close(fd);
	return status;
}

/* Copies the debug information into a fresh directory and serves it; the
 * test starts once the server answers for the program's build id. (An
 * unchecked fixture: it runs in the runner, whose teardown stops the
 * server even when a test fails.) */
static void start_server(void)
{
	snprintf(dir, sizeof dir, "%s/debuginfod-%ld", workdir, (long)getpid());
	char srv[4200], copy[4300], db[4300], log[4300];
	snprintf(srv, sizeof srv, "%s/srv", dir);
	snprintf(copy, sizeof copy, "%s/callsite_stripped.dbg", srv);
	snprintf(db, sizeof db, "%s/index.sqlite", dir);
	snprintf(log, sizeof log, "%s/server.log", dir);
	snprintf(cache, sizeof cache, "%s/cache", dir);
	snprintf(cache_env, sizeof cache_env, "DEBUGINFOD_CACHE_PATH=%s", cache);
	if (mkdir(dir, 0755) != 0 || mkdir(srv, 0755) != 0) {
		fprintf(stderr, "cannot make %s: %s\n", srv, strerror(errno));
		return;
	}
	size_t len = 0;
	char *bytes = test_read_file(debuginfo, &len);
	FILE *f = bytes ? fopen(copy, "wb") : NULL;
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "cannot copy %s\n", debuginfo);
		free(bytes);
		return;
	}
	free(bytes);
	int port = free_port();
	snprintf(urls, sizeof urls, "DEBUGINFOD_URLS=http://127.0.0.1:%d", port);
	char port_text[16];
	snprintf(port_text, sizeof port_text, "%d", port);
	server = fork();
	if (server == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(debuginfod, debuginfod, "-F", "-p", port_text, "-d", db, srv, (char *)NULL);
		_exit(127);
	}
	char id[130], path[200];
	if (!build_id_of(stripped, id, sizeof id)) {
		fprintf(stderr, "%s has no build id\n", stripped);
		return;
	}
	snprintf(path, sizeof path, "/buildid/%s/debuginfo", id);
	for (int i = 0; i < 300 && server > 0; i++) {
		if (http_status(port, path) == 200)
			return;
		if (waitpid(server, NULL, WNOHANG) == server) {
			server = -1; /* it ended: the tests say so */
			break;
		}
		nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
	}
	fprintf(stderr, "the debuginfod server did not serve %s (see %s)\n", path, log);
}

static void stop_server(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
		server = -1;
	}
	/* (the directory is this run's own: its copy, index, log and cache) */
	const char *rm[] = {"/bin/rm", "-rf", dir, NULL};
	test_run r;
	if (dir[0] && test_run_program(rm, NULL, NULL, 30, &r))
		test_run_release(&r);
}

static test_run run(const char *const *argv, const char *const *env)
{
	test_run r;
	ck_assert(test_run_program(argv, env, NULL, 60, &r));
	ck_assert_msg(!r.timed_out, "%s %s timed out", argv[0], argv[1]);
	return r;
}

static char *recording(const char *path)
{
	char *text = test_read_file(path, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

START_TEST(names_come_from_debuginfod_only_with_the_option)
{
	ck_assert_msg(access(debuginfod, X_OK) == 0, "%s cannot be run (scripts/deps.sh test installs debuginfod)",
	              debuginfod);
	ck_assert_msg(server > 0, "the debuginfod server is not running (see %s/server.log)", dir);
	const char *env[] = {urls, cache_env, NULL};
	char plain[4300], fetched[4300], later[4300], named[4300];
	snprintf(plain, sizeof plain, "%s/plain.trace", dir);
	snprintf(fetched, sizeof fetched, "%s/fetched.trace", dir);
	snprintf(later, sizeof later, "%s/later.trace", dir);
	snprintf(named, sizeof named, "%s/named.trace", dir);

	/* DEBUGINFOD_URLS set, no option: nothing asked, and said how */
	const char *rec[] = {brksim, "record", "-o", plain, "--", stripped, NULL};
	test_run r = run(rec, env);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_msg(strstr(r.err, "frames have no name") != NULL && strstr(r.err, "callsite_stripped") != NULL &&
	                  strstr(r.err, "--debuginfod fetches what the servers in DEBUGINFOD_URLS have") != NULL,
	              "%s", r.err);
	test_run_release(&r);
	char *text = recording(plain);
	ck_assert_ptr_null(strstr(text, "\tremember_session\t"));
	free(text);
	struct stat st;
	ck_assert_msg(stat(cache, &st) != 0, "libdw asked the server (its cache %s exists)", cache);

	/* with it: the server's names */
	const char *rec_fetch[] = {brksim, "record", "--debuginfod", "-o", fetched, "--", stripped, NULL};
	r = run(rec_fetch, env);
	ck_assert_msg(r.status == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "the frames are named with debug information from DEBUGINFOD_URLS"));
	ck_assert_msg(strstr(r.err, "frames have no name") == NULL, "%s", r.err);
	test_run_release(&r);
	text = recording(fetched);
	ck_assert_ptr_nonnull(strstr(text, "\tremember_session\t"));
	free(text);
	const char *replay[] = {brksim, "run", "--quiet", fetched, NULL};
	r = run(replay, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "(remember_session, callsite_target.c:") != NULL, "%s", r.out);
	test_run_release(&r);

	/* symbolize --debuginfod names a recording made without names */
	const char *rec_bare[] = {brksim, "record", "--no-symbols", "-o", later, "--", stripped, NULL};
	r = run(rec_bare, env);
	ck_assert_int_eq(r.status, 0);
	test_run_release(&r);
	const char *sym[] = {brksim, "symbolize", "--debuginfod", later, "-o", named, NULL};
	r = run(sym, env);
	ck_assert_msg(r.status == 0, "%s", r.err);
	test_run_release(&r);
	text = recording(named);
	ck_assert_ptr_nonnull(strstr(text, "\tremember_session\t"));
	free(text);

	/* --debuginfod needs servers, and frames to name */
	const char *no_urls[] = {"DEBUGINFOD_URLS", cache_env, NULL};
	r = run(rec_fetch, no_urls);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "error: --debuginfod asks the debuginfod servers in DEBUGINFOD_URLS, which "
	                                    "is not set"));
	test_run_release(&r);
	const char *both[] = {brksim, "record", "--debuginfod", "--no-symbols", "-o", later, "--", stripped, NULL};
	r = run(both, env);
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_nonnull(strstr(r.err, "error: --debuginfod names frames, --no-symbols leaves them unnamed"));
	test_run_release(&r);
	unlink(plain);
	unlink(fetched);
	unlink(later);
	unlink(named);
}
END_TEST

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s BRKSIM STRIPPED DEBUGINFO DEBUGINFOD WORKDIR\n", argv[0]);
		return 2;
	}
	brksim = argv[1];
	stripped = argv[2];
	debuginfo = argv[3];
	debuginfod = argv[4];
	workdir = argv[5];
	Suite *s = suite_create("debuginfod");
	TCase *tc = tcase_create("debuginfod");
	tcase_set_timeout(tc, 100);
	tcase_add_unchecked_fixture(tc, start_server, stop_server);
	tcase_add_test(tc, names_come_from_debuginfod_only_with_the_option);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
