/* parse_settings.c — the startup settings: `set NAME VALUE`, `profile`,
 * `touch`, `for glibc COND`, and the model configuration they build once
 * the whole file is read (a value out of range for the chosen profile is
 * only known then).
 * Must not: accept a setting after the first operation or twice. */
#include "parse_internal.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "tunables.h"

static bool before_first_op(parser *p, const lex_token *cmd, const char *hint)
{
	if (!p->first_op_line)
		return true;
	parse_error_at(p, cmd, "'%s' must come before the first operation (line %u)%s",
	               DIAG_QUOTE(cmd->start, cmd->len), (unsigned)p->first_op_line, hint);
	return false;
}

static bool not_duplicate(parser *p, const lex_token *at, const decl *d, const char *what)
{
	if (!d->given)
		return true;
	parse_error_at(p, at, "duplicate %s (first at line %u)", what, (unsigned)d->line);
	return false;
}

/* `set cpus N`: how many CPUs the simulated machine has (what glibc's
 * __get_nprocs counts for "8 arenas per CPU"). Not a tunable: glibc
 * reads it from the kernel, so GLIBC_TUNABLES has no such name. */
static stmt_result parse_set_cpus(parser *p, const lex_token *cmd, const lex_token *nt)
{
	if (!before_first_op(p, cmd, "; the CPUs are the machine's, counted once"))
		return ST_ERROR;
	if (!not_duplicate(p, nt, &p->cpus.at, "setting 'cpus'"))
		return ST_ERROR;
	next(p);
	accept(p, LEX_ASSIGN);
	const lex_token *vt = tok(p);
	uint64_t v;
	if (!parse_size(p, &v, "a number of CPUs"))
		return ST_ERROR;
	uint32_t vlen = (uint32_t)(p->prev_end - vt->start);
	if (v < 1 || v > SIM_CPUS_MAX) {
		parse_error_span(p, vt->line, vt->col, vlen, "value %llu is out of range for 'cpus' (1 to %u)",
		                 (unsigned long long)v, (unsigned)SIM_CPUS_MAX);
		return ST_ERROR;
	}
	p->cpus.at = (decl){true, cmd->line, cmd->col};
	p->cpus.value = v;
	p->cpus.value_col = vt->col;
	p->cpus.value_len = vlen;
	return ST_OK;
}

