/* test-rust-demangle.c — Rust's v0 symbol names read back
 * (trace/rust_demangle.c). The expected texts are binutils' c++filt
 * --format=rust on the same names (Debian 12's 2.40), the crates' hashes
 * left out; the names are symbols of a Rust 1.9x program's std. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "trace/rust_demangle.h"

static const struct {
	const char *name, *want;
} cases[] = {
		{"_RNvNtCslNYArtu3iFV_5alloc5alloc5alloc",
		 "alloc::alloc::alloc"},
		{"_RNSNvYNCINvMs0_NtNtCsjrHSEGnQ3l9_3std4sync4onceNtBd_4Once9call_onceNCNvNtBh_2rt7cleanup0E0INtNtNtCsgEmfK2I1SDS_4core3ops8function6FnOnceTRNtBd_9OnceStateEE9call_once6vtableBh_",
		 "<<std::sync::once::Once>::call_once<std::rt::cleanup::{closure#0}>::{closure#0} as core::ops::function::FnOnce<(&std::sync::once::OnceState,)>>::call_once::{shim:vtable#0}"},
		{"_RNvNCNKNvNtNtCsjrHSEGnQ3l9_3std2io5stdio14OUTPUT_CAPTURE0023___RUST_STD_INTERNAL_VAL",
		 "std::io::stdio::OUTPUT_CAPTURE::{K#0}::{closure#0}::__RUST_STD_INTERNAL_VAL"},
		{"_RINvNtCsgEmfK2I1SDS_4core6escape14escape_unicodeKja_ECsgY6Mt91CT9J_14rustc_demangle",
		 "core::escape::escape_unicode::<10: usize>"},
		{"_RNvXNtNtCsgEmfK2I1SDS_4core3str4iterNtB2_5CharsNtNtNtNtB6_4iter6traits8iterator8Iterator5count",
		 "<core::str::iter::Chars as core::iter::traits::iterator::Iterator>::count"},
		{"_RINvMNtCsgEmfK2I1SDS_4core5sliceSh11copy_withinINtNtNtB5_3ops5range14RangeInclusivejEECsfEOYDRpO4Ta_11miniz_oxide",
		 "<[u8]>::copy_within::<core::ops::range::RangeInclusive<usize>>"},
		{"_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecPaE8grow_oneCsjrHSEGnQ3l9_3std",
		 "<alloc::raw_vec::RawVec<*const i8>>::grow_one"},
		{"_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecTOhFUKCBN_EuENtNtCsjrHSEGnQ3l9_3std5alloc6SystemE8grow_oneB13_",
		 "<alloc::raw_vec::RawVec<(*mut u8, unsafe extern \"C\" fn(*mut u8)), std::alloc::System>>::grow_one"},
		{"_RNvMs3_NtCslNYArtu3iFV_5alloc7raw_vecINtB5_6RawVecINtNtB7_5boxed3BoxDINtNtNtCsgEmfK2I1SDS_4core3ops8function5FnMutuEp6OutputINtNtB1c_6result6ResultuNtNtNtCsjrHSEGnQ3l9_3std2io5error5ErrorENtNtB1c_6marker4SyncNtB32_4SendEL_EE8grow_oneB2s_",
		 "<alloc::raw_vec::RawVec<alloc::boxed::Box<dyn core::ops::function::FnMut<(), Output = core::result::Result<(), std::io::error::Error>> + core::marker::Sync + core::marker::Send>>>::grow_one"},
		{"_RINvMNtCsgEmfK2I1SDS_4core3stre18trim_start_matchesReECsgY6Mt91CT9J_14rustc_demangle",
		 "<str>::trim_start_matches::<&str>"},
		{"_RINvMs0_NtNtNtCsjrHSEGnQ3l9_3std12backtrace_rs9symbolize5gimliNtB6_5Cache11with_globalNCNvB6_7resolves_0EBc_",
		 "<std::backtrace_rs::symbolize::gimli::Cache>::with_global::<std::backtrace_rs::symbolize::gimli::resolve::{closure#1}>"},
};

START_TEST(names_read_as_cxxfilt_reads_them)
{
	char out[4096];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_msg(rust_v0_demangle(cases[i].name, out, sizeof out), "%s: not read", cases[i].name);
		ck_assert_str_eq(out, cases[i].want);
	}
}
END_TEST

/* Every cut of every name, and names that are no v0 names, end in true
 * or false, within the name and the output (the sanitizers' build reads
 * past nothing); an output too small is false, never a cut name. */
START_TEST(cut_and_broken_names_are_refused_in_bounds)
{
	char out[4096];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n = strlen(cases[i].name);
		for (size_t k = 0; k < n; k++) {
			char *cut = strndup(cases[i].name, k);
			ck_assert_ptr_nonnull(cut);
			(void)rust_v0_demangle(cut, out, sizeof out);
			free(cut);
		}
		size_t want = strlen(cases[i].want);
		ck_assert(!rust_v0_demangle(cases[i].name, out, want)); /* (no room for the NUL) */
		ck_assert(rust_v0_demangle(cases[i].name, out, want + 1));
	}
	ck_assert(!rust_v0_demangle("_ZN4main4mainE", out, sizeof out)); /* C++'s, or Rust's legacy */
	ck_assert(!rust_v0_demangle("_R", out, sizeof out));
	ck_assert(!rust_v0_demangle("_RNvC5alloc9", out, sizeof out));    /* a name longer than what is left */
	ck_assert(!rust_v0_demangle("_RNvB_5alloc", out, sizeof out));   /* a back reference into the path holding it */
	ck_assert(!rust_v0_demangle("_RNvB9_5alloc", out, sizeof out));  /* one past itself */
	ck_assert(!rust_v0_demangle("_RNvCu5allocE", out, sizeof out));  /* punycode: not read */
	/* deep nesting stops at the depth limit, not at the stack's */
	char deep[4096] = "_R";
	for (int i = 0; i < 1000; i++)
		strcat(deep, "I");
	strcat(deep, "C1a");
	ck_assert(!rust_v0_demangle(deep, out, sizeof out));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rust-demangle");
	TCase *tc = tcase_create("v0");
	tcase_add_test(tc, names_read_as_cxxfilt_reads_them);
	tcase_add_test(tc, cut_and_broken_names_are_refused_in_bounds);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
