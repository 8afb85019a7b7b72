/* test-errors.c — every parse error and warning of the scenario language,
 * exactly as users see it (line:col, message), one table row per kind,
 * plus recovery: many errors in one file are all reported, each once,
 * and a bad statement never hides the good ones after it.
 * docs/language.md lists the same messages; keep both in sync. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

typedef struct error_case {
	const char *name;
	const char *input;
	const char *diags; /* every diagnostic, exactly */
} error_case;

#define CMDS                                                                                                           \
	"malloc, calloc, realloc, free, memalign, aligned_alloc, posix_memalign, valloc, pvalloc, malloc_trim, "       \
	"mallopt, sbrk, set, profile, touch, title, say, mark, pause, expect, repeat, for, start, exit, on, thread, fork"
#define ALLOCS "malloc, calloc, realloc, memalign, aligned_alloc, posix_memalign, valloc, pvalloc"
#define SETTINGS "tcache_count, tcache_max, tcache_unsorted_limit, trim_threshold, top_pad, mmap_threshold, mmap_max, mxfast, arena_max, arena_test, cpus"
#define MALLOPTS                                                                                                       \
	"M_MXFAST, M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD, M_MMAP_MAX, M_CHECK_ACTION, M_PERTURB, "             \
	"M_ARENA_TEST, M_ARENA_MAX"
#define EXPECTS                                                                                                        \
	"brk, top, vmdata, rss, trim_threshold, mmap_threshold, releasable, trimmed, consolidated, madvised, abort, "  \
	"no, not, tcache, fastbin, unsorted, smallbin, largebin, bins, free, inuse, mmap, arenas, arena, total"
#define SUFFIXES "K, KiB, KB, M, MiB, MB, G, GiB, GB (powers of 1024), B"