stmt_result parse_set(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	const char *names[SIM_SETTING_COUNT + 2];
	for (int i = 0; i < SIM_SETTING_COUNT; i++)
		names[i] = sim_setting_name((sim_setting)i);
	names[SIM_SETTING_COUNT] = "cpus";
	names[SIM_SETTING_COUNT + 1] = NULL;
	char list[256];
	if (nt->kind != LEX_WORD) {
		char found[64];
		parse_error_at(p, nt, "expected a setting name after 'set', found %s; expected one of: %s",
		               lex_describe(nt, found, sizeof found), suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	const char *name = nt->start;
	size_t len = nt->len;
	/* The GLIBC_TUNABLES spelling is welcome too. */
	static const char prefix[] = "glibc.malloc.";
	if (len > sizeof prefix - 1 && memcmp(name, prefix, sizeof prefix - 1) == 0) {
		name += sizeof prefix - 1;
		len -= sizeof prefix - 1;
	}
	if (name == nt->start && len == 4 && memcmp(name, "cpus", 4) == 0)
		return parse_set_cpus(p, cmd, nt);
	int setting = sim_setting_from_name(name, len);
	if (setting < 0) {
		const char *close = tunables_setting_meant(name, len);
		if (!close)
			close = suggest_closest(name, len, names);
		if (close)
			parse_error_at(p, nt, "unknown setting '%s'; did you mean '%s'? expected one of: %s",
			               DIAG_QUOTE(nt->start, nt->len), close,
			               suggest_list(names, list, sizeof list));
		else
			parse_error_at(p, nt, "unknown setting '%s'; expected one of: %s",
			               DIAG_QUOTE(nt->start, nt->len), suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	bool tcache = setting == SIM_SET_TCACHE_COUNT || setting == SIM_SET_TCACHE_MAX ||
	              setting == SIM_SET_TCACHE_UNSORTED_LIMIT;
	if (!before_first_op(p, cmd,
	                     tcache ? "; the tcache cannot be changed at run time"
	                            : "; use 'mallopt' to change a parameter at run time"))
		return ST_ERROR;
	char what[64];
	snprintf(what, sizeof what, "setting '%s'", sim_setting_name((sim_setting)setting));
	if (!not_duplicate(p, nt, &p->set[setting].at, what))
		return ST_ERROR;
	next(p);
	accept(p, LEX_ASSIGN); /* `set top_pad = 0` reads fine too */
	const lex_token *vt = tok(p);
	uint64_t v;
	if (!parse_size(p, &v, "a value"))
		return ST_ERROR;
	setting_decl *d = &p->set[setting];
	d->at = (decl){true, cmd->line, cmd->col};
	d->value = v;
	d->value_col = vt->col;
	d->value_len = (uint32_t)(p->prev_end - vt->start);
	return ST_OK;
}

stmt_result parse_profile(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	const char *names[SIM_PROFILE_COUNT + 1];
	for (unsigned i = 0; i < SIM_PROFILE_COUNT; i++)
		names[i] = sim_profile_name(sim_profile_at(i));
	names[SIM_PROFILE_COUNT] = NULL;
	char list[128];
	if (!before_first_op(p, cmd, ""))
		return ST_ERROR;
	if (!not_duplicate(p, cmd, &p->profile, "'profile'"))
		return ST_ERROR;
	int profile = -1;
	if (nt->kind == LEX_WORD)
		profile = sim_profile_from_name(nt->start, nt->len);
	if (profile < 0) {
		char found[64];
		const char *close = nt->kind == LEX_WORD ? suggest_closest(nt->start, nt->len, names) : NULL;
		/* a bare version, '2.31': the profile of that glibc */
		const char *bare = sim_profile_of_bare_version(nt->start, nt->len);
		if (bare)
			close = bare;
		if (close)
			parse_error_at(p, nt, "unknown profile %s; did you mean '%s'? expected one of: %s",
			               lex_describe(nt, found, sizeof found), close, suggest_list(names, list, sizeof list));
		else
			parse_error_at(p, nt, "unknown profile %s; expected one of: %s",
			               lex_describe(nt, found, sizeof found),
			               suggest_list(names, list, sizeof list));
		return ST_ERROR;
	}
	next(p);
	p->profile = (decl){true, cmd->line, cmd->col};
	p->profile_value = (sim_profile)profile;
	return ST_OK;
}

/* `for glibc COND`: the releases the lesson's expectations hold for. */
stmt_result parse_for(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	if (!not_duplicate(p, cmd, &p->for_glibc, "'for glibc'"))
		return ST_ERROR;
	script_glibc_cond c;
	if (!parse_glibc_cond(p, &c, "for"))
		return ST_ERROR;
	p->for_glibc = (decl){true, cmd->line, cmd->col};
	p->s->for_glibc = c;
	p->s->for_glibc_line = cmd->line;
	return ST_OK;
}

stmt_result parse_touch(parser *p)
{
	const lex_token *cmd = tok(p);
	next(p);
	const lex_token *nt = tok(p);
	if (!before_first_op(p, cmd, ""))
		return ST_ERROR;
	if (!not_duplicate(p, cmd, &p->touch, "'touch'"))
		return ST_ERROR;
	if (word_is(nt, "all"))
		p->touch_value = SIM_TOUCH_ALL;
	else if (word_is(nt, "none"))
		p->touch_value = SIM_TOUCH_NONE;
	else {
		char found[64];
		parse_error_at(p, nt, "expected 'all' or 'none' after 'touch', found %s",
		               lex_describe(nt, found, sizeof found));
		return ST_ERROR;
	}
	next(p);
	p->touch = (decl){true, cmd->line, cmd->col};
	return ST_OK;
}

void parse_build_config(parser *p)
{
	sim_config config = sim_config_defaults(p->profile.given ? p->profile_value : SIM_GLIBC_2_36);
	if (p->touch.given)
		config.touch = p->touch_value;
	if (p->cpus.at.given)
		config.cpus = (uint32_t)p->cpus.value;
	for (int i = 0; i < SIM_SETTING_COUNT; i++) {
		const setting_decl *d = &p->set[i];
		if (!d->at.given)
			continue;
		if (!sim_config_set(&config, (sim_setting)i, d->value)) {
			const char *name = sim_setting_name((sim_setting)i);
			bool tcache = i == SIM_SET_TCACHE_COUNT || i == SIM_SET_TCACHE_MAX || i == SIM_SET_TCACHE_UNSORTED_LIMIT;
			if (tcache && sim_profile_glibc(config.profile)->tcache_bins == 0)
				parse_error_span(p, d->at.line, d->at.col, 3,
				                 "'%s' does not exist in %s, which has no tcache", name,
				                 sim_profile_name(config.profile));
			else
				parse_error_span(p, d->at.line, d->value_col, d->value_len,
				                 "value %llu is out of range for '%s' in %s (glibc would ignore it)",
				                 (unsigned long long)d->value, name, sim_profile_name(config.profile));
		}
	}
	p->s->config = config;
	p->s->profile_given = p->profile.given;
}
