/* load.c — from a path on disk to a script plus the config to run it with.
 *
 * The front end is chosen by --input-format, else by the extension
 * (.heap: scenario, .ops: op trace), else by the trace importers' content
 * sniffing, else it is read as a scenario (so a lesson may have any name).
 * Settings are layered like a real process sees them: the profile's
 * defaults, the file's `set` lines (or a recording's GLIBC_TUNABLES),
 * then --profile/--touch/--tunables from the command line.
 * Must not: parse any format itself (lang/, trace/ and verify/ops_text.c
 * do) or run the model. */
#include "load.h"

#include <errno.h>
#include <gnu/libc-version.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "describe.h"
#include "io/input_file.h"
#include "lang/input_limits.h"
#include "lang/tunables.h"
#include "sim/append.h"
#include "sim/glossary.h"
#include "verify/ops_text.h"
#include "verify/verify.h"

static bool has_extension(const char *path, const char *ext)
{
	size_t n = strlen(path), e = strlen(ext);
	return n > e && strcmp(path + n - e, ext) == 0;
}

void load_say_unknown_profile(FILE *err, const char *what, const char *name, size_t len)
{
	char known[256];
	sim_profile_list(known, sizeof known);
	/* a bare version, '2.31': the profile of that glibc */
	const char *bare = sim_profile_of_bare_version(name, len);
	fprintf(err, "brksim: error: %s '%s'; %s%s%sexpected one of: %s, auto\n", what, DIAG_QUOTE(name, len),
	        bare ? "did you mean '" : "", bare ? bare : "", bare ? "'? " : "", known);
}

/* "id" + the decimal slot number in buf (ID_NAME_ROOM bytes, of which
 * those after the name are scratch): a .ops trace's slot name, made
 * without snprintf (half a million of them in a trace of the perl
 * recording; tsv's lines make one a step). Returns its length. */
enum { ID_NAME_ROOM = 2 + 24 };
static size_t id_name(char *buf, uint32_t slot)
{
	buf[0] = 'i';
	buf[1] = 'd';
	return 2 + sim_append_put_dec(buf + 2, slot);
}

/* ops_slot_name's name at `to` (script.slot_namer_put). */
static size_t ops_slot_put(const void *context, sim_slot slot, char *to)
{
	(void)context;
	return id_name(to, slot);
}

/* The name of a slot a streamed .ops trace left unnamed (stream_scan's
 * lazy_names): while its slot numbers were the script's, slot N is
 * trace number N, "idN" (script.slot_namer; no context). */
static const char *ops_slot_name(const void *context, sim_slot slot, char *buf, size_t size)
{
	(void)context;
	if (size < ID_NAME_ROOM + 1)
		return NULL;
	buf[id_name(buf, slot)] = '\0';
	return buf;
}

/* Turns a parsed .ops trace into a script; slot N is named "idN" (each
 * number once, in a script with no slots yet: the names are unique, and
 * are added without a lookup). The
 * ops and their lines move into the (empty) script instead of being
 * copied: a 1M-op trace is not held twice while it loads. */
static bool ops_to_script(ops_trace *trace, script *out)
{
	if (out->ops != NULL || out->op_count != 0)
		return false;
	sim_slot *map = calloc(trace->slot_count ? trace->slot_count : 1, sizeof *map);
	uint32_t *cols = malloc((trace->capacity ? trace->capacity : 1) * sizeof *cols);
	if (map == NULL || cols == NULL) {
		free(map);
		free(cols);
		return false;
	}
	for (uint32_t i = 0; i < trace->slot_count; i++)
		map[i] = SIM_NO_SLOT;
	bool ok = true;
	for (size_t i = 0; ok && i < trace->count; i++) {
		sim_op *op = &trace->ops[i];
		sim_slot *slots[2] = {&op->slot, &op->arg_slot};
		for (int k = 0; k < 2; k++) {
			sim_slot s = *slots[k];
			if (s == SIM_NO_SLOT || s >= trace->slot_count)
				continue;
			if (map[s] == SIM_NO_SLOT) {
				char name[ID_NAME_ROOM];
				map[s] = script_add_new_slot(out, name, id_name(name, s));
				if (map[s] == SIM_NO_SLOT)
					ok = false;
			}
			*slots[k] = map[s];
		}
		cols[i] = 1;
	}
	free(map);
	if (!ok) {
		free(cols);
		return false;
	}
	out->ops = trace->ops;
	out->op_line = trace->op_line;
	out->op_col = cols;
	out->op_count = trace->count;
	out->op_capacity = trace->capacity;
	trace->ops = NULL;
	trace->op_line = NULL;
	trace->count = trace->capacity = 0;
	return true;
}

/* Prints a diagnostic list whose positions refer to `source` named `name`. */
static void print_diag_list(const diag_list *diags, const char *name, const char *source, size_t len, FILE *err)
{
	for (size_t i = 0; i < diags->count; i++) {
		char *text = diag_render(&diags->items[i], name, source, len);
		if (text != NULL) {
			fputs(text, err);
			free(text);
		}
	}
}

/* Applies the command line's settings over the file's. 0 ok, 2 bad option
 * (said on `err`; nothing said when it is NULL). */