static const error_case cases[] = {
	/* ---- threads ---- */
	{"unknown thread", "on worker[3]: x = malloc 1\n",
	 "1:4: error: unknown thread 'worker[3]'; threads are named by 'start worker[3]' first\n"},
	{"index out of range of the started threads", "start w[1..2]\non w[3]: x = malloc 1\n",
	 "2:4: error: unknown thread 'w[3]'; did you mean 'w[1]'? threads are named by 'start'\n"},
	{"thread used after exit", "start w\non w: x = malloc 1\nexit w\non w: free x\n",
	 "4:4: error: thread 'w' exited at line 3; it makes no calls after that (start it again first)\n"},
	{"call after exit in a thread block", "start w\nthread w {\nx = malloc 1\nexit\ny = malloc 2\n}\n",
	 "5:1: error: thread 'w' exited at line 4; it makes no calls after that (start it again first)\n"},
	{"exit twice", "start w\nexit w\nexit w\n",
	 "3:6: error: thread 'w' exited at line 2; it makes no calls after that (start it again first)\n"},
	{"started twice", "start w\nstart w\n", "2:7: error: thread 'w' is already running\n"},
	{"the main thread is not started", "start main\n",
	 "1:7: error: the main thread is always running; it is not started\n"},
	{"bare exit of main", "exit\n",
	 "1:1: error: 'exit' needs the threads that exit, as in 'exit worker[2]'; the main thread does not exit\n"},
	{"exit in a repeat block", "start w\nrepeat 2 { exit w }\n",
	 "2:12: error: 'exit' is not allowed inside a repeat block: a thread starts or exits once\n"},
	{"on needs a call", "start w\non w: say \"hi\"\n",
	 "2:7: error: expected a call after 'on ...:' (an allocation, free, malloc_trim, mallopt, sbrk, start, exit or "
	 "fork), found 'say'\n"},
	{"fork in a repeat block", "repeat 2 { fork }\n",
	 "1:12: error: 'fork' is not allowed inside a repeat block: the lesson goes on in one child\n"},
	{"fork in a thread block", "start w\nthread w {\nfork\n}\n",
	 "3:1: error: 'fork' is not allowed in a 'thread' block; write 'on THREAD: fork' after it\n"},
	{"a thread a fork left behind", "start w, v\non w: fork\non v: x = malloc 1\n",
	 "3:4: error: thread 'v' is not in the child of the fork at line 2; it makes no calls after that (start it "
	 "again first)\n"},
	{"the forking thread is the child's main", "start w\non w: fork\non w: x = malloc 1\n",
	 "3:4: error: thread 'w' forked at line 2 and is the child's main thread: write its calls without 'on w:'\n"},
	{"text after fork", "fork w\n",
	 "1:6: error: unexpected 'w' after 'fork'; a thread other than main forks with 'on THREAD: fork'\n"},
	{"a caption in a thread block", "start w\nthread w {\nsay \"hi\"\n}\n",
	 "3:1: error: 'say' is not allowed in a thread's statements; only calls (allocations, free, malloc_trim, "
	 "mallopt, sbrk, start, exit) are\n"},
	{"a thread's name never allocated", "start w\nx = malloc 1\non w: free y\n",
	 "3:12: error: free of 'w.y' which was never allocated\n"},
	{"unknown thread in a qualified name", "x = malloc 1\nfree v[2].x\n",
	 "2:6: error: unknown thread 'v[2]' in 'v[2].x'; threads are named by 'start'\n"},
	{"misspelt thread", "start w\non wx: x = malloc 1\n",
	 "2:4: error: unknown thread 'wx'; did you mean 'w'? threads are named by 'start'\n"},
	{"thread block never closed", "start w\nthread w {\nx = malloc 1\n",
	 "2:1: error: this 'thread' block is never closed; expected '}'\n"},
	{"thread block in a repeat", "start w\nrepeat 2 {\nthread w { x = malloc 1 }\n}\n",
	 "3:1: error: a 'thread' block cannot be inside a repeat block; put the repeat inside it\n"},
	{"a pointer is not a thread", "p = malloc 1\non p: free p\n", "2:4: error: 'p' is a pointer, not a thread\n"},
	{"unknown thread in an expectation", "start w\nexpect w[2] in arena 1\n",
	 "2:8: error: unknown thread 'w[2]'; threads are named by 'start'\n"},
	{"both parts ranges", "start w[1..2]\nthread w[1..2] { b[1..2] = malloc 1 }\nfree w[1..2].b[1..2]\n",
	 "3:6: error: only one part of a name may be a range (the thread's or the name's)\n"},
	{"a later thread of a block has exited", "start w[1..2]\nexit w[2]\nthread w[1..2] { x = malloc 1 }\n",
	 "3:8: error: thread 'w[2]' exited at line 2; it makes no calls after that (start it again first)\n"},
	{"a later thread of an on lacks the name", "start w[1..2]\non w[1]: x = malloc 1\non w[1..2]: free x\n",
	 "3:18: error: free of 'w[2].x' which was never allocated\n"},
	{"more than 8 threads at once", "start w[1..8]\nexit w[1]\nstart w[1], x\nstart y\n",
	 "3:13: warning: more than 8 threads run at once: past 8 arenas glibc allows 8 per CPU, so which arena a thread gets "
	 "can depend on the machine (brksim assumes 2 CPUs); 'set arena_max N' makes it the same everywhere, 'set cpus N' "
	 "says which machine\n"},
	{"more than 8 threads with arena_max", "set arena_max 4\nstart w[1..9]\n", ""},
	{"more than 8 threads with cpus", "set cpus 4\nstart w[1..9]\n", ""},
	{"more than 8 threads under glibc 2.3.6", "profile glibc-2.3.6\nstart w[1..9]\n", ""},
	{"more than 8 threads under glibc 2.31", "profile glibc-2.31\nstart w[1..9]\n",
	 "2:7: warning: more than 8 threads run at once: past 8 arenas glibc allows 8 per CPU, so which arena a thread gets "
	 "can depend on the machine (brksim assumes 2 CPUs); 'set arena_max N' makes it the same everywhere, 'set cpus N' "
	 "says which machine\n"},
	{"a name with two dots", "start a\na.b.c = malloc 1\n",
	 "2:1: error: invalid name 'a.b.c'; names are made of letters, digits and '_'\n"},
	{"two languages on one say line", "say zh \"释放\" en \"free\"\n",
	 "1:17: error: a 'say' line holds one language's text; put the 'en' one on a line of its own: say en \"...\"\n"},
	{"two languages on one title line", "title en \"a\" zh \"甲\"\n",
	 "1:14: error: a 'title' line holds one language's text; put the 'zh' one on a line of its own: title zh \"...\"\n"},
	{"two languages on one pause line", "a = malloc 1\npause zh \"问题\" en \"question\"\n",
	 "2:19: error: a 'pause' line holds one language's question; put the 'en' one on a line of its own: pause en "
	 "\"...\"\n"},
	{"a string where a statement ends", "a = malloc 1\nmark zh \"标记\"\n",
	 "2:9: error: unexpected \"标记\"; expected the end of the statement\n"},
	/* ---- commands ---- */
	{"unknown command with suggestion", "malocc 10\n",
	 "1:1: error: unknown command 'malocc'; did you mean 'malloc'? expected one of: " CMDS "\n"},
	{"unknown command without suggestion", "banana 10\n",
	 "1:1: error: unknown command 'banana'; expected one of: " CMDS ", or 'name = malloc ...'\n"},
	{"a word for a command is led to it", "caption \"hello\"\n",
	 "1:1: error: unknown command 'caption'; did you mean 'say'? expected one of: " CMDS "\n"},
	{"another word for a command", "assert brk == 0\n",
	 "1:1: error: unknown command 'assert'; did you mean 'expect'? expected one of: " CMDS "\n"},
	{"case-only difference is suggested", "Free a\n",
	 "1:1: error: unknown command 'Free'; did you mean 'free'? expected one of: " CMDS "\n"},
	{"forgotten equals sign", "a malloc 10\n",
	 "1:1: error: unknown command 'a'; did you forget '=' (as in 'a = malloc ...')?\n"},
	{"allocation without a name", "malloc 10\n",
	 "1:1: error: the result of 'malloc' needs a name, as in 'a = malloc ...'\n"},
	{"statement starting with a number", "42\n", "1:1: error: expected a command, found '42'\n"},
	{"unknown allocator", "a = mallco 10\n",
	 "1:5: error: unknown allocator 'mallco'; did you mean 'malloc'? expected one of: " ALLOCS "\n"},
	{"not an allocator", "a = 10\n",
	 "1:5: error: expected an allocator after '=', found '10'; expected one of: " ALLOCS "\n"},
	{"free assigned", "a = malloc 1\nb = free a\n", "2:5: error: 'free' returns nothing; write 'free b' on its own\n"},
	{"missing size", "a = malloc\n", "1:11: error: expected a size, found end of line\n"},
	{"missing calloc size", "a = calloc 10\n", "1:14: error: expected an element size, found end of line\n"},
	{"extra argument", "a = malloc 10 20\n", "1:15: error: unexpected '20' after the arguments of 'malloc'\n"},
	{"a unit apart from its number", "a = malloc 64 KB\n",
	 "1:15: error: unexpected 'KB' after the arguments of 'malloc'; a size is written without a space, e.g. 64KB\n"},
	{"a unit apart from its number in a setting", "set top_pad 64 KiB\n",
	 "1:16: error: unexpected 'KiB'; a size is written without a space, e.g. 64KiB\n"},
	{"a unit apart from its number in an expectation", "a = malloc 10\nexpect brk == 64 KB\n",
	 "2:18: error: unexpected 'KB' at the end of the expectation; a size is written without a space, e.g. 64KB\n"},
	{"a known name with a wrong word after it", "a = malloc 10\nexpect a is in use\n",
	 "2:10: error: expected 'at', 'in', 'mmapped' or 'null' after 'a', found 'is'\n"},
	{"a name compared with null", "a = malloc 10\nexpect a == null\n",
	 "2:10: error: a name is not compared with '==': write 'expect a null'\n"},
	{"a name compared with NULL by !=", "a = malloc 10\nexpect a != NULL\n",
	 "2:10: error: a name is not compared with '!=': write 'expect a not null'\n"},
	{"a name compared with an offset", "a = malloc 10\nexpect a == +0x2a0\n",
	 "2:10: error: a name is not compared with '==': write 'expect a at OFFSET'\n"},
	{"unclosed call", "a = malloc(10\n", "1:14: error: expected ')' to close the '(' at column 11, found end of line\n"},
	{"junk after a statement", "free a\n", "1:6: error: free of 'a' which was never allocated\n"},
	{"trailing junk", "a = malloc 1\nfree a )\n", "2:8: error: unexpected ')'; expected the end of the statement\n"},

	/* ---- names ---- */
	{"free of a name never allocated", "a = malloc 1\nfree q\n", "2:6: error: free of 'q' which was never allocated\n"},
	{"free of a misspelt name", "buffer = malloc 1\nfree bufer\n",
	 "2:6: error: free of 'bufer' which was never allocated; did you mean 'buffer'?\n"},
	{"free of a name assigned later", "free a\na = malloc 1\n", "1:6: error: free of 'a' which was never allocated\n"},
	{"free of a range element never allocated", "p[1..3] = malloc 8\nfree p[1..4]\n",
	 "2:6: error: free of 'p[4]' which was never allocated; p[1] to p[3] were\n"},
	{"free of an array by its bare name", "a[0..3] = malloc 8\nfree a\n",
	 "2:6: error: free of 'a' which was never allocated; a[0] to a[3] were\n"},
	{"realloc past an array of one", "b[2] = malloc 8\nb[3] = realloc b[3] 9\n",
	 "2:16: error: realloc of 'b[3]' which was never allocated; b[2] was\n"},
	{"free of an array with gaps", "c[0] = malloc 1\nc[5] = malloc 1\nc[2] = malloc 1\nfree c\n",
	 "4:6: error: free of 'c' which was never allocated; 3 of c[0] to c[5] were\n"},
	{"realloc of a name never allocated", "a = realloc b 10\n",
	 "1:13: error: realloc of 'b' which was never allocated\n"},
	{"free with nothing", "free\n", "1:5: error: expected a name to free, found end of line\n"},
	{"invalid name", "a-b = malloc 1\n", "1:1: error: invalid name 'a-b'; names are made of letters, digits and '_'\n"},
	{"NULL as a name", "NULL = malloc 1\n", "1:1: error: 'NULL' is not a name here\n"},
	{"name too long",
	 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = malloc 1\n",
	 "1:1: error: name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' is too long (at most 64 bytes)\n"},
	{"index out of range", "p[1000000000] = malloc 1\n", "1:3: error: index must be between 0 and 999999999\n"},
	{"negative index", "p[-1] = malloc 1\n", "1:3: error: index must be between 0 and 999999999\n"},
	{"unclosed index", "p[1 = malloc 1\n", "1:5: error: expected ']' to close the '[' at column 2, found '='\n"},
	{"range step zero", "p[1..4 by 0] = malloc 1\n", "1:11: error: range step must be between 1 and 999999999\n"},
	{"range too long", "p[0..2000000] = malloc 1\n", "1:1: error: range has too many names (at most 1000000)\n"},
	{"realloc range mismatch", "p[1..2] = malloc 1\nq = realloc p[1..2] 10\n",
	 "2:13: error: realloc of 2 names into 1 name; both sides must have as many names\n"},

	/* ---- numbers ---- */
	{"unknown size suffix", "a = malloc 64X\n",
	 "1:14: error: unknown size suffix 'X' in '64X'; expected one of: " SUFFIXES "\n"},
	{"number too large", "a = malloc 99999999999999999999\n",
	 "1:12: error: number '99999999999999999999' is too large (the largest is 0xffffffffffffffff)\n"},
	{"size expression too large", "a = malloc 0xffffffffffffffff+1\n",
	 "1:12: error: a size is too large (the largest is 0xffffffffffffffff)\n"},
	{"product too large", "a = malloc 16G*16G*16G*16G\n", "1:12: error: number is too large\n"},
	{"negative size", "a = malloc -5\n", "1:12: error: a size cannot be negative (got -5)\n"},
	{"negative arithmetic", "a = malloc 16-32\n", "1:12: error: a size cannot be negative (got -16)\n"},
	{"fractional bytes", "a = malloc 1.3\n", "1:12: error: '1.3' is not a whole number of bytes\n"},
	{"hex without digits", "a = malloc 0x\n", "1:12: error: malformed number '0x'\n"},
	{"division by zero", "a = malloc 1K/0\n", "1:14: error: division by zero\n"},
	{"posix_memalign alignment", "a = posix_memalign 24 100\n",
	 "1:20: error: posix_memalign alignment must be a power of two and a multiple of 8 (glibc returns EINVAL)\n"},
	{"pvalloc overflow", "a = pvalloc 0xffffffffffffffff\n",
	 "1:13: error: pvalloc size is too large: rounding it up overflows\n"},

	/* ---- mallopt and malloc_trim ---- */
	{"unknown mallopt parameter", "mallopt M_TRIM_THRESOLD 1\n",
	 "1:9: error: unknown mallopt parameter 'M_TRIM_THRESOLD'; did you mean 'M_TRIM_THRESHOLD'? expected one of: " MALLOPTS
	 "\n"},
	{"mallopt with a tunable's name", "mallopt top_pad 0\n",
	 "1:9: error: unknown mallopt parameter 'top_pad'; did you mean 'M_TOP_PAD'? expected one of: " MALLOPTS "\n"},
	{"mallopt value beyond int", "mallopt M_TOP_PAD 4G\n",
	 "1:19: error: mallopt value does not fit in a C int (-2147483648 to 2147483647); larger settings need 'set' at "
	 "startup\n"},
	{"mallopt parameter beyond int", "mallopt 3000000000 1\n", "1:9: error: mallopt parameter does not fit in a C int\n"},
	{"mallopt missing value", "mallopt M_TOP_PAD\n", "1:18: error: expected a mallopt value, found end of line\n"},
	{"mallopt unknown number is a warning", "mallopt 42 1\n",
	 "1:9: warning: mallopt parameter 42 is unknown to glibc: the call only consolidates fastbins and returns 1\n"},
	{"malloc_trim negative pad", "malloc_trim -1\n", "1:13: error: a pad size cannot be negative (got -1)\n"},

	/* ---- settings ---- */
	{"unknown setting", "set tcache_cont 0\n",
	 "1:5: error: unknown setting 'tcache_cont'; did you mean 'tcache_count'? expected one of: " SETTINGS "\n"},
	{"unknown setting far off", "set colour 0\n", "1:5: error: unknown setting 'colour'; expected one of: " SETTINGS "\n"},
	{"a setting by its environment variable", "set MALLOC_TRIM_THRESHOLD_ 64K\n",
	 "1:5: error: unknown setting 'MALLOC_TRIM_THRESHOLD_'; did you mean 'trim_threshold'? expected one of: " SETTINGS
	 "\n"},
	{"a setting by its mallopt name", "set M_TOP_PAD 0\n",
	 "1:5: error: unknown setting 'M_TOP_PAD'; did you mean 'top_pad'? expected one of: " SETTINGS "\n"},
	{"a setting by a teacher's word", "set tcache off\n",
	 "1:5: error: unknown setting 'tcache'; did you mean 'tcache_count'? expected one of: " SETTINGS "\n"},
	{"set without a name", "set 5\n",
	 "1:5: error: expected a setting name after 'set', found '5'; expected one of: " SETTINGS "\n"},
	{"set after the first operation", "a = malloc 1\nset top_pad 0\n",
	 "2:1: error: 'set' must come before the first operation (line 1); use 'mallopt' to change a parameter at run "
	 "time\n"},
	{"tcache setting after the first operation", "a = malloc 1\nset tcache_count 0\n",
	 "2:1: error: 'set' must come before the first operation (line 1); the tcache cannot be changed at run time\n"},
	{"duplicate setting", "set top_pad 0\nset top_pad 4K\n",
	 "2:5: error: duplicate setting 'top_pad' (first at line 1)\n"},
	{"setting out of range", "set mxfast 200\n",
	 "1:12: error: value 200 is out of range for 'mxfast' in glibc-2.36 (glibc would ignore it)\n"},
	{"tcache setting in 2.3.6", "profile glibc-2.3.6\nset tcache_count 0\n",
	 "2:1: error: 'tcache_count' does not exist in glibc-2.3.6, which has no tcache\n"},
	{"2.3.6 mmap threshold limit", "profile glibc-2.3.6\nset mmap_threshold 1M\n",
	 "2:20: error: value 1048576 is out of range for 'mmap_threshold' in glibc-2.3.6 (glibc would ignore it)\n"},
	{"setting without a value", "set top_pad\n", "1:12: error: expected a value, found end of line\n"},
	{"no cpus", "set cpus 0\n", "1:10: error: value 0 is out of range for 'cpus' (1 to 1048576)\n"},
	{"too many cpus", "set cpus = 2M\n", "1:12: error: value 2097152 is out of range for 'cpus' (1 to 1048576)\n"},
	{"cpus without a value", "set cpus\n", "1:9: error: expected a number of CPUs, found end of line\n"},
	{"duplicate cpus", "set cpus 2\nset cpus 4\n", "2:5: error: duplicate setting 'cpus' (first at line 1)\n"},
	{"cpus after the first operation", "a = malloc 1\nset cpus 4\n",
	 "2:1: error: 'set' must come before the first operation (line 1); the CPUs are the machine's, counted once\n"},
	{"cpus is no tunable", "set glibc.malloc.cpus 4\n",
	 "1:5: error: unknown setting 'glibc.malloc.cpus'; did you mean 'cpus'? expected one of: " SETTINGS "\n"},
	{"duplicate for glibc", "for glibc 2.26..2.42\nfor glibc >= 2.3.6\n",
	 "2:1: error: duplicate 'for glibc' (first at line 1)\n"},
	{"for without glibc", "for 2.36\n",
	 "1:5: error: expected 'glibc' after 'for', as in 'for glibc >= 2.26', found '2.36'\n"},
	{"if without glibc", "a = malloc 1\nexpect a at +0x10 if\n",
	 "2:21: error: expected 'glibc' after 'if', as in 'if glibc >= 2.26', found end of line\n"},
	{"glibc condition without a comparison", "a = malloc 1\nexpect a at +0x10 if glibc\n",
	 "2:27: error: expected a comparison (==, !=, <, <=, >, >=) after 'glibc', found end of line\n"},
	{"glibc version with one part", "a = malloc 1\nexpect a at +0x10 if glibc >= 2\n",
	 "2:31: error: expected a glibc version such as 2.36 or 2.3.6, found '2'\n"},
	{"glibc version with four parts", "for glibc >= 2.3.6.1\n",
	 "1:14: error: expected a glibc version such as 2.36 or 2.3.6, found '2.3.6.1'\n"},
	{"glibc range backwards", "for glibc 2.43..2.26\n", "1:17: error: the range's last version is below its first\n"},
	{"unknown profile", "profile glibc2.36\n",
	 "1:9: error: unknown profile 'glibc2.36'; did you mean 'glibc-2.36'? expected one of: glibc-2.3.6, glibc-2.31, glibc-2.36, glibc-2.41, glibc-2.43\n"},
	{"a profile by its bare version", "profile 2.31\n",
	 "1:9: error: unknown profile '2.31'; did you mean 'glibc-2.31'? expected one of: glibc-2.3.6, glibc-2.31, glibc-2.36, glibc-2.41, glibc-2.43\n"},
	{"profile far off", "profile musl\n",
	 "1:9: error: unknown profile 'musl'; expected one of: glibc-2.3.6, glibc-2.31, glibc-2.36, glibc-2.41, glibc-2.43\n"},
	{"profile after an operation", "a = malloc 1\nprofile glibc-2.36\n",
	 "2:1: error: 'profile' must come before the first operation (line 1)\n"},
	{"duplicate profile", "profile glibc-2.36\nprofile glibc-2.3.6\n",
	 "2:1: error: duplicate 'profile' (first at line 1)\n"},
	{"bad touch", "touch some\n", "1:7: error: expected 'all' or 'none' after 'touch', found 'some'\n"},
	{"touch after an operation", "a = malloc 1\ntouch none\n",
	 "2:1: error: 'touch' must come before the first operation (line 1)\n"},
	{"duplicate touch", "touch all\ntouch none\n", "2:1: error: duplicate 'touch' (first at line 1)\n"},

	/* ---- titles and captions ---- */
	{"duplicate title", "title \"a\"\ntitle \"b\"\n", "2:1: error: duplicate title (first at line 1)\n"},
	{"duplicate title per language", "title zh \"a\"\ntitle en \"b\"\ntitle zh \"c\"\n",
	 "3:1: error: duplicate title for 'zh' (first at line 1)\n"},
	{"invalid language tag", "say english \"x\"\n",
	 "1:5: error: invalid language tag 'english'; use a short tag such as en, zh or zh-TW\n"},
	{"caption without quotes", "say en hello\n",
	 "1:8: error: expected a string after 'say', found 'hello'; write it as: say en \"text\"\n"},
	{"caption with a bare word", "say why\n",
	 "1:5: error: expected a string after 'say', found 'why'; write it as: say en \"text\"\n"},
	{"caption missing", "say\n", "1:4: error: expected a string after 'say', found end of line; write it as: say en \"text\"\n"},
	{"unterminated caption", "say en \"hello\n",
	 "1:8: error: unterminated string; expected '\"' before the end of the line\n"},
	{"bad escape", "say en \"C:\\data\"\n", "1:11: error: unknown escape '\\d' in string; write '\\\\' for a backslash\n"},
	{"invalid UTF-8 caption", "say zh \"\xc4\xe3\xba\xc3\"\n",
	 "1:9: error: invalid UTF-8 in string (byte 0xc4); save the file as UTF-8\n"},
	{"curly quotes", "say en \xe2\x80\x9chello\xe2\x80\x9d\n",
	 "1:8: error: unexpected character '\xe2\x80\x9c'; strings are written in straight double quotes \"...\"\n"},
	{"control character in caption", "say en \"a\x01" "b\"\n", "1:10: error: control character 0x01 in string\n"},
	{"say inside repeat", "repeat 2 {\nsay en \"x\"\n}\n",
	 "2:1: error: 'say' is not allowed inside a repeat block; only operations can be repeated\n"},

	/* ---- marks ---- */
	{"mark without a name", "mark\n", "1:5: error: expected a mark name after 'mark', found end of line\n"},
	{"empty mark name", "mark \"\"\n", "1:6: error: a mark needs a name\n"},
	{"duplicate mark", "mark a\nmark a\n", "2:6: error: duplicate mark 'a' (first at line 1)\n"},
	{"pause with a bare word", "pause why\n",
	 "1:7: error: expected a string after 'pause', found 'why'; write it as: pause en \"question for the class\"\n"},
	{"pause with a bad tag", "pause english \"why?\"\n",
	 "1:7: error: invalid language tag 'english'; use a short tag such as en, zh or zh-TW\n"},
	{"two pauses in one language at one step", "pause en \"a?\"\npause zh \"b?\"\npause en \"c?\"\n",
	 "3:1: error: a second 'en' pause at the same step (first at line 1); put both questions in one string\n"},

	/* ---- repeat ---- */
	{"repeat without a brace", "repeat 3\n",
	 "1:9: error: expected '{' after 'repeat 3', found end of line; the block's '{' goes on the same line\n"},
	{"repeat without a count", "repeat {\n}\n", "1:8: error: expected a repeat count, found '{'\n"},
	{"stray closing brace", "}\n", "1:1: error: '}' without a matching 'repeat ... {'\n"},
	{"unclosed repeat", "a = malloc 1\nrepeat 2 {\nfree a\n",
	 "2:1: error: this 'repeat' block is never closed; expected '}'\n"},
	{"repeat nested too deeply",
	 "repeat 1 { repeat 1 { repeat 1 { repeat 1 { repeat 1 { repeat 1 { repeat 1 { repeat 1 { repeat 1 { "
	 "a = malloc 1 } } } } } } } } }\n",
	 "1:89: error: repeat blocks are nested too deeply (at most 8)\n"},
	{"too many operations", "repeat 1000 { repeat 1001 { a = malloc 1 } }\n",
	 "1:44: error: the scenario would have more than 1000000 operations\n"},
	{"expect inside repeat", "repeat 2 { a = malloc 1; expect brk == 0 }\n",
	 "1:26: error: 'expect' is not allowed inside a repeat block; only operations can be repeated\n"},

	/* ---- expectations ---- */
	{"single equals in expectation", "expect brk = 0x1000\n",
	 "1:12: error: expected a comparison (==, !=, <, <=, >, >=) after 'brk', found '='; did you mean '=='?\n"},
	{"brk += written the C way", "a = malloc 1\nexpect brk += 0x1000\n",
	 "2:12: error: '+=' is not a comparison; for a change of brk write 'expect brk grew by N' or 'expect brk delta "
	 "== +N'\n"},
	{"brk -= written the C way", "a = malloc 1\nexpect brk -= 4K\n",
	 "2:12: error: '-=' is not a comparison; for a change of brk write 'expect brk shrank by N' or 'expect brk delta "
	 "== -N'\n"},
	{"missing expectation value", "a = malloc 1\nexpect brk ==\n",
	 "2:14: error: expected a brk offset, found end of line\n"},
	{"unknown expectation", "a = malloc 1\nexpect tcach count == 1\n",
	 "2:8: error: unknown expectation 'tcach'; did you mean 'tcache'? expected one of: " EXPECTS ", or a name\n"},
	{"nothing to expect", "a = malloc 1\nexpect\n",
	 "2:7: error: expected what to check after 'expect', found end of line; expected one of: " EXPECTS ", or a name\n"},
	{"unknown name in expectation", "a = malloc 1\nexpect q at 0x10\n",
	 "2:8: error: unknown name 'q' in expectation; it is not allocated before this line\n"},
	{"range in expectation", "p[1..2] = malloc 1\nexpect p[1..2] in tcache\n",
	 "2:8: error: an expectation is about one name, not a range\n"},
	{"bad brk form", "a = malloc 1\nexpect brk moved\n",
	 "2:12: error: expected a comparison, 'delta', 'grew', 'shrank' or 'unchanged' after 'brk', found 'moved'\n"},
	{"negative brk", "a = malloc 1\nexpect brk == -1\n", "2:15: error: a brk offset cannot be negative\n"},
	{"delta without an operation", "expect brk grew\n",
	 "1:12: error: 'expect brk grew' needs an operation before it\n"},
	{"trimmed without an operation", "expect trimmed\n",
	 "1:8: error: 'expect trimmed' needs an operation before it\n"},
	{"bad negation", "a = malloc 1\nexpect not grown\n",
	 "2:12: error: expected 'trimmed', 'consolidated' or 'madvised' after 'not', found 'grown'\n"},
	{"bad place", "a = malloc 1\nexpect a in heap\n",
	 "2:13: error: expected a place after 'in', found 'heap'; expected one of: use, tcache, fastbin, unsorted, smallbin, "
	 "largebin, bins, free, top, mmap\n"},
	{"not at", "a = malloc 1\nexpect a not at 0x10\n",
	 "2:14: error: 'not at' is not supported; use 'at' with the expected offset\n"},
	{"count or bytes missing", "a = malloc 1\nexpect tcache == 1\n",
	 "2:15: error: expected 'count' or 'bytes' after 'tcache', found '=='\n"},
	{"bad chunk size", "a = malloc 1\nexpect fastbin[0x28] count == 1\n",
	 "2:16: error: a chunk size is a multiple of 16 and at least 32 (0x20); got 40\n"},
	{"rss not in pages", "a = malloc 1\nexpect rss == 1000\n",
	 "2:15: error: rss is counted in whole pages: 1000 is not a multiple of 4096; write 'N pages' or a byte count such "
	 "as 132K\n"},
	{"unknown abort message", "a = malloc 1\nexpect abort \"double free\"\n",
	 "2:14: error: unknown abort message; expected one of: \"free(): double free detected in tcache 2\", \"double free "
	 "or corruption (fasttop)\", \"double free or corruption (!prev)\", \"free(): invalid pointer\", \"free(): invalid "
	 "size\", \"realloc(): invalid pointer\", \"munmap_chunk(): invalid pointer\", \"double free or corruption (top)\", "
	 "\"double free or corruption (out)\", \"heap corruption the model does not follow (outcome depends on stale "
	 "memory)\", \"heap continued in an mmapped segment, which the model does not follow\", \"Segmentation fault "
	 "(malloc_consolidate walks past its fastbins: M_MXFAST 0)\", \"the program moved the break down into malloc's "
	 "top chunk, which the model does not follow\"\n"},
	{"no without abort", "a = malloc 1\nexpect no trim\n", "2:11: error: expected 'abort' after 'no', found 'trim'\n"},
	{"top not without pinned", "a = malloc 1\nexpect top not 5\n",
	 "2:16: error: expected 'pinned' after 'top not', found '5'\n"},
	{"top with a word", "a = malloc 1\nexpect top size == 5\n",
	 "2:12: error: expected a comparison or 'pinned' after 'top', found 'size'\n"},
	{"misspelt pinned", "a = malloc 1\nexpect top pined by a\n",
	 "2:12: error: expected a comparison or 'pinned' after 'top', found 'pined'; did you mean 'pinned'?\n"},
	{"misspelt place", "a = malloc 1\nexpect a in tcahce\n",
	 "2:13: error: expected a place after 'in', found 'tcahce'; did you mean 'tcache'? expected one of: use, tcache, "
	 "fastbin, unsorted, smallbin, largebin, bins, free, top, mmap\n"},
	{"junk after expectation", "a = malloc 1\nexpect brk == 0x21000 please\n",
	 "2:23: error: unexpected 'please' at the end of the expectation\n"},

	/* ---- bytes ---- */
	{"NUL byte", "a = malloc 1 \0\n", "1:14: error: NUL byte in input\n"},
	{"binary junk", "\xff\xfe\xfd\n", "1:1: error: invalid UTF-8 byte 0xff; save the file as UTF-8\n"},
	{"full-width equals", "a \xef\xbc\x9d malloc 1\n", "1:3: error: unexpected full-width character '\xef\xbc\x9d'; did you mean '='?\n"},

	/* ---- warnings ---- */
	{"double free warning", "a = malloc 1\nfree a\nfree a\n",
	 "3:1: warning: double free of 'a' (already freed at line 2); glibc aborts when it detects this\n"},
	{"realloc after free warning", "a = malloc 1\nfree a\nb = realloc a 10\n",
	 "3:1: warning: realloc of 'a' which was already freed at line 2; glibc may abort\n"},
	{"free after realloc into another name", "a = malloc 1\nb = realloc a 100\nfree a\n",
	 "3:1: warning: free of 'a', whose chunk the realloc at line 2 handed to 'b': that is the chunk of 'b' if the "
	 "realloc kept it in place, a freed one if it moved it (glibc may abort)\n"},
	{"realloc after realloc into another name", "a = malloc 1\nb = realloc a 100\nc = realloc a 10\n",
	 "3:1: warning: realloc of 'a', whose chunk the realloc at line 2 handed to 'b': that is the chunk of 'b' if "
	 "the realloc kept it in place, a freed one if it moved it (glibc may abort)\n"},
	{"free after the realloc's heir was freed", "a = malloc 1\nb = realloc a 100\nfree b\nfree b\n",
	 "4:1: warning: double free of 'b' (already freed at line 3); glibc aborts when it detects this\n"},
	{"double free through repeat", "a = malloc 1\nrepeat 2 { free a }\n",
	 "2:12: warning: double free of 'a' (already freed at line 2); glibc aborts when it detects this\n"},
	{"free NULL warning", "free NULL\n",
	 "1:6: warning: free(NULL) does nothing; no operation is recorded\n0:0: warning: the scenario has no operations\n"},
};

