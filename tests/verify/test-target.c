/* test-target.c — `--glibc` and `--profile auto`: which real glibc a
 * verification replays on (verify_target_resolve) and which profile it
 * compares with. Other glibcs are stood in for by a directory with a fake
 * loader (a shell script that records its --library-path and runs the
 * program) and a replayer that is this machine's real one or a script
 * claiming another version, so these paths are tested on any machine. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char tmp[] = "/tmp/brksim-target-test-XXXXXX";

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* Makes tmp/NAME/lib/{ld-linux-x86-64.so.2,libc.so.6} and
 * tmp/NAME/brksim-replay. The loader writes its --library-path argument
 * to tmp/NAME/loader-args, then runs the rest of its arguments. The
 * replayer runs the real one, or answers --version with `version`. */
static void make_glibc_dir(const char *name, const char *version)
{
	char dir[256], path[4096], text[8192];
	snprintf(dir, sizeof dir, "%s/%s", tmp, name);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/lib", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/lib/libc.so.6", dir);
	write_file(path, "", 0644);
	snprintf(path, sizeof path, "%s/lib/ld-linux-x86-64.so.2", dir);
	snprintf(text, sizeof text,
	         "#!/bin/sh\n"
	         "[ \"$1\" = --library-path ] || exit 99\n"
	         "echo \"$2\" > '%s/loader-args'\n"
	         "shift 2\n"
	         "exec \"$@\"\n",
	         dir);
	write_file(path, text, 0755);
	snprintf(path, sizeof path, "%s/brksim-replay", dir);
	if (version)
		snprintf(text, sizeof text,
		         "#!/bin/sh\n"
		         "if [ \"$1\" = --version ]; then echo 'glibc %s'; exit 0; fi\n"
		         "exit 9\n",
		         version);
	else
		snprintf(text, sizeof text, "#!/bin/sh\nexec '%s' \"$@\"\n", helper_replayer());
	write_file(path, text, 0755);
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	char cache[4096];
	snprintf(cache, sizeof cache, "%s/cache", tmp);
	ck_assert_int_eq(mkdir(cache, 0755), 0);
	setenv("BRKSIM_GLIBC_CACHE", cache, 1);
	make_glibc_dir("real", NULL);
	make_glibc_dir("future", "2.99");
	make_glibc_dir("cache/2.98", "2.98");
	char path[4096];
	snprintf(path, sizeof path, "%s/bare", tmp);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void teardown(void)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(tmp, "/tmp/brksim-target-test-XXXXXX");
}

/* tmp/rel, resolved (the temporary directory may sit behind a symlink). */
static void real_path(const char *rel, char *buf, size_t size)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", tmp, rel);
	char *abs = realpath(path, NULL);
	ck_assert_ptr_nonnull(abs);
	snprintf(buf, size, "%s", abs);
	free(abs);
}

START_TEST(test_this_machine)
{
	verify_target t;
	char why[512];
	ck_assert(verify_target_resolve(NULL, helper_replayer(), &t, NULL, why, sizeof why));
	ck_assert_str_eq(t.replayer, helper_replayer());
	ck_assert_str_eq(t.loader, "");
	verify_replay_args a = {0};
	verify_target_args(&t, &a);
	ck_assert_ptr_null(a.loader);
	ck_assert_ptr_null(a.library_dir);
}
END_TEST

START_TEST(test_directory_and_its_lib)
{
	char lib[2048], loader[4096], path[4096], why[512];
	real_path("real/lib", lib, sizeof lib);
	snprintf(loader, sizeof loader, "%s/ld-linux-x86-64.so.2", lib);
	verify_target t;
	/* The unpacked root, as glibc-fetch.sh leaves it. */
	snprintf(path, sizeof path, "%s/real", tmp);
	ck_assert_msg(verify_target_resolve(path, NULL, &t, NULL, why, sizeof why), "%s", why);
	ck_assert_str_eq(t.library_dir, lib);
	ck_assert_str_eq(t.loader, loader);
	ck_assert_str_eq(t.replayer, strcat(path, "/brksim-replay"));
	/* The library directory itself: the replayer one level up. */
	snprintf(path, sizeof path, "%s/real/lib", tmp);
	ck_assert_msg(verify_target_resolve(path, NULL, &t, NULL, why, sizeof why), "%s", why);
	ck_assert_str_eq(t.library_dir, lib);
	ck_assert_str_eq(t.replayer, strcat(path, "/../brksim-replay"));
}
END_TEST