static int apply_command_line(loaded_file *out, const app_options *options, FILE *err)
{
	out->config = out->script.config;
	const char *recorded = out->kind == LOADED_TRACE && out->extra.glibc_version[0] ? out->extra.glibc_version : NULL;
	const char *name = options->profile;
	/* A recording names the glibc that made it: replayed under that
	 * glibc's profile unless the user says otherwise (as verify does);
	 * verify chooses for itself once it knows the replayed glibc. */
	bool recording_default = name == NULL && recorded != NULL && options->command != APP_CMD_VERIFY;
	char auto_name[48];
	if (recording_default) {
		snprintf(auto_name, sizeof auto_name, "glibc-%s", recorded);
		bool known = sim_profile_from_name(auto_name, strlen(auto_name)) >= 0;
		if (known)
			name = auto_name;
		out->profile_why = known ? LOADED_PROFILE_RECORDING : LOADED_PROFILE_NO_RECORDING_PROFILE;
		snprintf(out->profile_why_version, sizeof out->profile_why_version, "%s", DIAG_QUOTE(recorded, strlen(recorded)));
	}
	if (name != NULL) {
		/* auto: the glibc that runs. verify knows it only once it asks
		 * the replayer (verify_cmd.c); otherwise the glibc a recording
		 * was made on, or this machine's. */
		const char *auto_version = NULL;
		if (strcmp(name, "auto") == 0) {
			if (options->command == APP_CMD_VERIFY)
				return 0;
			auto_version = recorded ? recorded : gnu_get_libc_version();
			snprintf(auto_name, sizeof auto_name, "glibc-%s", auto_version);
			name = auto_name;
			out->profile_why = recorded ? LOADED_PROFILE_AUTO_RECORDING : LOADED_PROFILE_AUTO_MACHINE;
			snprintf(out->profile_why_version, sizeof out->profile_why_version, "%s",
			         DIAG_QUOTE(auto_version, strlen(auto_version)));
		}
		int p = sim_profile_from_name(name, strlen(name));
		if (p < 0) {
			char known[256];
			sim_profile_list(known, sizeof known);
			if (err == NULL) {
				/* (a probe: said when it counts) */
			} else if (auto_version)
				fprintf(err, "brksim: error: --profile auto: the model has no profile for glibc %s (it has: %s)\n",
				        DIAG_QUOTE(auto_version, strlen(auto_version)), known);
			else
				load_say_unknown_profile(err, "unknown --profile", name, strlen(name));
			return 2;
		}
		/* A release without a tcache has no tcache settings, one whose
		 * threads share the main arena no arena limit: left out, and
		 * said so (load_print_dropped_settings), rather than refused. */
		uint32_t absent = sim_config_absent_settings((sim_profile)p);
		out->dropped_settings = out->config.set_mask & absent;
		out->config.set_mask &= ~absent;
		if (!verify_config_with_profile(&out->config, (sim_profile)p)) {
			/* `brksim check --profile X` on a lesson written for other
			 * releases checks nothing of it (check.c says so), so
			 * settings X does not have do not matter */
			if (options->command == APP_CMD_CHECK &&
			    !script_glibc_cond_holds(&out->script.for_glibc, (sim_profile)p)) {
				out->config = sim_config_defaults((sim_profile)p);
				return 0;
			}
			char shown[4096], cond[64] = "";
			if (out->script.for_glibc.given) {
				char c[40];
				script_glibc_cond_format(&out->script.for_glibc, c, sizeof c);
				snprintf(cond, sizeof cond, " (it is written for %s)", c);
			}
			if (err != NULL)
				fprintf(err, "%s: error: the file's settings are not valid under --profile %s%s\n",
					describe_escaped(out->path, shown, sizeof shown), DIAG_QUOTE(name, strlen(name)), cond);
			return 2;
		}
	}
	if (recorded != NULL) {
		const sim_glibc *g = sim_profile_glibc(out->config.profile);
		char version[32];
		snprintf(version, sizeof version, g->micro ? "%u.%u.%u" : "%u.%u", g->major, g->minor, g->micro);
		if (strcmp(version, recorded) != 0)
			snprintf(out->profile_mismatch, sizeof out->profile_mismatch, "%s", DIAG_QUOTE(recorded, strlen(recorded)));
	}
	if (options->touch != NULL)
		out->config.touch = strcmp(options->touch, "none") == 0 ? SIM_TOUCH_NONE : SIM_TOUCH_ALL;
	/* (touch changes no pointer or break a recording is compared by) */
	sim_config before = out->config;
	if (options->cpus != 0)
		out->config.cpus = options->cpus;
	if (options->trim_every != 0) { /* (a what-if: a recording's replay then parts from it) */
		out->config.trim_every = options->trim_every;
		out->config.trim_pad = options->trim_pad;
	}
	if (options->tunables != NULL) {
		diag_list diags;
		diag_list_init(&diags);
		bool ok = tunables_parse(options->tunables, strlen(options->tunables), &out->config, &diags);
		if (err != NULL)
			print_diag_list(&diags, "--tunables", options->tunables, strlen(options->tunables), err);
		diag_list_release(&diags);
		if (!ok)
			return 2;
	}
	if (options->side_tunables != NULL) {
		diag_list diags;
		diag_list_init(&diags);
		bool ok = tunables_parse(options->side_tunables, options->side_tunables_len, &out->config, &diags);
		for (size_t i = 0; i < diags.count; i++)
			if (diags.items[i].col > 0)
				diags.items[i].col += (uint32_t)options->side_tunables_at;
		if (err != NULL && options->side_source != NULL)
			print_diag_list(&diags, "--compare", options->side_source, strlen(options->side_source), err);
		diag_list_release(&diags);
		if (!ok)
			return 2;
	}
	out->settings_changed = !sim_config_same(&before, &out->config);
	out->before_options = before;
	return 0;
}

static int load_ops(loaded_file *out)
{
	ops_trace trace;
	ops_trace_init(&trace);
	bool ok = ops_text_parse(out->bytes, out->len, &trace, &out->diags);
	if (trace.touch_given)
		out->script.config.touch = trace.touch;
	if (!ops_trace_apply_tunables(&trace, &out->script.config, &out->diags))
		ok = false;
	if (!ops_to_script(&trace, &out->script)) {
		diag_add(&out->diags, DIAG_ERROR, 0, 0, "out of memory");
		ok = false;
	}
	ops_trace_release(&trace);
	return ok ? 0 : 1;
}

/* The first walk of a streamed .ops trace: counts its ops and names
 * their slots in order of first use, as ops_to_script does (unique names
 * in a script with no slots yet), so that the script's slots and names
 * are the same either way. */
typedef struct stream_scan {
	script *script;
	sim_slot *map;
	uint32_t map_count;
	size_t count;
	bool out_of_memory;
	/* every slot number is the script's slot: no map needed (while it
	 * holds, the slots named so far are 0 .. named - 1, and `map` is
	 * not kept: a lookup a slot was a cache miss on traces of 320k live
	 * slots freed in random order) */
	bool identity;
	uint32_t named;
	/* the slots named while `identity` holds are left unnamed (named
	 * when asked: ops_slot_name): for a run that prints no step (run
	 * --quiet), which asks for one or two names of the hundreds of
	 * thousands; making each name was a tenth of the instructions of a
	 * plain 1M-op trace's run */
	bool lazy_names;
} stream_scan;

