/* test-symbol-index.c — record/symbol_index.c answers as libdw's
 * dwfl_module_addrinfo does (the function it replaces, which read a
 * module's whole symbol table at every frame: a clang recording's frames
 * took 15 s to name). Every 97th address of this program (its full
 * symbol table: locals, labels) and of the C library (its dynamic
 * table), both lookups, the same name or both none. */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elfutils/libdwfl.h>
#include <gelf.h>

#include "record/symbol_index.h"

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* Both lookups at every 97th address of the module's code (its
 * executable sections: where return addresses are) at `path`, loaded at
 * 0 as symbolize.c loads it; returns how many addresses had a name. */
static size_t compare_module(const char *path)
{
	Dwfl *dwfl = dwfl_begin(&callbacks);
	ck_assert_ptr_nonnull(dwfl);
	Dwfl_Module *mod = dwfl_report_elf(dwfl, path, path, -1, 0, false);
	ck_assert_msg(mod != NULL, "%s: %s", path, dwfl_errmsg(-1));
	dwfl_report_end(dwfl, NULL, NULL);
	symbol_index idx = {0};
	ck_assert(symbol_index_build(&idx, mod));
	size_t named = 0, looked = 0;
	GElf_Addr bias = 0;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	ck_assert_ptr_nonnull(elf);
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_EXECINSTR) || !(shdr.sh_flags & SHF_ALLOC))
			continue;
		for (uint64_t pc = shdr.sh_addr + bias + 1; pc < shdr.sh_addr + bias + shdr.sh_size; pc += 97) {
			looked++;
			GElf_Off off;
			GElf_Sym sym;
			const char *want = dwfl_module_addrinfo(mod, pc, &off, &sym, NULL, NULL, NULL);
			const char *got = symbol_index_name(&idx, pc);
			ck_assert_msg((want == NULL) == (got == NULL) && (!want || strcmp(want, got) == 0),
			              "%s+0x%llx: libdw says %s, the index %s", path, (unsigned long long)pc,
			              want ? want : "(none)", got ? got : "(none)");
			named += want != NULL;
		}
	}
	ck_assert_uint_gt(looked, 100);
	symbol_index_release(&idx);
	dwfl_end(dwfl);
	return named;
}

/* The path of the object holding `addr`. */
static void object_path(const void *addr, char *path, size_t size)
{
	Dl_info info;
	ck_assert(dladdr(addr, &info) != 0 && info.dli_fname);
	char *real = realpath(info.dli_fname[0] ? info.dli_fname : "/proc/self/exe", NULL);
	ck_assert_ptr_nonnull(real);
	snprintf(path, size, "%s", real);
	free(real);
}

START_TEST(this_program_and_the_c_library)
{
	char path[4096];
	/* this program (main's object: its whole symbol table) */
	extern int main(void);
	int (*m)(void) = main;
	void *main_addr;
	memcpy(&main_addr, &m, sizeof main_addr); /* (ISO C converts no function pointer to void *) */
	object_path(main_addr, path, sizeof path);
	ck_assert_uint_gt(compare_module(path), 10);
	/* the C library (its dynamic symbols, or its debug file's) */
	void *(*f)(size_t) = malloc;
	void *malloc_addr;
	memcpy(&malloc_addr, &f, sizeof malloc_addr);
	object_path(malloc_addr, path, sizeof path);
	ck_assert_uint_gt(compare_module(path), 100);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("symbol-index");
	TCase *tc = tcase_create("as-libdw");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, this_program_and_the_c_library);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
