/* test-rust-demangle.c — Rust's symbol names read back: the v0 mangling
 * (trace/rust_demangle.c) and the legacy one (trace/rust_legacy.c). The
 * expected texts are binutils' c++filt --format=rust on the same names
 * (Debian 12's 2.40), the crates' hashes and the legacy names' `::h`
 * hash left out; the names are symbols of a Rust 1.9x program's std, and
 * the legacy ones of a release build of a Rust 1.95 program (nm). */
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

static const struct {
	const char *name, *want;
} legacy[] = {
	{"_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17ha963941843cc6f82E.llvm.8221318690718681577",
	 "hashbrown::raw::RawTable<T,A>::reserve_rehash"},
	{"_ZN111_$LT$alloc..vec..Vec$LT$T$GT$$u20$as$u20$alloc..vec..spec_from_iter_nested..SpecFromIterNested$LT$T$C$"
	 "I$GT$$GT$9from_iter17h07e26d4c21146479E",
	 "<alloc::vec::Vec<T> as alloc::vec::spec_from_iter_nested::SpecFromIterNested<T,I>>::from_iter"},
	{"_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h556b77a8f6d04805E.llvm.5835172656173572463",
	 "std::rt::lang_start::{{closure}}"},
	{"_ZN4core3ops8function6FnOnce40call_once$u7b$$u7b$vtable.shim$u7d$$u7d$17h018f3c0c2031fcf0E",
	 "core::ops::function::FnOnce::call_once{{vtable.shim}}"},
	{"_ZN4core3ptr130drop_in_place$LT$core..result..Result$LT$$LP$$RP$$C$alloc..boxed..Box$LT$dyn$u20$core..any.."
	 "Any$u2b$core..marker..Send$GT$$GT$$GT$17hd04df7e16c95bf29E.llvm.10632364842609704516",
	 "core::ptr::drop_in_place<core::result::Result<(),alloc::boxed::Box<dyn core::any::Any+core::marker::Send>>>"},
	{"_ZN5alloc4sync16Arc$LT$T$C$A$GT$9drop_slow17h178fd2acc5b8c637E", "alloc::sync::Arc<T,A>::drop_slow"},
	{"_ZN4main4name7$u3bb$x17h0123456789abcdefE", "main::name::\xce\xbbx"}, /* (a code point past ASCII) */
};

START_TEST(legacy_names_read_as_cxxfilt_reads_them)
{
	char out[4096];
	for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
		ck_assert_msg(rust_legacy_demangle(legacy[i].name, out, sizeof out), "%s: not read", legacy[i].name);
		ck_assert_str_eq(out, legacy[i].want);
		size_t want = strlen(legacy[i].want);
		ck_assert(!rust_legacy_demangle(legacy[i].name, out, want)); /* (no room for the NUL) */
		ck_assert(rust_legacy_demangle(legacy[i].name, out, want + 1));
		/* every cut is refused, in bounds (the sanitizers' build), but
		 * one within the clone suffix: the name's 'E' ends the hash */
		const char *name = legacy[i].name, *hash = NULL;
		for (const char *h = strstr(name, "17h"); h; h = strstr(h + 1, "17h"))
			hash = h;
		ck_assert_ptr_nonnull(hash);
		size_t end = (size_t)(hash - name) + 19, n = strlen(name);
		ck_assert_int_eq(name[end], 'E');
		for (size_t k = 0; k < n; k++) {
			char *cut = strndup(name, k);
			ck_assert_ptr_nonnull(cut);
			ck_assert_int_eq(rust_legacy_demangle(cut, out, sizeof out), k > end);
			free(cut);
		}
	}
	/* C++ names have no hash; an unknown escape, a component past the end */
	ck_assert(!rust_legacy_demangle("_ZN4main4mainE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN3foo3barEv", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main7$XX$abc17h0123456789abcdefE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main90main17h0123456789abcdefE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main4main17h0123456789abcdefE;rm", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main6$u110000$17h0123456789abcdefE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN17h0123456789abcdefE", out, sizeof out)); /* a hash alone */
	/* a control character, NUL above all (the fuzzer: the name was cut) */
	ck_assert(!rust_legacy_demangle("_ZN4main8a$u00$as17h0123456789abcdefE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main6a$u1b$17h0123456789abcdefE", out, sizeof out));
	ck_assert(!rust_legacy_demangle("_ZN4main04main17h0123456789abcdefE", out, sizeof out));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rust-demangle");
	TCase *tc = tcase_create("v0");
	tcase_add_test(tc, names_read_as_cxxfilt_reads_them);
	tcase_add_test(tc, cut_and_broken_names_are_refused_in_bounds);
	suite_add_tcase(s, tc);
	TCase *tl = tcase_create("legacy");
	tcase_add_test(tl, legacy_names_read_as_cxxfilt_reads_them);
	suite_add_tcase(s, tl);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