/* Makes map[0 .. s] exist, the new entries unused; false when out of memory. */
static bool scan_map_cover(stream_scan *sc, sim_slot s)
{
	if (s < sc->map_count)
		return true;
	uint32_t cap = sc->map_count ? sc->map_count : 1024; /* s <= OPS_MAX_SLOT */
	while (cap <= s)
		cap *= 2;
	sim_slot *map = realloc(sc->map, cap * sizeof *map);
	if (map == NULL) {
		sc->out_of_memory = true;
		return false;
	}
	for (uint32_t i = sc->map_count; i < cap; i++)
		map[i] = SIM_NO_SLOT;
	sc->map = map;
	sc->map_count = cap;
	return true;
}

/* The slot numbers seen so far written out as the map: slot s first
 * came after a slot above it, or was named out of turn. */
static bool scan_leave_identity(stream_scan *sc, sim_slot s)
{
	if (!scan_map_cover(sc, s > sc->named ? s : sc->named))
		return false;
	for (uint32_t i = 0; i < sc->named; i++)
		sc->map[i] = i;
	sc->identity = false;
	return true;
}

/* Names slot s (not SIM_NO_SLOT) if it is new; false when out of memory. */
static bool scan_slot(stream_scan *sc, sim_slot s)
{
	if (sc->identity && s < sc->named)
		return true;
	if (sc->identity && s > sc->named && !scan_leave_identity(sc, s))
		return false;
	if (!sc->identity && (!scan_map_cover(sc, s) || sc->map[s] != SIM_NO_SLOT))
		return !sc->out_of_memory;
	char name[ID_NAME_ROOM];
	sim_slot named = sc->identity && sc->lazy_names ? script_add_unnamed_slot(sc->script)
	                                                : script_add_new_slot(sc->script, name, id_name(name, s));
	if (named == SIM_NO_SLOT) {
		sc->out_of_memory = true;
		return false;
	}
	/* (a script with slots 0 .. named - 1 names the next one `named`) */
	if (sc->identity && named == s) {
		sc->named++;
		return true;
	}
	if (sc->identity && !scan_leave_identity(sc, s))
		return false;
	sc->map[s] = named;
	return true;
}

/* The op's two slots read one by one: the parser stores them one by
 * one, and the pair read as one 8-byte load (an array of the two) waited
 * for both stores to land, half of this function's time. */
static bool scan_op(void *context, const sim_op *op, uint32_t line)
{
	(void)line;
	stream_scan *sc = context;
	if (op->slot != SIM_NO_SLOT && !scan_slot(sc, op->slot))
		return false;
	if (op->arg_slot != SIM_NO_SLOT && !scan_slot(sc, op->arg_slot))
		return false;
	sc->count++;
	return true;
}

/* op's slots as the script numbers them (map: the file's numbers to the
 * script's). */
static inline void map_op_slots(sim_op *op, const sim_slot *map)
{
	if (op->slot != SIM_NO_SLOT)
		op->slot = map[op->slot];
	if (op->arg_slot != SIM_NO_SLOT)
		op->arg_slot = map[op->arg_slot];
}

/* The second walk: the ops parsed straight into the visitor's window
 * with the script's slots (the first walk saw every slot: all are in
 * the map). */
typedef struct stream_walk {
	const loaded_file *file;
	trace_window_visitor visit;
	void *context;
	bool started;
	trace_op_window window;
} stream_walk;

static bool walk_take(void *context, size_t count, ops_text_room *room)
{
	stream_walk *w = context;
	if (w->file->slot_map != NULL)
		for (size_t i = 0; i < count; i++)
			map_op_slots(&room->ops[i], w->file->slot_map);
	if (!w->visit(w->context, w->started ? count : 0, &w->window))
		return false;
	w->started = true;
	*room = (ops_text_room){w->window.ops, w->window.lines, w->window.room};
	return true;
}

void load_stream_ops(const loaded_file *file, trace_window_visitor visit, void *context)
{
	/* The text is the one the first walk read without an error: this
	 * walk's header and diagnostics say nothing new. */
	ops_trace header;
	ops_trace_init(&header);
	diag_list diags;
	diag_list_init(&diags);
	stream_walk w = {file, visit, context, false, {0}};
	ops_text_fill(file->bytes, file->len, &header, &diags, walk_take, &w);
	ops_trace_release(&header);
	diag_list_release(&diags);
}

size_t loaded_op_count(const loaded_file *file)
{
	return file->streamed || file->visited ? file->streamed_op_count : file->script.op_count;
}

/* A recording handed to a load_visitor as it is imported. */
typedef struct visit_state {
	const load_visitor *visitor;
	loaded_file *file;
	const app_options *options;
	bool started;
	sim_config config; /* what the visitor's model started with */
	bool whole;        /* the file is read whole (its reading in pieces was refused) */
	input_map *map;    /* the file mapped, or NULL */
	uint32_t ops;      /* ops visited one at a time */
} visit_state;

/* The importer's visitor: before the first op, the config the ops run
 * under, from the header read so far and the command line (what load
 * makes of them at the end, as the importer takes no setting after the
 * first call); then each op to the caller's visitor. */
static bool visit_start(visit_state *vs)
{
	if (!vs->started) {
		/* a shallow copy: apply_command_line only reads the script */
		loaded_file probe = *vs->file;
		if (apply_command_line(&probe, vs->options, NULL) != 0)
			return false; /* load says why at the end, and fails */
		vs->config = probe.config;
		vs->started = true;
		/* (the importer has set with_results before its first op) */
		if (!vs->visitor->begin(vs->visitor->context, &vs->config,
		                        vs->file->kind == LOADED_TRACE && vs->file->extra.with_results))
			return false;
	}
	return true;
}

static bool visit_op(void *context, const sim_op *op, uint32_t line, const trace_recorded *rec)
{
	visit_state *vs = context;
	/* (the mapped text behind the import leaves the RSS as it goes) */
	if (vs->map != NULL && (++vs->ops & 511) == 0)
		input_map_done_before(vs->map, line);
	return visit_start(vs) && vs->visitor->op(vs->visitor->context, op, line, rec);
}

/* The same for ops written into the visitor's window (the script's
 * config is the same at its first flush as at its first op: the
 * importer visits no recording that sets something after a call). */