#define CASE_COUNT (sizeof cases / sizeof cases[0])

START_TEST(each_error)
{
	const error_case *c = &cases[_i];
	parsed p;
	/* The one input with an embedded NUL continues for two more bytes. */
	size_t len = strlen(c->input) + (strcmp(c->name, "NUL byte") == 0 ? 2 : 0);
	parse_bytes(&p, c->input, len);
	ck_assert_msg(strcmp(p.diags, c->diags) == 0, "case '%s':\n--- got\n%s--- want\n%s", c->name, p.diags, c->diags);
	bool has_error = strstr(c->diags, ": error: ") != NULL;
	ck_assert_msg(p.ok == !has_error, "case '%s': ok=%d", c->name, p.ok);
	parsed_release(&p);
}
END_TEST

/* ---- recovery ---- */

START_TEST(all_errors_of_a_file_are_reported)
{
	parsed p;
	parse_text(&p, "a = malloc 10\n"
	               "b = malocc 10\n"       /* 2: unknown allocator */
	               "free q\n"              /* 3: never allocated */
	               "c = malloc 64X\n"      /* 4: suffix */
	               "say en \"ok\"\n"
	               "expect brk = 1\n"      /* 6: comparison */
	               "d = malloc 20\n"
	               "free a; free zz; free d\n" /* 8: only zz is bad */
	               "set top_pad 0\n");     /* 9: after first op */
	ck_assert(!p.ok);
	ck_assert_uint_eq(p.d.error_count, 6);
	ck_assert(has_diag(&p, "2:5: error: unknown allocator 'malocc'; did you mean 'malloc'? expected one of: " ALLOCS));
	ck_assert(has_diag(&p, "3:6: error: free of 'q' which was never allocated"));
	ck_assert(has_diag(&p, "8:14: error: free of 'zz' which was never allocated"));
	ck_assert(has_diag(&p, "9:1: error: 'set' must come before the first operation (line 1); use 'mallopt' to change "
	                       "a parameter at run time"));
	/* The good statements around the bad ones are kept. */
	char buf[64];
	ck_assert_uint_eq(p.s.op_count, 4);
	ck_assert_str_eq(op_text(&p.s, 1, buf, sizeof buf), "malloc d 20");
	ck_assert_str_eq(op_text(&p.s, 2, buf, sizeof buf), "free a");
	ck_assert_str_eq(op_text(&p.s, 3, buf, sizeof buf), "free d");
	ck_assert_uint_eq(p.s.caption_count, 1);
	parsed_release(&p);
}
END_TEST

