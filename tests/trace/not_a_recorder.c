/* not_a_recorder.c — a shared library that records nothing: passed to
 * record_run (or BRKSIM_RECORD_LIB) in place of brksim-record.so, it makes
 * a run that the loader completes but that writes no recording, which
 * `brksim record` must report as a failure. */
int not_a_recorder_marker(void);

int not_a_recorder_marker(void)
{
	return 0;
}