static bool visit_window(void *context, size_t count, trace_op_window *window)
{
	visit_state *vs = context;
	if (vs->map != NULL && count > 0)
		input_map_done_before(vs->map, window->lines[count - 1]);
	return visit_start(vs) && vs->visitor->window(vs->visitor->context, count, window);
}

/* The header's settings (`# touch:`, `# tunables:`) over `config`;
 * false when the tunables have an error (said in diags). */
static bool apply_ops_header(const ops_trace *header, sim_config *config, diag_list *diags)
{
	if (header->touch_given)
		config->touch = header->touch;
	return ops_trace_apply_tunables(header, config, diags);
}

/* A .ops trace run as it is read (load_file_visited: run --quiet) walks
 * its text once: each op is scanned as the first walk of a streamed one
 * scans it, and handed to the visitor with the script's slots until the
 * visitor takes no more (the walk goes on, for the diagnostics and the
 * count). The header's settings come before the first op: the run
 * starts there under the settings the end of the load gives the file. */
typedef struct ops_visit {
	stream_scan scan;
	loaded_file *file;
	visit_state *visit;
	const ops_trace *header;
	bool started;
	bool visiting;
	/* a visitor that takes its ops a window at a time (run --quiet's):
	 * the text is parsed straight into its window (ops_text_fill);
	 * once it takes no more, into `spare` (the walk goes on for the
	 * diagnostics and the count) */
	trace_op_window window;
	sim_op spare[64];
	uint32_t spare_lines[64];
} ops_visit;

/* The run starts at the first op, under the header's settings (applied
 * again at the end, where their diagnostics are said in their place
 * after the text's). */
static void ops_visit_start(ops_visit *ov)
{
	ov->started = true;
	sim_config before = ov->file->script.config;
	diag_list unsaid;
	diag_list_init(&unsaid);
	ov->visiting = apply_ops_header(ov->header, &ov->file->script.config, &unsaid) && visit_start(ov->visit);
	ov->file->script.config = before;
	diag_list_release(&unsaid);
}

static bool visit_ops_op(void *context, const sim_op *op, uint32_t line)
{
	ops_visit *ov = context;
	if (!scan_op(&ov->scan, op, line))
		return false;
	if (!ov->started)
		ops_visit_start(ov);
	if (!ov->visiting)
		return true;
	const load_visitor *v = ov->visit->visitor;
	if (ov->scan.identity) {
		ov->visiting = v->op(v->context, op, line, NULL);
		return true;
	}
	sim_op mapped = *op;
	map_op_slots(&mapped, ov->scan.map);
	ov->visiting = v->op(v->context, &mapped, line, NULL);
	return true;
}

/* scan_op over ops[0 .. count) while the slots are numbered in order of
 * first use and named on demand (the script's slots are then the
 * trace's, sc->named of them): how many ops it took; the op after them
 * (a slot out of turn) is scan_op's. Without a branch an op: whether an
 * op names a new slot is as random as the trace's mix of mallocs and
 * frees, and its branch, away from the parser's on the same letter,
 * missed as often (a tenth of run --quiet of a plain 1M-op trace). */
static size_t scan_identity_run(stream_scan *sc, const sim_op *ops, size_t count)
{
	uint32_t named = sc->named;
	size_t i = 0;
	for (; i < count; i++) {
		sim_slot a = ops[i].slot, b = ops[i].arg_slot;
		uint32_t n = named;
		n += a == n;
		bool ok = a == SIM_NO_SLOT || a < n;
		n += b == n;
		ok &= b == SIM_NO_SLOT || b < n;
		if (!ok)
			break;
		named = n;
	}
	if (named > sc->named) {
		if (script_add_unnamed_slots(sc->script, named - sc->named) == SIM_NO_SLOT) {
			sc->out_of_memory = true;
			return 0;
		}
		sc->named = named;
	}
	sc->count += i;
	return i;
}

/* ops_text_fill's reader for a windowed visitor: the ops parsed into the
 * window are scanned (and given the script's slots) in place, then
 * handed over. */
static bool take_ops(void *context, size_t count, ops_text_room *room)
{
	ops_visit *ov = context;
	stream_scan *sc = &ov->scan;
	sim_op *ops = room->ops;
	size_t i = sc->identity && sc->lazy_names ? scan_identity_run(sc, ops, count) : 0;
	for (; i < count; i++) {
		sim_op *op = &ops[i];
		if (!scan_op(sc, op, 0))
			return false;
		if (!sc->identity)
			map_op_slots(op, sc->map);
	}
	/* (without a visitor, the first walk of a streamed trace: only
	 * scanned, `visiting` stays false) */
	if (ov->visit != NULL) {
		const load_visitor *v = ov->visit->visitor;
		if (!ov->started) {
			ops_visit_start(ov);
			if (ov->visiting)
				ov->visiting = v->window(v->context, 0, &ov->window);
		} else if (ov->visiting && ops == ov->window.ops) {
			ov->visiting = v->window(v->context, count, &ov->window);
		}
	}
	if (ov->visiting)
		*room = (ops_text_room){ov->window.ops, ov->window.lines, ov->window.room};
	else
		*room = (ops_text_room){ov->spare, ov->spare_lines, sizeof ov->spare / sizeof ov->spare[0]};
	return true;
}

/* A .ops trace for a forward run: walked once to check it and name its
 * slots (its ops are walked again as they run: load_stream_ops), or,
 * with a visitor, once in all (visit_ops_op: the ops run during the
 * walk, `visited` is set). */