START_TEST(diagnostics_are_in_source_order)
{
	parsed p;
	/* The unclosed block (reported at the end of the file) is sorted to its line. */
	parse_text(&p, "repeat 2 {\nfree q\nsay en \"x\"\n");
	ck_assert_str_eq(p.diags, "1:1: error: this 'repeat' block is never closed; expected '}'\n"
	                          "2:6: error: free of 'q' which was never allocated\n"
	                          "3:1: error: 'say' is not allowed inside a repeat block; only operations can be repeated\n");
	parsed_release(&p);
}
END_TEST

START_TEST(bad_repeat_line_does_not_unbalance_braces)
{
	parsed p;
	/* The typo'd repeat opens a silent block so its '}' is not a second error. */
	parse_text(&p, "repaet 2 {\na = malloc 1\n}\nrepeat x {\nb = malloc 1\n}\nfree a b\n");
	ck_assert_uint_eq(p.d.error_count, 2);
	ck_assert(has_diag(&p, "1:1: error: unknown command 'repaet'; did you mean 'repeat'? expected one of: " CMDS));
	ck_assert(has_diag(&p, "4:8: error: expected a repeat count, found 'x'"));
	ck_assert_uint_eq(p.s.op_count, 4);
	parsed_release(&p);
}
END_TEST

