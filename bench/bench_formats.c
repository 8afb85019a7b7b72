/* bench_formats.c — the speed bench's workloads in the formats users
 * bring: a scenario of a .ops trace, an mtrace file and ltrace output of
 * a recording (bench_formats.h). Written once into the bench's work
 * directory, next to the inputs they are made from. */
#include "bench_formats.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "lang/script.h"
#include "verify/ops_text.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *bytes = NULL;
	long size = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		bytes = malloc((size_t)size + 1);
	if (bytes && fread(bytes, 1, (size_t)size, f) != (size_t)size) {
		free(bytes);
		bytes = NULL;
	}
	fclose(f);
	*len = bytes ? (size_t)size : 0;
	return bytes;
}

static bool close_written(FILE *out, bool ok)
{
	if (fclose(out) != 0)
		ok = false;
	return ok;
}

static bool power_of_two(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The .ops file at path parsed into *trace (released by the caller,
 * also on failure); false when it cannot be read or has an error. */
static bool load_ops(const char *path, ops_trace *trace)
{
	ops_trace_init(trace);
	size_t len;
	char *text = read_all(path, &len);
	if (!text)
		return false;
	diag_list diags;
	diag_list_init(&diags);
	bool ok = ops_text_parse(text, len, trace, &diags);
	diag_list_release(&diags);
	free(text);
	return ok;
}

bool bench_ops_to_heap(const char *ops_path, const char *heap_path)
{
	ops_trace trace;
	bool ok = load_ops(ops_path, &trace);
	FILE *out = ok ? fopen(heap_path, "w") : NULL;
	ok = out != NULL;
	if (ok)
		fprintf(out, "# %s as a scenario (brksim-bench-speed)\n", ops_path);
	for (size_t i = 0; ok && i < trace.count; i++) {
		const sim_op *op = &trace.ops[i];
		unsigned long long size = (unsigned long long)op->size;
		switch (op->kind) {
		case SIM_OP_MALLOC:
			fprintf(out, "p%u = malloc %llu\n", op->slot, size);
			break;
		case SIM_OP_CALLOC:
			fprintf(out, "p%u = calloc %llu %llu\n", op->slot, (unsigned long long)op->nmemb, size);
			break;
		case SIM_OP_REALLOC:
			if (op->arg_slot == SIM_NO_SLOT)
				fprintf(out, "p%u = realloc NULL %llu\n", op->slot, size);
			else
				fprintf(out, "p%u = realloc p%u %llu\n", op->slot, op->arg_slot, size);
			break;
		case SIM_OP_MEMALIGN: {
			const char *word = "memalign";
			if (op->align_api == SIM_ALIGN_ALIGNED_ALLOC)
				word = "aligned_alloc";
			else if (op->align_api == SIM_ALIGN_POSIX_MEMALIGN && power_of_two(op->align) && op->align % 8 == 0)
				word = "posix_memalign";
			if (op->align_api == SIM_ALIGN_VALLOC || op->align_api == SIM_ALIGN_PVALLOC)
				fprintf(out, "p%u = %s %llu\n", op->slot, op->align_api == SIM_ALIGN_VALLOC ? "valloc" : "pvalloc",
				        size);
			else
				fprintf(out, "p%u = %s %llu %llu\n", op->slot, word, (unsigned long long)op->align, size);
			break;
		}
		case SIM_OP_FREE:
			fprintf(out, "free p%u\n", op->slot);
			break;
		case SIM_OP_TRIM:
			fprintf(out, "malloc_trim %llu\n", size);
			break;
		default:
			/* (mallopt: the bench's traces make none) */
			break;
		}
	}
	if (out)
		ok = close_written(out, ok && !ferror(out));
	ops_trace_release(&trace);
	return ok;
}

bool bench_ops_to_rep(const char *ops_path, const char *rep_path)
{
	ops_trace trace;
	bool ok = load_ops(ops_path, &trace);
	for (size_t i = 0; ok && i < trace.count; i++)
		ok = trace.ops[i].kind == SIM_OP_MALLOC || trace.ops[i].kind == SIM_OP_FREE;
	FILE *out = ok ? fopen(rep_path, "w") : NULL;
	ok = out != NULL;
	if (ok)
		fprintf(out, "0\n%u\n%zu\n1\n", trace.slot_count, trace.count);
	for (size_t i = 0; ok && i < trace.count; i++) {
		const sim_op *op = &trace.ops[i];
		if (op->kind == SIM_OP_MALLOC)
			fprintf(out, "a %u %llu\n", op->slot, (unsigned long long)op->size);
		else
			fprintf(out, "f %u\n", op->slot);
	}
	if (out)
		ok = close_written(out, ok && !ferror(out));
	ops_trace_release(&trace);
	return ok;
}

/* A recorded result's address (0: NULL), from the trace's base. */
static uint64_t address_of(const trace_recorded *r, uint64_t base)
{
	switch (r->ret_kind) {
	case TRACE_RET_HEAP:
		return base + r->ret;
	case TRACE_RET_MMAP:
	case TRACE_RET_OTHER:
		return r->ret;
	default:
		return 0;
	}
}

/* mtrace's `%p`: 0x... or (nil). */
static void put_mtrace_ptr(FILE *out, uint64_t p)
{
	if (p)
		fprintf(out, "0x%" PRIx64, p);
	else
		fputs("(nil)", out);
}

/* One call in mtrace's lines (glibc's mtrace-impl.c), with a caller field
 * as glibc writes one for a program without symbols. */
static void write_mtrace(FILE *out, const sim_op *op, uint64_t old, uint64_t ret, size_t n)
{
	char caller[48];
	snprintf(caller, sizeof caller, "@ ./program:[0x%zx] ", 0x1000 + n % 4096);
	uint64_t size = op->kind == SIM_OP_CALLOC ? op->nmemb * op->size : op->size;
	switch (op->kind) {
	case SIM_OP_MALLOC:
	case SIM_OP_CALLOC:
	case SIM_OP_MEMALIGN:
		fprintf(out, "%s+ ", caller);
		put_mtrace_ptr(out, ret);
		fprintf(out, " %#" PRIx64 "\n", size);
		break;
	case SIM_OP_REALLOC:
		if (old == 0) {
			fprintf(out, "%s+ ", caller);
			put_mtrace_ptr(out, ret);
			fprintf(out, " %#" PRIx64 "\n", size);
		} else if (ret == 0 && size == 0) {
			fprintf(out, "%s- 0x%" PRIx64 "\n", caller, old);
		} else if (ret == 0) {
			fprintf(out, "%s! 0x%" PRIx64 " %#" PRIx64 "\n", caller, old, size);
		} else {
			fprintf(out, "%s< 0x%" PRIx64 "\n%s> 0x%" PRIx64 " %#" PRIx64 "\n", caller, old, caller, ret, size);
		}
		break;
	case SIM_OP_FREE:
		fprintf(out, "%s- 0x%" PRIx64 "\n", caller, old);
		break;
	default:
		break; /* malloc_trim and mallopt leave no line */
	}
}

/* One call as ltrace 0.7 shows it (its default output, padded). */
static void write_ltrace(FILE *out, const sim_op *op, uint64_t old, uint64_t ret, const trace_recorded *rec)
{
	char call[96];
	switch (op->kind) {
	case SIM_OP_MALLOC:
		snprintf(call, sizeof call, "malloc(%" PRIu64 ")", op->size);
		break;
	case SIM_OP_CALLOC:
		snprintf(call, sizeof call, "calloc(%" PRIu64 ", %" PRIu64 ")", op->nmemb, op->size);
		break;
	case SIM_OP_MEMALIGN:
		snprintf(call, sizeof call, "memalign(%" PRIu64 ", %" PRIu64 ")", op->align, op->size);
		break;
	case SIM_OP_REALLOC:
		if (old)
			snprintf(call, sizeof call, "realloc(0x%" PRIx64 ", %" PRIu64 ")", old, op->size);
		else
			snprintf(call, sizeof call, "realloc(0, %" PRIu64 ")", op->size);
		break;
	case SIM_OP_FREE:
		snprintf(call, sizeof call, "free(0x%" PRIx64 ")", old);
		fprintf(out, "%-48s = <void>\n", call);
		return;
	case SIM_OP_TRIM:
		fprintf(out, "malloc_trim(%" PRIu64 ") = %" PRId64 "\n", op->size, rec->value);
		return;
	default:
		return;
	}
	if (ret)
		fprintf(out, "%-48s = 0x%" PRIx64 "\n", call, ret);
	else
		fprintf(out, "%-48s = 0\n", call);
}

bool bench_import_recording(const char *rec_path, script *s, trace_extra *extra)
{
	script_init(s);
	trace_extra_init(extra);
	size_t len;
	char *bytes = read_all(rec_path, &len);
	if (!bytes)
		return false;
	diag_list diags;
	diag_list_init(&diags);
	bool ok = trace_import(TRACE_FORMAT_RECORDING, rec_path, bytes, len, s, &diags, extra);
	diag_list_release(&diags);
	free(bytes);
	return ok;
}

bool bench_recording_to(const char *rec_path, trace_format format, const char *out_path)
{
	script s;
	trace_extra extra;
	bool ok = bench_import_recording(rec_path, &s, &extra) && extra.recorded_count == s.op_count;
	/* each slot's pointer as the recording has it now */
	uint64_t *addr = ok ? calloc(s.slot_count + 1, sizeof *addr) : NULL;
	FILE *out = addr ? fopen(out_path, "w") : NULL;
	ok = out != NULL;
	if (ok && format == TRACE_FORMAT_MTRACE)
		fputs("= Start\n", out);
	for (size_t i = 0; ok && i < s.op_count; i++) {
		const sim_op *op = &s.ops[i];
		if (op->thread != 0)
			continue;
		const trace_recorded *rec = &extra.recorded[i];
		uint64_t old = 0;
		if (op->kind == SIM_OP_FREE && op->slot < s.slot_count)
			old = addr[op->slot];
		else if (op->kind == SIM_OP_REALLOC && op->arg_slot < s.slot_count)
			old = addr[op->arg_slot];
		uint64_t ret = address_of(rec, extra.address_base);
		if (format == TRACE_FORMAT_MTRACE)
			write_mtrace(out, op, old, ret, i);
		else
			write_ltrace(out, op, old, ret, rec);
		if (op->kind != SIM_OP_FREE && op->kind != SIM_OP_TRIM && op->kind != SIM_OP_MALLOPT &&
		    op->slot < s.slot_count)
			addr[op->slot] = ret;
	}
	if (ok && format == TRACE_FORMAT_MTRACE)
		fputs("= End\n", out);
	if (out)
		ok = close_written(out, ok && !ferror(out));
	free(addr);
	trace_extra_release(&extra);
	script_release(&s);
	return ok;
}