static int load_ops_streamed(loaded_file *out, visit_state *visit, bool names_on_demand)
{
	ops_trace header;
	ops_trace_init(&header);
	ops_visit ov = {
		.scan = {.script = &out->script, .identity = true, .lazy_names = names_on_demand},
		.file = out,
		.visit = visit,
		.header = &header,
	};
	bool ok = !visit || visit->visitor->window
		  ? ops_text_fill(out->bytes, out->len, &header, &out->diags, take_ops, &ov)
		  : ops_text_each(out->bytes, out->len, &header, &out->diags, visit_ops_op, &ov);
	stream_scan *sc = &ov.scan;
	if (sc->out_of_memory) {
		diag_add(&out->diags, DIAG_ERROR, 0, 0, "out of memory");
		ok = false;
	}
	if (!apply_ops_header(&header, &out->script.config, &out->diags))
		ok = false;
	ops_trace_release(&header);
	out->streamed = visit == NULL;
	out->visited = visit != NULL;
	out->streamed_op_count = sc->count;
	/* A trace that numbers its slots 0, 1, 2... in order of first use
	 * (brksim's own and the random generator's) needs no map. */
	if (sc->identity) {
		free(sc->map);
		sc->map = NULL;
		sc->map_count = 0;
	}
	out->slot_map = sc->map;
	out->slot_map_count = sc->map_count;
	if (out->script.slot_names_count < out->script.slot_count) { /* (the slots lazy_names left unnamed) */
		out->script.slot_namer = ops_slot_name;
		out->script.slot_namer_put = ops_slot_put;
	}
	return ok ? 0 : 1;
}

static int load(const char *path, const app_options *options, loaded_file *out, FILE *err, bool stream,
		bool unheld, visit_state *visit);

int load_file(const char *path, const app_options *options, loaded_file *out, FILE *err)
{
	return load(path, options, out, err, false, false, NULL);
}

int load_file_unheld(const char *path, const app_options *options, loaded_file *out, FILE *err)
{
	return load(path, options, out, err, false, true, NULL);
}

int load_file_streamed(const char *path, const app_options *options, loaded_file *out, FILE *err)
{
	return load(path, options, out, err, true, false, NULL);
}

int load_file_visited(const char *path, const app_options *options, loaded_file *out, FILE *err,
		      const load_visitor *visitor)
{
	visit_state vs = {visitor, out, options, false, {0}, false, NULL, 0};
	return load(path, options, out, err, true, false, &vs);
}

/* How a visited load reads the file. */
typedef enum read_way {
	READ_WHOLE = 0, /* input_file_read: it holds the text, and says what is wrong with a file */
	READ_MAPPED,    /* a trace mapped (input_map): a recording, mtrace, ltrace or .rep */
	READ_PIECES,    /* a recording that could not be mapped, a piece at a time (input_pieces) */
	READ_MAPPED_OPS, /* a .ops trace run as it is read, mapped (input_map) */
} read_way;

/* The trace format of the first bytes of a file, by --input-format or as
 * the content says when the extension names no other format (what
 * trace_detect looks at is within them; TRACE_FORMAT_UNKNOWN: a
 * scenario, or no trace). */
static trace_format head_format(const char *path, const app_options *options, const char *head, size_t head_len)
{
	const char *forced = options->input_format;
	return forced != NULL ? trace_format_from_name(forced, strlen(forced)) : trace_detect(path, head, head_len);
}

/* The way a visited load reads `path`: a regular file that is a trace
 * is mapped (`map` opened; *format: which trace), or, a recording, read
 * in pieces when it cannot be (`pieces` opened); anything else, or a file
 * whose lines are too long, is read whole. (mtrace, ltrace and .rep
 * files are mapped too: reading a 64 MB mtrace file was a copy and a
 * page fault every 4 KiB, 12 % of its run --quiet.) */
static read_way open_recording(const char *path, const app_options *options, input_map *map, input_pieces *pieces,
                               trace_format *format)
{
	const char *forced = options->input_format;
	if (forced != NULL ? trace_format_from_name(forced, strlen(forced)) == TRACE_FORMAT_UNKNOWN
	                   : has_extension(path, ".heap") || has_extension(path, ".ops"))
		return READ_WHOLE;
	switch (input_map_open(path, map)) {
	case INPUT_MAP_OK:
		*format = head_format(path, options, map->bytes, map->len < INPUT_PIECES_HEAD ? map->len : INPUT_PIECES_HEAD);
		if (*format != TRACE_FORMAT_UNKNOWN)
			return READ_MAPPED;
		input_map_close(map);
		return READ_WHOLE;
	case INPUT_MAP_LINE_TOO_LONG:
		return READ_WHOLE;
	case INPUT_MAP_NO:
		break;
	}
	if (!input_pieces_open(path, pieces))
		return READ_WHOLE;
	if (head_format(path, options, pieces->head, pieces->len < pieces->head_len ? pieces->len : pieces->head_len) !=
	    TRACE_FORMAT_RECORDING) {
		input_pieces_close(pieces);
		return READ_WHOLE;
	}
	*format = TRACE_FORMAT_RECORDING;
	return READ_PIECES;
}