START_TEST(one_error_per_bad_line)
{
	parsed p;
	parse_text(&p, "\x01\x02\x03 junk \xff\xff\n\xfe\xfe\xfe\nfree a\n");
	ck_assert_uint_eq(p.d.error_count, 3);
	parsed_release(&p);
}
END_TEST

START_TEST(many_errors_are_capped)
{
	size_t lines = DIAG_MAX_STORED * 2;
	char *text = malloc(lines * 8 + 1);
	size_t used = 0;
	for (size_t i = 0; i < lines; i++)
		used += (size_t)sprintf(text + used, "free q\n");
	parsed p;
	parse_text(&p, text);
	ck_assert_uint_eq(p.d.error_count, lines);
	ck_assert_uint_eq(p.d.count, DIAG_MAX_STORED + 1);
	ck_assert_str_eq(p.d.items[DIAG_MAX_STORED].message, "too many diagnostics: 500 more errors not shown");
	parsed_release(&p);
	free(text);
}
END_TEST

/* 1,000 expectations are read, the 1,001st is refused once, with the
 * line that passed the limit (20,000 of them took minutes to check,
 * some looking at the whole heap). */
START_TEST(expectations_are_bounded)
{
	for (size_t lines = 1000; lines <= 3000; lines += 2000) {
		char *text = malloc(32 + lines * 24);
		size_t used = (size_t)sprintf(text, "a = malloc 16\n");
		for (size_t i = 0; i < lines; i++)
			used += (size_t)sprintf(text + used, "expect brk == 0x21000\n");
		parsed p;
		parse_text(&p, text);
		if (lines == 1000) {
			ck_assert_msg(p.ok, "%s", p.diags);
			ck_assert_uint_eq(p.s.expect_count, 1000);
		} else {
			ck_assert(!p.ok);
			ck_assert_uint_eq(p.d.error_count, 1);
			ck_assert_str_eq(p.diags, "1002:1: error: the scenario has more than 1000 expectations; a lesson checks "
			                          "itself with a few dozen\n");
		}
		parsed_release(&p);
		free(text);
	}
}
END_TEST

