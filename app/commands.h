/* commands.h — one entry point per `brksim` command; each returns the
 * exit status (see main.c). Must not: grow shared state; commands talk
 * to each other only through app_options and the layers below. */
#ifndef BRKSIM_APP_COMMANDS_H
#define BRKSIM_APP_COMMANDS_H

#include "options.h"

int run_command(const app_options *options);
/* `brksim run --compare A,B FILE` (print_versus.c) */
int run_compare_command(const app_options *options);
int check_command(const app_options *options);
int verify_command(const app_options *options);
int show_command(const app_options *options);
int record_command(const app_options *options);
/* `brksim symbolize REC -o OUT` (symbolize_cmd.c) */
int symbolize_command(const app_options *options);
/* `brksim join CHILD -o OUT` (join_cmd.c) */
int join_command(const app_options *options);
/* `brksim help glossary` */
int glossary_command(void);
/* `brksim help keys`: the window's keys, from gui/keymap.c */
int keys_command(void);

#endif