static int cmp_line_index(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;
	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* load_print_diags for a file read in pieces: each diagnostic's line is
 * read again from the file (one reading up to the last). */
static void print_diags_from_pieces(const loaded_file *file, input_pieces *pieces, FILE *err)
{
	const diag_list *diags = &file->diags;
	size_t n = diags->count ? diags->count : 1;
	/* (line, diagnostic) pairs sorted by line, then each line's copy */
	uint32_t *pairs = malloc(n * 2 * sizeof *pairs);
	uint32_t *numbers = malloc(n * sizeof *numbers);
	char **lines = calloc(n, sizeof *lines);
	size_t *lens = calloc(n, sizeof *lens);
	size_t *sorted_at = malloc(n * sizeof *sorted_at);
	bool have = pairs != NULL && numbers != NULL && lines != NULL && lens != NULL && sorted_at != NULL;
	if (have) {
		for (size_t i = 0; i < diags->count; i++) {
			pairs[2 * i] = diags->items[i].line;
			pairs[2 * i + 1] = (uint32_t)i;
		}
		qsort(pairs, diags->count, 2 * sizeof *pairs, cmp_line_index);
		for (size_t k = 0; k < diags->count; k++) {
			numbers[k] = pairs[2 * k];
			sorted_at[pairs[2 * k + 1]] = k;
		}
		/* (a line that cannot be read again is shown without its text) */
		input_pieces_lines(pieces, numbers, diags->count, lines, lens);
	}
	for (size_t i = 0; i < diags->count; i++) {
		char *text = diag_render_line(&diags->items[i], file->path, have ? lines[sorted_at[i]] : NULL,
		                              have ? lens[sorted_at[i]] : 0);
		if (text != NULL) {
			fputs(text, err);
			free(text);
		}
	}
	if (lines != NULL)
		for (size_t k = 0; k < diags->count; k++)
			free(lines[k]);
	free(lines);
	free(lens);
	free(numbers);
	free(pairs);
	free(sorted_at);
}

static int load(const char *path, const app_options *options, loaded_file *out, FILE *err, bool stream,
		bool unheld, visit_state *visit)
{
	memset(out, 0, sizeof *out);
	out->path = path;
	script_init(&out->script);
	trace_extra_init(&out->extra);
	diag_list_init(&out->diags);

	/* run of a recording imports it as it reads it, instead of holding
	 * its text (about 25 bytes an op): a regular file is mapped (read
	 * twice in place: the importer's first pass, then the import), or read
	 * a piece at a time (twice) when it cannot be. Anything else about it
	 * (a pipe, a file too large, a line too long: the map's check or the
	 * importer's first pass refuses it) is left to input_file_read to
	 * read and say. */
	input_map map = {.fd = -1};
	input_pieces pieces = {.fd = -1};
	trace_format mapped_format = TRACE_FORMAT_UNKNOWN;
	read_way way = (visit != NULL && !visit->whole) || unheld
	                       ? open_recording(path, options, &map, &pieces, &mapped_format)
	                       : READ_WHOLE;
	if (way == READ_PIECES && visit == NULL) {
		/* (pieces are read by the visited import alone: a file that
		 * cannot be mapped is read whole) */
		input_pieces_close(&pieces);
		way = READ_WHOLE;
	}
	/* A .ops trace run as it is read (run --quiet) is mapped too: its
	 * pages come from the page cache as they are read, where reading it
	 * into memory of our own was a copy and a page fault every 4 KiB
	 * (2,600 of them for 1M ops: a tenth of such a run's time on a
	 * virtual machine). A file the map refuses is read whole, as before. */
	if (way == READ_WHOLE && visit != NULL && visit->visitor->takes_ops && !visit->whole &&
	    (options->input_format != NULL ? strcmp(options->input_format, "ops") == 0 : has_extension(path, ".ops")) &&
	    input_map_open(path, &map) == INPUT_MAP_OK)
		way = READ_MAPPED_OPS;
	bool in_pieces = way == READ_PIECES;
	bool mapped = way == READ_MAPPED || way == READ_MAPPED_OPS;
	if (mapped) {
		/* (out->bytes is not freed: it is NULL again once the map is closed) */
		out->bytes = (char *)map.bytes;
		out->len = map.len;
		if (visit != NULL)
			visit->map = &map;
	}

	char why[1200];
	switch (way != READ_WHOLE ? INPUT_FILE_OK : input_file_read(path, &out->bytes, &out->len, &out->diags, why, sizeof why)) {
	case INPUT_FILE_OK:
		break;
	case INPUT_FILE_UNREADABLE:
		fprintf(err, "brksim: error: %s\n", why);
		return 2;
	case INPUT_FILE_LINE_TOO_LONG:
		load_print_diags(out, err);
		return 1;
	case INPUT_FILE_TOO_BIG:
		load_print_diags(out, err);
		return 2;
	}

	const char *forced = options->input_format;
	trace_format format = TRACE_FORMAT_UNKNOWN;
	if (forced != NULL) {
		if (strcmp(forced, "heap") == 0 || strcmp(forced, "scenario") == 0)
			out->kind = LOADED_SCENARIO;
		else if (strcmp(forced, "ops") == 0)
			out->kind = LOADED_OPS;
		else {
			format = trace_format_from_name(forced, strlen(forced));
			if (format == TRACE_FORMAT_UNKNOWN) {
				fprintf(err, "brksim: error: unknown --input-format '%s'; expected one of: heap, ops, %s\n",
					forced, trace_format_list());
				return 2;
			}
			out->kind = LOADED_TRACE;
		}
	} else if (way == READ_MAPPED_OPS) {
		out->kind = LOADED_OPS;
	} else if (way != READ_WHOLE) {
		format = mapped_format; /* (open_recording found it one) */
		out->kind = LOADED_TRACE;
	} else if (has_extension(path, ".heap")) {
		out->kind = LOADED_SCENARIO;
	} else if (has_extension(path, ".ops")) {
		out->kind = LOADED_OPS;
	} else {
		format = trace_detect(path, out->bytes, out->len);
		/* (a .ops text without its name: a pipe, or "-") */
		out->kind = format != TRACE_FORMAT_UNKNOWN                 ? LOADED_TRACE
		            : ops_text_looks_like(out->bytes, out->len) ? LOADED_OPS
		                                                        : LOADED_SCENARIO;
	}

	int status = 0;
	switch (out->kind) {
	case LOADED_SCENARIO:
		status = script_parse(out->bytes, out->len, &out->script, &out->diags) ? 0 : 1;
		break;
	case LOADED_OPS:
		/* a .ops file names no profile: read its tunables header under
		 * the one asked for (2.43 accepts a tcache_max 2.36 would not) */
		if (options->profile != NULL) {
			int p = sim_profile_from_name(options->profile, strlen(options->profile));
			if (p >= 0)
				out->script.config = sim_config_defaults((sim_profile)p);
		}
		if (stream) {
			/* Its slots named "idN" only when a step names them: by a
			 * visitor that asks so (run --quiet), and for tsv's and
			 * text's lines (the names kept, half a million on a plain
			 * trace, were memory faulted in: a tsv run of plain-100k,
			 * 15 alternating runs, 183 -> 165 ms at least). Not with
			 * --break-on, which looks names up; nor for json's, whose
			 * quick ways are for names given. */
			bool takes = visit != NULL && visit->visitor->takes_ops;
			bool on_demand = takes ? visit->visitor->names_on_demand
					       : options->format != APP_FORMAT_JSON && options->break_on == NULL;
			status = load_ops_streamed(out, takes ? visit : NULL, on_demand);
		} else {
			status = load_ops(out);
		}
		break;
	case LOADED_TRACE:
		if (visit != NULL) {
			out->extra.visit = visit_op;
			out->extra.visit_context = visit;
			out->extra.names_on_demand = visit->visitor->names_on_demand;
			if (visit->visitor->window != NULL) {
				out->extra.visit_window = visit_window;
				(void)visit->visitor->window(visit->visitor->context, 0, &out->extra.window);
			}
			out->extra.visit_keeps_stacks = visit->visitor->keep_stacks;
		}
		if (in_pieces) {
			out->extra.read = input_pieces_read;
			out->extra.read_context = &pieces;
		}
		status = trace_import(format, path, out->bytes, in_pieces ? pieces.len : out->len, &out->script,
		                      &out->diags, &out->extra) ? 0 : 1;
		out->extra.read = NULL;
		out->extra.read_context = NULL;
		if (in_pieces && out->extra.read_refused && !visit->started) {
			/* (its first pass ran no op) */
			input_pieces_close(&pieces);
			loaded_file_release(out);
			visit->whole = true;
			return load(path, options, out, err, stream, unheld, visit);
		}
		out->visited = out->extra.visited;
		if (out->visited)
			out->streamed_op_count = out->extra.visited_op_count;
		out->extra.visit = NULL;
		out->extra.visit_context = NULL;
		out->extra.visit_window = NULL;
		out->extra.window = (trace_op_window){0};
		break;
	}
	if (mapped && input_map_shrunk(&map)) {
		/* (what the import made of the zeros read instead is not said) */
		diag_list_release(&out->diags);
		diag_list_init(&out->diags);
		diag_add(&out->diags, DIAG_ERROR, 0, 0,
		         "the file got shorter while it was read (is it still being written?): what was read is not "
		         "the file's text");
		status = 1;
	}
	if (in_pieces) {
		print_diags_from_pieces(out, &pieces, err);
		input_pieces_close(&pieces);
	} else {
		load_print_diags(out, err);
	}
	if (mapped) {
		if (visit != NULL)
			visit->map = NULL;
		/* as after pieces: the text is not held (a later message shows
		 * no line of it) */
		out->bytes = NULL;
		out->len = 0;
		input_map_close(&map);
	}
	if (status != 0)
		return status;
	script_shrink(&out->script);
	status = apply_command_line(out, options, err);
	/* The ops visited ran under the config made at the first: the same
	 * by construction (the importer streams only a recording whose
	 * settings all come before its first call). Checked all the same:
	 * a run under other settings would be a wrong answer. */
	if (status == 0 && visit != NULL && visit->started && !sim_config_same(&visit->config, &out->config)) {
		fprintf(err, "brksim: error: internal: the recording's settings changed after its replay began\n");
		return 2;
	}
	/* The captions written for other releases than the one run. */
	if (status == 0 && !script_keep_glibc(&out->script, out->config.profile)) {
		char shown[4096];
		fprintf(err, "%s: error: out of memory\n", describe_escaped(path, shown, sizeof shown));
		status = 1;
	}
	/* A scenario's or .ops file's settings reach the process the model
	 * plays as GLIBC_TUNABLES (as brksim verify starts the real one), and
	 * up to 2.34 the loader's copy of that variable moves the heap start.
	 * A recording carries its real start instead (trace/). */
	if (status == 0 && out->kind != LOADED_TRACE)
		sim_config_tunables_env(&out->config, tunables_format(&out->config, NULL, 0));
	return status;
}

void load_print_profile_choice(const loaded_file *file, sim_lang lang, FILE *out)
{
	const char *name = sim_profile_name(file->config.profile);
	const char *v = file->profile_why_version;
	bool zh = lang == SIM_LANG_ZH;
	switch ((loaded_profile_why)file->profile_why) {
	case LOADED_PROFILE_GIVEN: break;
	case LOADED_PROFILE_RECORDING:
	case LOADED_PROFILE_AUTO_RECORDING:
		fprintf(out, zh ? GLOSS_ZH_PROFILE "：%s，即录制时的 glibc（%s；--profile auto）\n"
		                : GLOSS_EN_PROFILE ": %s, the glibc the recording was made on (%s; --profile auto)\n",
		        name, v);
		break;
	case LOADED_PROFILE_NO_RECORDING_PROFILE:
		fprintf(out, zh ? GLOSS_ZH_PROFILE "：%s（默认）；录制时的 glibc %s 在模型中没有对应的" GLOSS_ZH_PROFILE "\n"
		                : GLOSS_EN_PROFILE ": %s (the default): the model has no profile for glibc %s, which made "
		                  "the recording\n",
		        name, v);
		break;
	case LOADED_PROFILE_AUTO_MACHINE:
		fprintf(out, zh ? GLOSS_ZH_PROFILE "：%s，即本机的 glibc（%s；--profile auto）\n"
		                : GLOSS_EN_PROFILE ": %s, this machine's glibc (%s; --profile auto)\n",
		        name, v);
		break;
	}
	const script_glibc_cond *written = &file->script.for_glibc;
	if (written->given && !script_glibc_cond_holds(written, file->config.profile)) {
		char cond[48];
		script_glibc_cond_format(written, cond, sizeof cond);
		fprintf(out,
		        zh ? "注意：本课程是为 %s 编写的（第 %u 行）；在 %s 下，它的字幕和" GLOSS_ZH_EXPECTATION "不一定成立\n"
		           : "note: the lesson is written for %s (line %u); under %s its captions and expectations may not "
		             "hold\n",
		        cond, (unsigned)file->script.for_glibc_line, name);
	}
	trace_format f = file->extra.format;
	if (file->settings_changed && file->kind == LOADED_TRACE &&
	    (f == TRACE_FORMAT_RECORDING || f == TRACE_FORMAT_MTRACE || f == TRACE_FORMAT_LTRACE)) {
		sim_config without = file->config;
		without.trim_every = without.trim_pad = 0;
		bool trims = file->config.trim_every != 0; /* --trim-every: calls the program did not make */
		bool settings = !trims || !sim_config_same(&without, &file->before_options);
		if (trims)
			fprintf(out,
			        zh ? "注意：重放中程序每 %llu 次调用后调用一次 malloc_trim(%llu)（--trim-every），录制里没有这些调用%s："
			             "重放与录制不同之处，是它们造成的\n"
			           : "note: after every %llu calls the replay makes a malloc_trim(%llu) call (--trim-every) "
			             "the program did not make%s: where it differs from the recording, that is their doing\n",
			        (unsigned long long)file->config.trim_every, (unsigned long long)file->config.trim_pad,
			        settings ? (zh ? "，也用了它没有的设置" : ", and runs with settings it did not have") : "");
		else
			fprintf(out,
			        zh ? "注意：重放使用了程序录制时没有的设置（命令行给出）：重放与录制不同之处，是这些设置造成的\n"
			           : "note: the replay runs with settings the program did not have (given on the command line): "
			             "where it differs from the recording, that is the settings' doing\n");
	}
	if (file->profile_mismatch[0] != '\0' && file->profile_why != LOADED_PROFILE_NO_RECORDING_PROFILE)
		fprintf(out,
		        zh ? "注意：录制来自 glibc %s，这里按 %s 重放：两者不同之处显示的是 %s 的堆，而不是程序当时的堆"
		             "（--profile auto 按录制时的 glibc 重放）\n"
		           : "note: the recording was made on glibc %s and is replayed here under %s: where they differ, "
		             "this is %s's heap, not the one the program had (--profile auto replays it as the glibc "
		             "that made it)\n",
		        file->profile_mismatch, name, name);
}

void load_print_dropped_settings(const loaded_file *file, sim_lang lang, FILE *out)
{
	const char *name = sim_profile_name(file->config.profile);
	bool zh = lang == SIM_LANG_ZH;
	uint32_t arena = 1u << SIM_SET_ARENA_MAX | 1u << SIM_SET_ARENA_TEST;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t mask = pass == 0 ? file->dropped_settings & ~arena : file->dropped_settings & arena;
		if (mask == 0)
			continue;
		char names[128] = "";
		size_t len = 0;
		for (int s = 0; s < SIM_SETTING_COUNT; s++)
			if (mask & (1u << s))
				len += (size_t)snprintf(names + len, len < sizeof names ? sizeof names - len : 0, "%s%s",
				                        len ? ", " : "", sim_setting_name((sim_setting)s));
		if (pass == 0)
			fprintf(out, zh ? "注意：%s 没有 tcache，文件中的 %s 在此不适用\n"
			                : "note: %s has no tcache: the file's %s does not apply under it\n",
			        name, names);
		else
			fprintf(out, zh ? "注意：%s 的" GLOSS_ZH_THREAD "共用" GLOSS_ZH_MAIN_ARENA "，文件中的 %s 在此不适用\n"
			                : "note: %s's threads share the main arena: the file's %s does not apply under it\n",
			        name, names);
	}
}