START_TEST(test_version_from_the_cache)
{
	char lib[4096], why[512];
	real_path("cache/2.98/lib", lib, sizeof lib);
	verify_target t;
	bool missing = true;
	ck_assert_msg(verify_target_resolve("2.98", NULL, &t, &missing, why, sizeof why), "%s", why);
	ck_assert(!missing);
	ck_assert_str_eq(t.library_dir, lib);
	ck_assert_ptr_nonnull(strstr(t.replayer, "/cache/2.98/brksim-replay"));
	/* A version the cache does not have says how to fetch it. */
	ck_assert(!verify_target_resolve("2.97", NULL, &t, &missing, why, sizeof why));
	ck_assert(missing);
	ck_assert_ptr_nonnull(strstr(why, "glibc 2.97 is not in the cache ("));
	ck_assert_ptr_nonnull(strstr(why, "fetch it with scripts/glibc-fetch.sh 2.97"));
}
END_TEST

/* 2.3.6 has no package: its development oracle (scripts/oracle-236.sh,
 * a replayer with that malloc built in) is found in the cache by the
 * version, and run as it is, without a loader; missing, the message
 * names the script that builds it (glibc-fetch.sh does not know 2.3.6). */
START_TEST(test_the_2_3_6_oracle_from_the_cache)
{
	verify_target t;
	char why[512], path[4096];
	bool missing = false;
	ck_assert(!verify_target_resolve("2.3.6", NULL, &t, &missing, why, sizeof why));
	ck_assert(missing);
	ck_assert_ptr_nonnull(strstr(why, "glibc 2.3.6 is not in the cache ("));
	ck_assert_ptr_nonnull(strstr(why, "build its development oracle with scripts/oracle-236.sh GLIBC_SRC"));
	ck_assert_ptr_null(strstr(why, "glibc-fetch.sh"));
	snprintf(path, sizeof path, "%s/cache/2.3.6-oracle", tmp);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/cache/2.3.6-oracle/brksim-replay", tmp);
	write_file(path, "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'glibc 2.3.6'; exit 0; fi\nexit 9\n", 0755);
	missing = true;
	ck_assert_msg(verify_target_resolve("2.3.6", NULL, &t, &missing, why, sizeof why), "%s", why);
	ck_assert(!missing);
	ck_assert_str_eq(t.replayer, path);
	ck_assert_str_eq(t.loader, "");
	ck_assert_str_eq(t.library_dir, "");
	/* and it is the replayer whose version --profile auto follows */
	verify_replay_args a = {0};
	verify_target_args(&t, &a);
	char version[32];
	ck_assert(verify_replay_glibc_version(&a, version, sizeof version, NULL, 0));
	ck_assert_str_eq(version, "2.3.6");
}
END_TEST

START_TEST(test_bad_directories)
{
	verify_target t;
	char why[512], path[4096];
	bool missing = true;
	ck_assert(!verify_target_resolve("/nonexistent/glibc", NULL, &t, &missing, why, sizeof why));
	ck_assert(!missing);
	ck_assert_str_eq(why, "--glibc /nonexistent/glibc: not a directory, nor a version such as 2.41");
	snprintf(path, sizeof path, "%s/bare", tmp);
	ck_assert(!verify_target_resolve(path, NULL, &t, NULL, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, ": no ld-linux-x86-64.so.2 and libc.so.6 in it or in its lib/ directory"));
}
END_TEST

START_TEST(test_cache_location)
{
	char buf[4096];
	setenv("BRKSIM_GLIBC_CACHE", "/somewhere/else", 1);
	ck_assert(verify_glibc_cache_dir(buf, sizeof buf));
	ck_assert_str_eq(buf, "/somewhere/else");
	unsetenv("BRKSIM_GLIBC_CACHE");
	setenv("HOME", "/home/someone", 1);
	ck_assert(verify_glibc_cache_dir(buf, sizeof buf));
	ck_assert_str_eq(buf, "/home/someone/.cache/brksim/glibc");
}
END_TEST

static const sim_op ops[] = {
	{.kind = SIM_OP_MALLOC, .slot = 0, .arg_slot = SIM_NO_SLOT, .size = 100},
	{.kind = SIM_OP_MALLOC, .slot = 1, .arg_slot = SIM_NO_SLOT, .size = 200000},
	{.kind = SIM_OP_FREE, .slot = 0, .arg_slot = SIM_NO_SLOT},
};

static verify_request request(const char *glibc, bool profile_auto, sim_profile profile)
{
	verify_request r;
	memset(&r, 0, sizeof r);
	r.config = sim_config_defaults(profile);
	r.ops = ops;
	r.op_count = sizeof ops / sizeof ops[0];
	r.glibc = glibc;
	r.profile_auto = profile_auto;
	return r;
}

