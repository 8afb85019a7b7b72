/* site_text.h — a call site's text said shorter, for a line with no room
 * for the whole of it (the window's pin callout, the SVG report's rows).
 * Must not: know where the text is drawn. Pure: no I/O. */
#ifndef BRKSIM_TRACE_SITE_TEXT_H
#define BRKSIM_TRACE_SITE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A call site said shorter: a C++ function's argument list as "(…)"
 * ("ns::f(int, char*), a.cc:3" -> "ns::f(…), a.cc:3"), into out; false
 * when it has none to leave out (or out is too small). */
bool trace_site_without_args(const char *site, char *out, size_t out_size);

#endif