/* The English or the Chinese of a sentence. */
#define LW(lang, en, zh) ((lang) == SIM_LANG_ZH ? (zh) : (en))

const char *load_partial_title(const loaded_file *file, sim_lang lang)
{
	if (file->kind != LOADED_TRACE)
		return "";
	if (file->extra.stopped_at_size_limit)
		return LW(lang, " · the recording ends early: its size limit", " · 录制提前结束：大小上限");
	if (file->extra.stopped_line > 0 || file->extra.cut_line > 0)
		return LW(lang, " · the recording ends early", " · 录制提前结束");
	return "";
}

void load_print_partial(const loaded_file *file, sim_lang lang, FILE *out)
{
	if (file->kind == LOADED_TRACE && file->extra.other_thread_count > 0)
		fprintf(out, LW(lang, "note: %zu call%s from other threads or processes %s left out of the replay\n",
		              "注意：来自其他线程或进程的 %zu 次调用%s不在重放之内%s\n"),
		        file->extra.other_thread_count, lang == SIM_LANG_ZH || file->extra.other_thread_count == 1 ? "" : "s",
		        lang == SIM_LANG_ZH ? "" : file->extra.other_thread_count == 1 ? "is" : "are");
	if (file->kind == LOADED_TRACE && file->extra.stopped_line > 0) {
		char why[512];
		trace_stopped_describe_in(lang, file->extra.stopped_why, why, sizeof why);
		fprintf(out,
		        LW(lang,
		          "warning: the recording stopped early at line %u (%s): the program's later calls are missing, "
		          "so this replay ends there\n",
		          "警告：录制在第 %u 行提前停止（%s）：程序之后的调用没有记录，重放到此为止\n"),
		        file->extra.stopped_line, why);
	}
	if (file->kind == LOADED_TRACE && file->extra.cut_line > 0)
		fprintf(out,
		        LW(lang,
		          "warning: the recording is cut off at line %u (the process died while writing it, or the file was "
		          "cut): that line is "
		          "left out, so this replay ends before it\n",
		          "警告：录制在第 %u 行被截断（进程在写这一行时终止，或文件被截短）：这一行不在重放之内，重放到它之前为止\n"),
		        file->extra.cut_line);
}