/* The replay goes through the directory's loader, with the library
 * directory as --library-path, and auto picks the profile of the glibc
 * that answered (here this machine's real one behind the fake loader). */
START_TEST(test_replays_through_the_loader)
{
	char path[4096], lib[4096];
	snprintf(path, sizeof path, "%s/real", tmp);
	verify_request req = request(path, true, SIM_GLIBC_2_3_6);
	verify_report rep;
	verify_status st = verify_run(&req, &rep);
	ck_assert_msg(st == VERIFY_MATCH, "%s", rep.message);
	ck_assert_str_eq(rep.glibc, "2.36");
	ck_assert_str_eq(rep.profile, "glibc-2.36");
	verify_report_release(&rep);
	snprintf(path, sizeof path, "%s/real/loader-args", tmp);
	size_t len;
	char *args = helper_read_file(path, &len);
	real_path("real/lib", lib, sizeof lib);
	ck_assert_str_eq(args, strcat(lib, "\n"));
	free(args);
}
END_TEST

/* A glibc the model has no profile for: an error that says so, never a
 * comparison with another profile. */
START_TEST(test_auto_without_a_profile_is_an_error)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/future", tmp);
	verify_request req = request(path, true, SIM_GLIBC_2_36);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	char known[256], want[512];
	sim_profile_list(known, sizeof known);
	snprintf(want, sizeof want, "the model has no profile for glibc 2.99 (it has: %s); nothing compared", known);
	ck_assert_str_eq(rep.message, want);
	ck_assert_str_eq(rep.profile, "");
	ck_assert_uint_eq(rep.compare.ops_compared, 0);
	verify_report_release(&rep);
}
END_TEST

/* A profile given that is not the replayed glibc's: skipped, and the
 * message names both and the two ways out. */
START_TEST(test_given_profile_on_another_glibc_skips)
{
	char path[4096], want[8192];
	snprintf(path, sizeof path, "%s/future", tmp);
	verify_request req = request(path, false, SIM_GLIBC_2_36);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_SKIPPED);
	snprintf(want, sizeof want,
	         "not verified: profile glibc-2.36 needs glibc 2.36, but --glibc %s runs glibc 2.99 (replay on a real "
	         "2.36 with --glibc 2.36, or compare with glibc 2.99's own profile with --profile auto)",
	         path);
	ck_assert_str_eq(rep.message, want);
	verify_report_release(&rep);
}
END_TEST

START_TEST(test_missing_version_is_an_error)
{
	verify_request req = request("2.97", true, SIM_GLIBC_2_36);
	verify_report rep;
	ck_assert_int_eq(verify_run(&req, &rep), VERIFY_ERROR);
	ck_assert_ptr_nonnull(strstr(rep.message, "scripts/glibc-fetch.sh 2.97"));
	verify_report_release(&rep);
}
END_TEST

/* Settings survive a change of profile; one the new profile refuses
 * makes the change fail and leaves the config as it was. */
START_TEST(test_config_with_profile)
{
	sim_config c = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&c, SIM_SET_TOP_PAD, 4096));
	c.touch = SIM_TOUCH_NONE;
	ck_assert(verify_config_with_profile(&c, SIM_GLIBC_2_3_6));
	ck_assert_int_eq(c.profile, SIM_GLIBC_2_3_6);
	ck_assert_uint_eq(c.value[SIM_SET_TOP_PAD], 4096);
	ck_assert_uint_eq(c.set_mask, 1u << SIM_SET_TOP_PAD);
	ck_assert_int_eq(c.touch, SIM_TOUCH_NONE);

	sim_config big = sim_config_defaults(SIM_GLIBC_2_36);
	ck_assert(sim_config_set(&big, SIM_SET_MMAP_THRESHOLD, 1048576));
	sim_config before = big;
	ck_assert(!verify_config_with_profile(&big, SIM_GLIBC_2_3_6)); /* 2.3.6: at most 512 KiB */
	ck_assert_mem_eq(&big, &before, sizeof big);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("resolve");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_this_machine);
	tcase_add_test(tc, test_directory_and_its_lib);
	tcase_add_test(tc, test_version_from_the_cache);
	tcase_add_test(tc, test_the_2_3_6_oracle_from_the_cache);
	tcase_add_test(tc, test_bad_directories);
	tcase_add_test(tc, test_cache_location);
	suite_add_tcase(s, tc);
	tc = tcase_create("verify_run");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_replays_through_the_loader);
	tcase_add_test(tc, test_auto_without_a_profile_is_an_error);
	tcase_add_test(tc, test_given_profile_on_another_glibc_skips);
	tcase_add_test(tc, test_missing_version_is_an_error);
	tcase_add_test(tc, test_config_with_profile);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
