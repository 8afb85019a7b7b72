/* minimize_main.c — brksim-minimize: shrink a diverging .ops trace.
 *
 *   brksim-minimize [--no-rss] [--glibc=V [--profile=NAME]] IN.ops > OUT.ops
 *
 * --glibc=V replays on another real glibc (a version from the cache of
 * scripts/glibc-fetch.sh, or a directory; see verify_target_resolve) and
 * compares with its own profile, or with --profile NAME's even when that
 * is another release's (to shrink what separates the two).
 * Reads a trace (settings from its `# tunables:`/`# touch:` header),
 * checks that the model diverges from the real glibc on it, shrinks it
 * with delta debugging while it still diverges, renumbers the slots and
 * writes the small trace (with the same header and a comment naming the
 * divergence) to stdout; the final report goes to stderr.
 * A developer tool (not installed); I/O lives here, in io/ and in the
 * driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input_file.h"
#include "verify/minimize.h"
#include "verify/ops_text.h"
#include "verify/verify.h"

typedef struct context {
	sim_config config;
	unsigned fields;
	const char *glibc;   /* --glibc, or NULL */
	bool profile_auto;   /* --glibc without --profile */
} context;

static void fill_request(const context *c, verify_request *req)
{
	memset(req, 0, sizeof *req);
	req->config = c->config;
	req->fields = c->fields;
	req->glibc = c->glibc;
	req->profile_auto = c->profile_auto;
	req->cross_glibc = c->glibc != NULL && !c->profile_auto;
}

static bool diverges(const sim_op *ops, size_t count, void *ctx)
{
	const context *c = ctx;
	verify_request req;
	fill_request(c, &req);
	req.ops = ops;
	req.op_count = count;
	verify_report rep;
	bool d = verify_run(&req, &rep) == VERIFY_DIVERGED;
	verify_report_release(&rep);
	return d;
}

int main(int argc, char **argv)
{
	context ctx = {.config = sim_config_defaults(SIM_GLIBC_2_36), .fields = COMPARE_ALL};
	const char *path = NULL, *profile = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--no-rss") == 0)
			ctx.fields &= ~(unsigned)COMPARE_RSS;
		else if (strncmp(argv[i], "--glibc=", 8) == 0)
			ctx.glibc = argv[i] + 8;
		else if (strncmp(argv[i], "--profile=", 10) == 0)
			profile = argv[i] + 10;
		else if (argv[i][0] == '-')
			return fprintf(stderr, "brksim-minimize: error: unknown option %s\n", argv[i]), 2;
		else
			path = argv[i];
	}
	if (!path)
		return fprintf(stderr, "usage: brksim-minimize [--no-rss] [--glibc=V [--profile=NAME]] IN.ops > OUT.ops\n"), 2;
	if (profile) {
		int p = sim_profile_from_name(profile, strlen(profile));
		if (p < 0)
			return fprintf(stderr, "brksim-minimize: error: unknown profile %s\n", profile), 2;
		ctx.config = sim_config_defaults((sim_profile)p);
	}
	ctx.profile_auto = ctx.glibc != NULL && profile == NULL;
	if (ctx.profile_auto) {
		/* The trace's settings as the replayed glibc takes them (a
		 * tcache_max 2.43 accepts is out of range for 2.36). */
		verify_target target;
		char version[32], name[48];
		verify_replay_args args = {0};
		if (verify_target_resolve(ctx.glibc, NULL, &target, NULL, NULL, 0)) {
			verify_target_args(&target, &args);
			if (verify_replay_glibc_version(&args, version, sizeof version, NULL, 0)) {
				snprintf(name, sizeof name, "glibc-%s", version);
				int p = sim_profile_from_name(name, strlen(name));
				if (p >= 0)
					ctx.config = sim_config_defaults((sim_profile)p);
			}
		}
	}
	size_t len;
	char *text;
	char why[1200];
	diag_list diags;
	diag_list_init(&diags);
	/* The same reader and limits as brksim (io/input_file.h). */
	input_file_status got = input_file_read(path, &text, &len, &diags, why, sizeof why);
	if (got == INPUT_FILE_UNREADABLE) {
		diag_list_release(&diags);
		return fprintf(stderr, "brksim-minimize: error: %s\n", why), 2;
	}
	ops_trace trace;
	ops_trace_init(&trace);
	bool ok = got == INPUT_FILE_OK && ops_text_parse(text, len, &trace, &diags);
	if (ok)
		ok = ops_trace_apply_tunables(&trace, &ctx.config, &diags);
	for (size_t i = 0; i < diags.count; i++) {
		char *r = diag_render(&diags.items[i], path, text, len);
		fputs(r ? r : "error\n", stderr);
		free(r);
	}
	int status = 0;
	if (!ok) {
		status = 2;
		goto done;
	}
	ctx.config.touch = trace.touch;
	if (!diverges(trace.ops, trace.count, &ctx)) {
		fprintf(stderr, "brksim-minimize: %s does not diverge; nothing to do\n", DIAG_QUOTE(path, strlen(path)));
		status = 1;
		goto done;
	}
	size_t tests = 0;
	size_t n = minimize_trace(trace.ops, trace.count, diverges, &ctx, &tests);
	minimize_renumber(trace.ops, n);
	fprintf(stderr, "brksim-minimize: %zu ops -> %zu ops (%zu replays)\n", trace.count, n, tests);

	verify_request req;
	fill_request(&ctx, &req);
	req.ops = trace.ops;
	req.op_count = n;
	verify_report rep;
	verify_run(&req, &rep);
	char *report = verify_report_render(&req, &rep);
	char tun[512];
	ops_text_tunables(&ctx.config, tun, sizeof tun);
	size_t out_len;
	char *out = ops_text_write(trace.ops, n, tun, ctx.config.touch, &out_len);
	if (out)
		fputs(out, stdout);
	fprintf(stderr, "%s", report ? report : "");
	free(report);
	free(out);
	verify_report_release(&rep);
done:
	diag_list_release(&diags);
	ops_trace_release(&trace);
	free(text);
	return status;
}