void load_print_unnamed_frames(const loaded_file *file, sim_lang lang, FILE *out)
{
	const trace_stacks *st = &file->extra.stacks;
	if (file->kind != LOADED_TRACE || st->stack_count == 0 || st->symbolized)
		return;
	/* (brksim record names the frames when the program ends: a
	 * recording without its end line may be one read while it ran) */
	bool ended = file->extra.recording_complete;
	fprintf(out, lang == SIM_LANG_ZH
	                 ? "注意：录制中的" GLOSS_ZH_CALL_STACK "没有函数名（%s）："
	                   "`brksim symbolize %s -o NAMED` 会写出带函数名和行号的新文件\n"
	                 : "note: the recording's frames are not named (%s): "
	                   "`brksim symbolize %s -o NAMED` writes a copy that names them (function, file:line)\n",
	        ended ? LW(lang, "recorded with --no-symbols?", "录制时用了 --no-symbols？")
	              : LW(lang, "recorded with --no-symbols, or read before its program ended, when brksim record names them?",
	                   "录制时用了 --no-symbols，或是在程序结束前读取的？brksim record 在程序结束时才写入函数名"),
	        file->path);
}

void load_print_diags(const loaded_file *file, FILE *err)
{
	/* (a recording's NUL padding is no line's: a cut last line is shown
	 * without it, not with megabytes of "\x00") */
	size_t len = file->bytes && file->diags.count > 0 ? input_unpadded_len(file->bytes, file->len) : file->len;
	print_diag_list(&file->diags, file->path, file->bytes, len, err);
}

void loaded_file_release(loaded_file *file)
{
	script_release(&file->script);
	trace_extra_release(&file->extra);
	diag_list_release(&file->diags);
	free(file->bytes);
	file->bytes = NULL;
	free(file->slot_map);
	file->slot_map = NULL;
}
