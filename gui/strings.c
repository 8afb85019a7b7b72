/* strings.c — the UI string table (see strings.h). */
#include "strings.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static const char *const table[GUI_S_COUNT][GUI_UI_LANG_COUNT] = {
	[GUI_S_STEP] = {"step", "步骤"},
	[GUI_S_OF] = {"of", "/"},
	[GUI_S_PLAYING] = {"playing", "播放中"},
	[GUI_S_PAUSED] = {"paused", "已暂停"},
	[GUI_S_SPEED] = {"speed", "速度"},
	[GUI_S_START] = {"start: nothing allocated yet", "开始：尚未分配内存"},
	[GUI_S_PROCESS] = {"process address space (not to scale)", "进程地址空间（示意）"},
	[GUI_S_TEXT_DATA] = {"text data bss", "代码 数据 bss"},
	[GUI_S_HEAP] = {"heap", "堆"},
	[GUI_S_MMAP_REGION] = {"mmap", "mmap 区"},
	[GUI_S_STACK] = {"stack", "栈"},
	[GUI_S_UNMAPPED] = {"not mapped", "未映射"},
	[GUI_S_BRK] = {"brk", "brk"},
	[GUI_S_TOP] = {"top", "top"},
	[GUI_S_TRIM_THRESHOLD] = {"trim threshold", "收缩阈值"},
	[GUI_S_TOP_REACHES] = {"top %s of the %s needed to trim", "top %s，收缩需要 %s"},
	[GUI_S_TOP_EXCEEDS] = {"top %s ≥ trim threshold %s", "top %s ≥ 收缩阈值 %s"},
	[GUI_S_TOP_EXCEEDS_MOVED] = {"top %s ≥ trim threshold %s, but the program's sbrk moved the break: no trim",
				     "top %s ≥ 收缩阈值 %s，但程序的 sbrk 移动了 brk：不会收缩"},
	[GUI_S_TOP_REACHES_RAISED] = {"top %s of the %s needed to trim (raised from %s by a freed mmapped chunk)",
				      "top %s，收缩需要 %s（释放 mmap 块后由 %s 提高）"},
	[GUI_S_TOP_EXCEEDS_RAISED] = {"top %s ≥ trim threshold %s (raised from %s by a freed mmapped chunk)",
				      "top %s ≥ 收缩阈值 %s（释放 mmap 块后由 %s 提高）"},
	[GUI_S_PINS_TOP] = {"%s pins top: freeing it would release %s", "%s 钉住了 top：释放它将归还 %s"},
	[GUI_S_PINS_FREE] = {"%s holds %s of free memory down; freeing it alone now releases nothing",
			     "%s 压住了 %s 空闲内存；现在只释放它也不会归还内存"},
	[GUI_S_PINS_QUIZ] = {"%s pins top", "%s 钉住了 top"},
	[GUI_S_MMAP_NONE] = {"mmap: none", "mmap：无"},
	[GUI_S_MMAP_SOME] = {"mmap: %zu chunks, %s", "mmap：%zu 块，%s"},
	[GUI_S_MMAP_ONE] = {"mmap: %zu chunk, %s", "mmap：%zu 块，%s"},
	[GUI_S_RELEASED] = {"returned to the kernel: %s", "已归还内核：%s"},
	[GUI_S_NOT_RESIDENT] = {"not in RAM (untouched or madvised)", "不在物理内存（未写入或 madvise）"},
	[GUI_S_NOT_RESIDENT_SHORT] = {"not in RAM", "不在物理内存"},
	[GUI_S_BINS] = {"Bins (head first)", "空闲链表 bins（表头在左）"},
	[GUI_S_EMPTY_BINS] = {"all bins empty", "所有 bin 为空"},
	[GUI_S_TCACHE] = {"tcache", "tcache"},
	[GUI_S_FASTBINS] = {"fastbins", "fastbin"},
	[GUI_S_UNSORTED] = {"unsorted", "unsorted"},
	[GUI_S_SMALLBINS] = {"small bins", "smallbin"},
	[GUI_S_LARGEBINS] = {"large bins", "largebin"},
	[GUI_S_MORE] = {"+%zu more", "还有 %zu 个"},
	[GUI_S_METERS] = {"Memory", "内存"},
	[GUI_S_VMDATA] = {"VmData (brk heap)", "VmData（brk 堆）"},
	[GUI_S_RSS] = {"RSS (modelled)", "RSS（模拟）"},
	[GUI_S_IN_USE] = {"in use (requested)", "使用中（请求量）"},
	[GUI_S_OVERHEAD] = {"chunk overhead", "块开销"},
	[GUI_S_FREE_TCACHE] = {"free in tcache", "tcache 中空闲"},
	[GUI_S_FREE_FAST] = {"free in fastbins", "fastbin 中空闲"},
	[GUI_S_FREE_BINS] = {"free in bins", "bin 中空闲"},
	[GUI_S_FREE_TOP] = {"free in top", "top 中空闲"},
	[GUI_S_MMAPPED] = {"mmapped chunks", "mmap 块"},
	[GUI_S_RELEASABLE] = {"malloc_trim(0) frees", "malloc_trim(0) 可释放"},
	[GUI_S_SOURCE] = {"Scenario", "场景"},
	[GUI_S_SOURCE_TRACE] = {"Trace", "跟踪记录"},
	[GUI_S_SOURCE_RECORDING] = {"Recording", "录制"},
	[GUI_S_EVENTS] = {"What happened", "发生了什么"},
	[GUI_S_NO_EVENTS] = {"(no events yet)", "（尚无事件）"},
	[GUI_S_LEGEND_PIN] = {"pins top", "钉住 top"},
	[GUI_S_HELP_TITLE] = {"Keys", "按键"},
	[GUI_S_HELP_HINT] = {"? help", "? 帮助"},
	[GUI_S_CHUNK] = {"chunk", "块"},
	[GUI_S_SIZE] = {"size", "大小"},
	[GUI_S_FLAGS] = {"flags", "标志"},
	[GUI_S_BIN] = {"bin", "bin"},
	[GUI_S_POSITION] = {"position", "位置"},
	[GUI_S_HEAD] = {"head", "表头"},
	[GUI_S_REQUEST] = {"requested", "请求"},
	[GUI_S_USER_PTR] = {"pointer", "指针"},
	[GUI_S_CHUNKS_IN_PIXEL] = {"%zu chunks under this pixel: zoom in (wheel)", "此像素下有 %zu 个块：滚轮放大"},
	[GUI_S_ZOOM] = {"zoom", "缩放"},
	[GUI_S_ABORTED] = {"glibc aborts here", "glibc 在此中止"},
	[GUI_S_JUMP_TRIM] = {"trim", "收缩"},
	[GUI_S_JUMP_GROW] = {"brk growth", "brk 增长"},
	[GUI_S_JUMP_CONSOLIDATE] = {"consolidation", "合并"},
	[GUI_S_JUMP_ABORT] = {"abort", "中止"},
	[GUI_S_JUMP_MMAP] = {"mmap or munmap", "mmap 或 munmap"},
	[GUI_S_JUMP_MARK] = {"mark, pause or breakpoint", "标记、暂停或断点"},
	[GUI_S_NONE_AFTER] = {"no %s after step %zu", "步骤 %2$zu 之后没有%1$s"},
	[GUI_S_NONE_BEFORE] = {"no %s before step %zu", "步骤 %2$zu 之前没有%1$s"},
	[GUI_S_LANGUAGE_IS] = {"caption language: %s", "字幕语言：%s"},
	[GUI_S_SAVED] = {"saved %s", "已保存 %s"},
	[GUI_S_MORE_LINES] = {"+%zu more (details)", "另有 %zu 条（细节）"},
	[GUI_S_RSS_PAGES] = {"RSS: %zu pages", "RSS：%zu 页"},
	[GUI_S_RSS_PAGE] = {"RSS: 1 page", "RSS：1 页"},
	[GUI_S_CAPTION_FALSE] = {"These settings change this step: the lesson's check fails here (line %u: expect %s), so its caption "
				 "is not shown.",
				 "这些设置改变了这一步：课程在此处的检查不成立（第 %u 行：expect %s），所以不显示原来的字幕。"},
	[GUI_S_ANSWER_HIDDEN] = {"(the verdict waits for the answer: R shows it)", "（结论等回答之后再看：按 R 显示）"},
	[GUI_S_PIN_FREED_TCACHE] = {"%s: freed, but the tcache holds it, so it pins %s under top; only a malloc of its size takes it back",
				    "%s：已释放，但留在 tcache 中，所以钉住了 top 下 %s 的空闲内存；只有同样大小的 malloc 才会把它取回"},
	[GUI_S_PIN_FREED_FAST] = {"%s: freed, but in a fastbin, so it pins %s under top until malloc_trim merges it",
				  "%s：已释放，但留在 fastbin 中，所以钉住了 top 下 %s 的空闲内存，直到 malloc_trim 把它合并"},
	[GUI_S_ALLOCATED_AT] = {"allocated at %s", "分配于 %s"},
	[GUI_S_SEARCH_HINT] = {"a name, a thread, a call site, 0xADDRESS or a step number; Enter: the next match, Esc: close",
			       "名字、线程、调用位置、0x地址或步骤号；Enter：下一个，Esc：关闭"},
	[GUI_S_SEARCH_NONE] = {"nothing matches %s", "没有匹配 %s 的步骤"},
	[GUI_S_SEARCH_FOUND] = {"step %zu: %s", "第 %zu 步：%s"},
	[GUI_S_NO_CHUNK] = {"no chunk: hover one in the heap bar", "没有选中的块：把鼠标移到堆条上的块"},
	[GUI_S_NO_ALLOC] = {"no allocation of %s at or before step %zu", "第 %2$zu 步及之前没有 %1$s 的分配"},
	[GUI_S_NO_FREE] = {"%s is not freed after step %zu", "第 %2$zu 步之后 %1$s 没有被释放"},
	[GUI_S_STORY_TITLE] = {"The RSS story (G)", "RSS 的变化（G）"},
	[GUI_S_STORY_IN_USE] = {"in use", "使用中"},
	[GUI_S_STORY_PEAK] = {"peak: step %zu, %s in use; VmData %s, RSS %s", "峰值：第 %zu 步，%s 使用中；VmData %s，RSS %s"},
	[GUI_S_STORY_MOST] = {"most of it at the peak: %s (%s)", "峰值时最多的：%s（%s）"},
	[GUI_S_STORY_PINS] = {"at the end %s pins the top; %s of free memory is held below chunks in all",
			      "最后 %s 钉住了 top；块下共压住 %s 空闲内存"},
	[GUI_S_STORY_SIDE] = {"%s: VmData at most %s, RSS at most %s; at the end %s and %s",
			      "%s：VmData 最多 %s，RSS 最多 %s；最后分别是 %s 和 %s"},
	[GUI_S_STORY_MORE] = {"brksim run --quiet --report prints the whole story (--report=svg FILE draws it)",
			      "命令行选项 --report 打印完整的变化，也能把它画成矢量图"},
	[GUI_S_PIN_FREED_TCACHE_SHORT] = {"%s: freed, but the tcache holds it: it pins %s under top",
					  "%s：已释放，但留在 tcache 中：钉住了 top 下 %s"},
	[GUI_S_PIN_FREED_FAST_SHORT] = {"%s: freed, but in a fastbin: it pins %s under top",
					"%s：已释放，但留在 fastbin 中：钉住了 top 下 %s"},
	[GUI_S_SIDE_STATS] = {"VmData %s \xc2\xb7 RSS %s", "VmData %s \xc2\xb7 RSS %s"},
	[GUI_S_SIDE_STATS_ARENAS] = {"brk heap %s \xc2\xb7 %zu arenas, %s in RAM in all",
				     "brk 堆 %s \xc2\xb7 %zu 个 arena，共 %s 在内存中"},
	[GUI_S_SIDE_TCACHE] = {" \xc2\xb7 tcache %zu", " \xc2\xb7 tcache %zu 块"},
	[GUI_S_SIDE_NO_TCACHE] = {" \xc2\xb7 no tcache", " \xc2\xb7 无 tcache"},
	[GUI_S_SIDE_FASTBINS] = {" \xc2\xb7 fastbins %zu", " \xc2\xb7 fastbin %zu 块"},
	[GUI_S_SIDE_NO_FASTBINS] = {" \xc2\xb7 no fastbins", " \xc2\xb7 无 fastbin"},
	[GUI_S_SIDE_ENDED] = {"glibc ended this run at step %zu", "glibc 在第 %zu 步结束了这次运行"},
	[GUI_S_ARENA_SHOWN] = {"heap bar: arena %u (%s)", "堆条：arena %u（%s）"},
	[GUI_S_ARENA_MAIN_SHOWN] = {"heap bar: the main arena (brk heap)", "堆条：主 arena（brk 堆）"},
	[GUI_S_ARENA_FOLLOW] = {"heap bar: the arena of each step's call", "堆条：跟随每一步调用所在的 arena"},
	[GUI_S_ARENA_BAR] = {"arena %u: %u heaps, %s mapped", "arena %u：%u 个堆，已映射 %s"},
	[GUI_S_ARENA_BAR_ONE] = {"arena %u: %u heap, %s mapped", "arena %u：%u 个堆，已映射 %s"},
	[GUI_S_ARENA_END] = {"end %s", "末端 %s"},
	[GUI_S_ARENAS] = {"arenas: %zu (%s in RAM)", "arena：%zu 个（%s 在内存中）"},
	[GUI_S_ARENA_METER] = {"Memory: arena %u", "内存：arena %u"},
	[GUI_S_MMAPPED_PROCESS] = {"mmapped (process)", "mmap 块（全进程）"},
	[GUI_S_REALLOC_LEFT] = {"what a realloc of %s left", "%s 的 realloc 留下的块"},
	[GUI_S_MEMALIGN_LEFT] = {"what the aligned allocation of %s left", "%s 的对齐分配留下的块"},
	[GUI_S_PIN_LOST_AT_FORK] = {"%s: freed into a tcache the fork left behind, in use for good: it pins %s under top",
				    "%s：释放进了 fork 时丢下的 tcache，永远算作使用中：钉住了 top 下 %s"},
	[GUI_S_PIN_LOST_AT_FORK_SHORT] = {"%s, lost at the fork, pins %s under top", "%s 在 fork 时丢失，钉住了 top 下 %s"},
	[GUI_S_ARENA_SIZE] = {"arena's heaps", "arena 的堆"},
	[GUI_S_VMDATA_SHORT] = {"VmData", "VmData"},
	[GUI_S_ARENA_SIZE_SHORT] = {"heaps", "堆"},
	[GUI_S_RSS_SHORT] = {"RSS", "RSS"},
	[GUI_S_IN_USE_SHORT] = {"in use", "使用中"},
	[GUI_S_OVERHEAD_SHORT] = {"overhead", "开销"},
	[GUI_S_FREE_TCACHE_SHORT] = {"tcache", "tcache"},
	[GUI_S_FREE_FAST_SHORT] = {"fastbins", "fastbin"},
	[GUI_S_FREE_BINS_SHORT] = {"bins", "bin"},
	[GUI_S_FREE_TOP_SHORT] = {"top", "top"},
	[GUI_S_MMAPPED_SHORT] = {"mmapped", "mmap"},
	[GUI_S_RELEASABLE_SHORT] = {"trim(0) frees", "可释放"},
	[GUI_S_LOADING_TITLE] = {"Opening %s", "正在打开 %s"},
	[GUI_S_LOADING_STEPS] = {"replaying its %s steps to build the timeline", "正在回放 %s 步，建立时间线"},
	[GUI_S_LOADING_CANCEL] = {"Esc or Q: stop", "Esc 或 Q：停止"},
	[GUI_S_BREAKPOINT_SET] = {"breakpoint at step %zu: playing stops here", "在步骤 %zu 设了断点：播放到这里会停下"},
	[GUI_S_BREAKPOINT_REMOVED] = {"breakpoint at step %zu removed", "已删除步骤 %zu 的断点"},
	[GUI_S_BREAKPOINT_FULL] = {"no room for another breakpoint (%zu set)", "断点已满（已设 %zu 个）"},
	[GUI_S_BREAKPOINTS_CLEARED] = {"all breakpoints removed (%zu)", "已删除全部断点（%zu 个）"},
	[GUI_S_BREAKPOINTS_NONE] = {"no breakpoints to remove", "没有可删除的断点"},
	[GUI_S_STOPPED_BREAKPOINT] = {"stopped at the breakpoint at step %zu", "在步骤 %zu 的断点处停下"},
	[GUI_S_STOPPED_BREAK_ON] = {"stopped at step %zu: %s (--break-on)", "在步骤 %zu 停下：%s（--break-on）"},
};

