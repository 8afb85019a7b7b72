/* main.c — the `brksim` program: parses the command line, dispatches to a
 * command, and is the only place that picks the exit status.
 *
 * Exit status: 0 ok; 1 a scenario or trace error, a failed expectation, a
 * divergence, or a run that glibc would abort; 2 usage or environment;
 * 3 (verify) not verified, or only in part; (check) not checked: the
 * lesson is not written for the profile asked for. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "options.h"
#include "sim/profile.h"

extern char **environ;

/* brksim's own malloc fails at once: the settings in its environment,
 * which ld.so applied to brksim as to any program (GLIBC_TUNABLES=...
 * brksim record -- ./app is how a program is recorded under settings),
 * can make every allocation fail (a top_pad of a terabyte: sbrk and its
 * mmap fallback both refuse). Said with the settings, instead of a bare
 * "out of memory" from wherever the first malloc was. */
static bool own_malloc_works(void)
{
	void *probe = malloc(64);
	if (probe != NULL) {
		free(probe);
		return true;
	}
	fputs("brksim: error: out of memory: malloc fails in brksim itself", stderr);
	const char *sep = " under these settings from its environment, which glibc applies to brksim too: ";
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, "GLIBC_TUNABLES=", 15) == 0 || strncmp(*e, "MALLOC_", 7) == 0) {
			fprintf(stderr, "%s%.200s", sep, *e);
			sep = ", ";
		}
	fputs("\n", stderr);
	return false;
}

int main(int argc, char **argv)
{
	if (!own_malloc_works())
		return 2;
	app_options options;
	char err[512];
	if (!app_options_parse(argc, argv, &options, err, sizeof err)) {
		fprintf(stderr, "brksim: error: %s\n", err);
		app_options_release(&options);
		return 2;
	}
	int status = 0;
	switch (options.command) {
	case APP_CMD_NONE:
		/* no command: a usage error (exit 2, as the usage says), the
		 * usage on stderr, where a script that forgot its command sees it */
		fputs(app_usage(NULL), stderr);
		status = 2;
		break;
	case APP_CMD_HELP:
		if (options.help_topic != NULL && strcmp(options.help_topic, "glossary") == 0) {
			status = glossary_command();
		} else if (options.help_topic != NULL && strcmp(options.help_topic, "keys") == 0) {
			status = keys_command();
		} else if (options.help_topic != NULL && !app_usage_has(options.help_topic)) {
			fprintf(stderr,
				"brksim: error: no help on '%s'; topics: run, check, verify, show, record, symbolize, join, keys, glossary\n",
				options.help_topic);
			status = 2;
		} else {
			fputs(app_usage(options.help_topic), stdout);
			if (options.help_topic != NULL && strcmp(options.help_topic, "show") == 0) {
				printf("\nkeys (also ? in the window):\n");
				keys_command();
			}
		}
		break;
	case APP_CMD_VERSION:
	{
		char profiles[256];
		sim_profile_list(profiles, sizeof profiles);
		printf("brksim %s (models glibc's malloc, x86-64; profiles %s)\n", BRKSIM_VERSION, profiles);
	}
		break;
	case APP_CMD_RUN:
		status = run_command(&options);
		break;
	case APP_CMD_CHECK:
		status = check_command(&options);
		break;
	case APP_CMD_VERIFY:
		status = verify_command(&options);
		break;
	case APP_CMD_SHOW:
		status = show_command(&options);
		break;
	case APP_CMD_RECORD:
		status = record_command(&options);
		break;
	case APP_CMD_SYMBOLIZE:
		status = symbolize_command(&options);
		break;
	case APP_CMD_JOIN:
		status = join_command(&options);
		break;
	}
	if (fflush(stdout) != 0 && status == 0) {
		perror("brksim: error: writing output");
		status = 2;
	}
	app_options_release(&options);
	return status;
}