/* A long unknown word is quoted as a short prefix ending in "…", and the
 * reason after it survives (messages once stopped at 512 bytes, mid-word,
 * before the list of what was expected). */
START_TEST(long_words_keep_the_reason)
{
	char text[4200];
	memset(text, 'w', 4000);
	strcpy(text + 4000, " x\n");
	parsed p;
	parse_text(&p, text);
	ck_assert_uint_eq(p.d.count, 1);
	const char *m = p.d.items[0].message;
	ck_assert_msg(strncmp(m, "unknown command 'wwww", 21) == 0, "%s", m);
	ck_assert_msg(strstr(m, "w\u2026'; expected one of: ") != NULL, "%s", m);
	ck_assert_msg(strstr(m, "or 'name = malloc ...'") != NULL, "%s", m);
	ck_assert_uint_lt(strlen(m), 400);
	parsed_release(&p);
	/* the same for a tunable name and a setting */
	memcpy(text, "set ", 4);
	memset(text + 4, 'z', 3000);
	strcpy(text + 3004, " 1\na = malloc 1\n");
	parse_text(&p, text);
	ck_assert_msg(p.d.count >= 1 && strstr(p.d.items[0].message, "z\u2026'; expected one of: ") != NULL, "%s",
	              p.diags);
	parsed_release(&p);
}
END_TEST