const char *gui_str(gui_ui_lang lang, gui_string id)
{
	if ((unsigned)id >= GUI_S_COUNT)
		return "";
	if ((unsigned)lang >= GUI_UI_LANG_COUNT)
		lang = GUI_UI_EN;
	const char *s = table[id][lang];
	return s ? s : table[id][GUI_UI_EN];
}

/* The formats come from the table above, never from input. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void gui_strf(char *out, size_t out_size, gui_ui_lang lang, gui_string id, ...)
{
	va_list args;
	va_start(args, id);
	vsnprintf(out, out_size, gui_str(lang, id), args);
	va_end(args);
}
#pragma GCC diagnostic pop

const char *gui_place_label(gui_ui_lang lang, sim_place place)
{
	static const char *const labels[SIM_PLACE_COUNT][GUI_UI_LANG_COUNT] = {
		[SIM_PLACE_NONE] = {"free", "空闲"},
		[SIM_PLACE_INUSE] = {"in use", "使用中"},
		[SIM_PLACE_TCACHE] = {"tcache", "tcache"},
		[SIM_PLACE_FASTBIN] = {"fastbin", "fastbin"},
		[SIM_PLACE_UNSORTED] = {"unsorted", "unsorted"},
		[SIM_PLACE_SMALLBIN] = {"small bin", "smallbin"},
		[SIM_PLACE_LARGEBIN] = {"large bin", "largebin"},
		[SIM_PLACE_TOP] = {"top", "top"},
		[SIM_PLACE_MMAP] = {"mmapped", "mmap 块"},
		[SIM_PLACE_TCACHE_STRUCT] = {"tcache struct", "tcache 结构"},
		[SIM_PLACE_FENCEPOST] = {"fencepost", "fencepost"},
		[SIM_PLACE_PROGRAM] = {"program's sbrk", "程序的 sbrk"},
	};
	if ((unsigned)place >= SIM_PLACE_COUNT)
		place = SIM_PLACE_NONE;
	if ((unsigned)lang >= GUI_UI_LANG_COUNT)
		lang = GUI_UI_EN;
	return labels[place][lang];
}