/* "a = malloc(" + `open` + "16" + `close` + ")\n" in a fresh buffer. */
static char *nested_size(const char *open, const char *close, size_t depth)
{
	size_t lo = strlen(open), lc = strlen(close);
	char *text = malloc(32 + depth * (lo + lc));
	if (text == NULL)
		abort();
	size_t n = 0;
	memcpy(text, "a = malloc(", 11);
	n += 11;
	for (size_t i = 0; i < depth; i++, n += lo)
		memcpy(text + n, open, lo);
	memcpy(text + n, "16", 2);
	n += 2;
	for (size_t i = 0; i < depth; i++, n += lc)
		memcpy(text + n, close, lc);
	memcpy(text + n, ")\n", 3); /* with the NUL */
	return text;
}

/* Parentheses and signs nest by recursion: 64 levels parse, the 65th is
 * an error at its own column, and a hostile 100000 levels is one error
 * too (it used to overflow the stack). */
START_TEST(expression_nesting_is_bounded)
{
	static const struct {
		const char *open, *close;
	} kinds[] = {{"(", ")"}, {"-", ""}, {"+(", ")"}};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t per = strlen(kinds[k].open); /* levels per repetition */
		char *text = nested_size(kinds[k].open, kinds[k].close, 64 / per);
		parsed p;
		parse_text(&p, text);
		ck_assert_msg(p.ok, "64 levels of '%s' should parse: %s", kinds[k].open, p.diags);
		ck_assert_uint_eq(p.s.op_count, 1);
		parsed_release(&p);
		free(text);

		text = nested_size(kinds[k].open, kinds[k].close, 64 / per + 1);
		parse_text(&p, text);
		char want[128];
		snprintf(want, sizeof want,
		         "1:%zu: error: expression is nested too deeply (at most 64 parentheses and signs)\n",
		         12 + 64 / per * per);
		ck_assert_msg(strcmp(p.diags, want) == 0, "'%s', one level too deep:\n--- got\n%s--- want\n%s", kinds[k].open, p.diags,
		              want);
		parsed_release(&p);
		free(text);

		text = nested_size(kinds[k].open, kinds[k].close, 100000);
		parse_text(&p, text);
		ck_assert(!p.ok);
		ck_assert_uint_eq(p.d.error_count, 1);
		ck_assert_uint_eq(p.s.op_count, 0);
		parsed_release(&p);
		free(text);
	}
	/* The same bound holds in an expectation's value. */
	char text[256];
	size_t n = (size_t)sprintf(text, "a = malloc 1\nexpect brk == ");
	for (int i = 0; i < 65; i++)
		text[n++] = '(';
	n += (size_t)sprintf(text + n, "0");
	for (int i = 0; i < 65; i++)
		text[n++] = ')';
	strcpy(text + n, "\n");
	parsed p;
	parse_text(&p, text);
	ck_assert_msg(strcmp(p.diags, "2:79: error: expression is nested too deeply (at most 64 parentheses and signs)\n") == 0,
	              "%s", p.diags);
	parsed_release(&p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("errors");
	TCase *tc = tcase_create("messages");
	tcase_add_loop_test(tc, each_error, 0, (int)CASE_COUNT);
	suite_add_tcase(s, tc);
	TCase *rc = tcase_create("recovery");
	tcase_add_test(rc, all_errors_of_a_file_are_reported);
	tcase_add_test(rc, diagnostics_are_in_source_order);
	tcase_add_test(rc, bad_repeat_line_does_not_unbalance_braces);
	tcase_add_test(rc, one_error_per_bad_line);
	tcase_add_test(rc, many_errors_are_capped);
	tcase_add_test(rc, expectations_are_bounded);
	tcase_add_test(rc, long_words_keep_the_reason);
	tcase_add_test(rc, expression_nesting_is_bounded);
	suite_add_tcase(s, rc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
