/* text.c — SDL_ttf fonts, width cache, texture cache (see text.h). */
#include "text.h"

#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MAX_FONTS = 40,
	WIDTH_SLOTS = 8192, /* direct-mapped; a collision just re-measures */
	TEX_SETS = 256,
	TEX_WAYS = 4, /* set-associative, least recently used way is replaced */
	MAX_TEXT = 1024,
};

/* The rendered texts' surfaces may hold GUI_TEXT_CACHE_BYTES: 1,024 entries
 * of long log lines took 21 MB while ← walked back over a recording
 * (each step's numbers and lines are new texts). A frame's own texts
 * (those drawn since the last gui_text_frame_done) are never evicted
 * for it, so a frame with more text than this still draws each once. */
#define TEXT_BYTES GUI_TEXT_CACHE_BYTES

typedef struct font_entry {
	int px;
	bool bold;
	TTF_Font *font;
	int line_skip;
	uint64_t used; /* font_uses when last asked for */
} font_entry;

typedef struct width_entry {
	uint64_t key; /* 0 = empty */
	int width;
} width_entry;

/* A rendered text: its ARGB8888 surface (blitted directly onto a
 * software target) and, made on first use, a texture for a renderer. */
typedef struct tex_entry {
	uint64_t key;
	SDL_Surface *surface;
	SDL_Texture *texture;
	int w, h;
	uint64_t used;
} tex_entry;

struct gui_text {
	char *path;
	font_entry fonts[MAX_FONTS];
	size_t font_count;
	uint64_t font_uses;
	width_entry widths[WIDTH_SLOTS];
	tex_entry textures[TEX_SETS * TEX_WAYS];
	SDL_Renderer *renderer;
	uint64_t frame;
	uint64_t frame_start; /* `frame` when this frame began: entries used since are on screen */
	size_t bytes;         /* the surfaces' pixels */
};

static size_t surface_bytes(const SDL_Surface *s)
{
	return s ? (size_t)s->pitch * (size_t)s->h : 0;
}

/* Frees one cache entry's surface and texture. */
static void entry_drop(gui_text *t, tex_entry *e)
{
	if (e->texture)
		SDL_DestroyTexture(e->texture);
	t->bytes -= surface_bytes(e->surface);
	if (e->surface)
		SDL_FreeSurface(e->surface);
	memset(e, 0, sizeof *e);
}

/* Frees the least recently used entries not drawn this frame until the
 * surfaces and `adding` more fit TEXT_BYTES (or none is left to free). */
static void make_room(gui_text *t, size_t adding)
{
	while (t->bytes + adding > TEXT_BYTES) {
		tex_entry *oldest = NULL;
		for (size_t i = 0; i < TEX_SETS * TEX_WAYS; i++) {
			tex_entry *e = &t->textures[i];
			if (e->surface && e->used <= t->frame_start && (!oldest || e->used < oldest->used))
				oldest = e;
		}
		if (!oldest)
			return;
		entry_drop(t, oldest);
	}
}

static uint64_t hash_text(const char *s, size_t len, int px, bool bold)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	h ^= (uint64_t)px * 2 + (bold ? 1 : 0);
	h *= 1099511628211ull;
	return h | 1; /* never 0, the empty marker */
}

gui_text *gui_text_new(const char *font_path, char *err, size_t err_size)
{
	gui_text *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	t->path = strdup(font_path);
	TTF_Font *probe = t->path ? TTF_OpenFontIndex(font_path, 16, 0) : NULL;
	if (!probe) {
		snprintf(err, err_size, "cannot open font '%s': %s", font_path, TTF_GetError());
		gui_text_free(t);
		return NULL;
	}
	TTF_CloseFont(probe);
	return t;
}

/* Destroys the textures (they belong to one renderer); with surfaces
 * too, empties the cache. */
static void drop_textures(gui_text *t, bool surfaces)
{
	for (size_t i = 0; i < TEX_SETS * TEX_WAYS; i++) {
		tex_entry *e = &t->textures[i];
		if (e->texture)
			SDL_DestroyTexture(e->texture);
		e->texture = NULL;
		if (surfaces)
			entry_drop(t, e);
	}
}

void gui_text_forget_renderer(gui_text *t)
{
	drop_textures(t, false);
	t->renderer = NULL;
}

void gui_text_free(gui_text *t)
{
	if (!t)
		return;
	drop_textures(t, true);
	for (size_t i = 0; i < t->font_count; i++)
		TTF_CloseFont(t->fonts[i].font);
	free(t->path);
	free(t);
}

/* The font at px (bold or not), opened on first use; NULL if it cannot be.
 * With MAX_FONTS open (a window resized many times, the help trying size
 * after size until it fits) the one asked for least recently is closed
 * for it: a font of another size in its place would measure and draw
 * every text at that size, and the help would never find one that fits.
 * (No one keeps a font_entry past the call that asked for it.) */
static font_entry *font_at(gui_text *t, int px, bool bold)
{
	if (px < 6)
		px = 6;
	t->font_uses++;
	for (size_t i = 0; i < t->font_count; i++)
		if (t->fonts[i].px == px && t->fonts[i].bold == bold) {
			t->fonts[i].used = t->font_uses;
			return &t->fonts[i];
		}
	TTF_Font *font = TTF_OpenFontIndex(t->path, px, 0);
	if (!font)
		return NULL;
	if (bold)
		TTF_SetFontStyle(font, TTF_STYLE_BOLD);
	font_entry *e;
	if (t->font_count < MAX_FONTS) {
		e = &t->fonts[t->font_count++];
	} else {
		e = &t->fonts[0];
		for (size_t i = 1; i < t->font_count; i++)
			if (t->fonts[i].used < e->used)
				e = &t->fonts[i];
		TTF_CloseFont(e->font);
	}
	e->px = px;
	e->bold = bold;
	e->font = font;
	e->line_skip = TTF_FontLineSkip(font);
	e->used = t->font_uses;
	return e;
}

static int measure(void *ctx, int px, bool bold, const char *utf8, size_t len)
{
	gui_text *t = ctx;
	if (len == 0)
		return 0;
	if (len >= MAX_TEXT)
		len = MAX_TEXT - 1;
	uint64_t key = hash_text(utf8, len, px, bold);
	width_entry *slot = &t->widths[key % WIDTH_SLOTS];
	if (slot->key == key)
		return slot->width;
	font_entry *f = font_at(t, px, bold);
	if (!f)
		return (int)len * px / 2;
	char buf[MAX_TEXT];
	memcpy(buf, utf8, len);
	buf[len] = '\0';
	int w = 0, h = 0;
	if (TTF_SizeUTF8(f->font, buf, &w, &h) != 0)
		w = (int)len * px / 2;
	slot->key = key;
	slot->width = w;
	return w;
}

static int line_height(void *ctx, int px)
{
	gui_text *t = ctx;
	font_entry *f = font_at(t, px, false);
	return f ? f->line_skip : px * 5 / 4;
}

gui_metrics gui_text_metrics(gui_text *t)
{
	return (gui_metrics){t, measure, line_height};
}

/* The cache entry of a TEXT command, rendered on a miss; NULL if the text
 * cannot be rendered. The colour is part of the key: text is rendered in
 * its final colour, so drawing it needs no colour modulation. */
static tex_entry *lookup(gui_text *t, const gui_cmd *cmd, const char *utf8)
{
	size_t len = cmd->text_len;
	if (len == 0)
		return NULL;
	if (len >= MAX_TEXT)
		len = MAX_TEXT - 1;
	uint64_t key = hash_text(utf8, len, cmd->font_px, cmd->bold) ^ ((uint64_t)(cmd->color | 0xffu) * 0x9E3779B97F4A7C15ull);
	key |= 1;
	tex_entry *set = &t->textures[(key % TEX_SETS) * TEX_WAYS];
	tex_entry *hit = NULL;
	for (int w = 0; w < TEX_WAYS; w++)
		if (set[w].key == key && set[w].surface)
			hit = &set[w];
	if (!hit) {
		font_entry *f = font_at(t, cmd->font_px, cmd->bold);
		if (!f)
			return NULL;
		char buf[MAX_TEXT];
		memcpy(buf, utf8, len);
		buf[len] = '\0';
		SDL_Color fg = {gui_rgba_r(cmd->color), gui_rgba_g(cmd->color), gui_rgba_b(cmd->color), 255};
		SDL_Surface *rendered = TTF_RenderUTF8_Blended(f->font, buf, fg);
		if (!rendered)
			return NULL;
		SDL_Surface *surface = rendered->format->format == SDL_PIXELFORMAT_ARGB8888
					       ? rendered
					       : SDL_ConvertSurfaceFormat(rendered, SDL_PIXELFORMAT_ARGB8888, 0);
		if (surface != rendered)
			SDL_FreeSurface(rendered);
		if (!surface)
			return NULL;
		hit = &set[0];
		for (int way = 1; way < TEX_WAYS; way++)
			if (set[way].used < hit->used)
				hit = &set[way];
		entry_drop(t, hit);
		make_room(t, surface_bytes(surface));
		hit->key = key;
		hit->surface = surface;
		t->bytes += surface_bytes(surface);
		hit->texture = NULL;
		hit->w = surface->w;
		hit->h = surface->h;
	}
	hit->used = ++t->frame;
	return hit;
}

/* Top-left corner of the text's box. */
static void origin(const gui_cmd *cmd, const tex_entry *e, int *x, int *y)
{
	float fx = cmd->x0;
	if (cmd->align == GUI_ALIGN_CENTER)
		fx -= (float)e->w / 2;
	else if (cmd->align == GUI_ALIGN_RIGHT)
		fx -= (float)e->w;
	*x = (int)SDL_floorf(fx + 0.5f);
	*y = (int)SDL_floorf(cmd->y0 + 0.5f);
}

void gui_text_draw(gui_text *t, SDL_Renderer *renderer, const gui_cmd *cmd, const char *utf8)
{
	if (renderer != t->renderer) {
		drop_textures(t, false);
		t->renderer = renderer;
	}
	tex_entry *e = lookup(t, cmd, utf8);
	if (!e)
		return;
	if (!e->texture) {
		e->texture = SDL_CreateTextureFromSurface(renderer, e->surface);
		if (!e->texture)
			return;
		SDL_SetTextureBlendMode(e->texture, SDL_BLENDMODE_BLEND);
	}
	SDL_SetTextureAlphaMod(e->texture, gui_rgba_a(cmd->color));
	SDL_Rect dst;
	origin(cmd, e, &dst.x, &dst.y);
	dst.w = e->w;
	dst.h = e->h;
	SDL_RenderCopy(renderer, e->texture, NULL, &dst);
}

/* src (ARGB, straight alpha, times amod / 255) over opaque dst. */
static inline uint32_t over(uint32_t src, uint32_t dst, uint32_t amod)
{
	uint32_t a = src >> 24;
	if (amod != 255)
		a = (a * amod + 127) / 255;
	if (a == 0)
		return dst;
	if (a == 255)
		return src | 0xff000000u;
	/* dst = src·a + dst·(1 − a) / 255, red and blue in one go, then green */
	uint32_t na = 255 - a;
	uint32_t rb = (src & 0xff00ffu) * a + (dst & 0xff00ffu) * na + 0x800080u;
	rb = ((rb + ((rb >> 8) & 0xff00ffu)) >> 8) & 0xff00ffu;
	uint32_t g = (src & 0xff00u) * a + (dst & 0xff00u) * na + 0x8000u;
	g = ((g + ((g >> 8) & 0xff00u)) >> 8) & 0xff00u;
	return 0xff000000u | rb | g;
}

void gui_text_blit(gui_text *t, SDL_Surface *target, const SDL_Rect *clip, const gui_cmd *cmd, const char *utf8)
{
	tex_entry *e = lookup(t, cmd, utf8);
	if (!e)
		return;
	int x, y;
	origin(cmd, e, &x, &y);
	SDL_Rect box = {x, y, e->w, e->h}, area = {0, 0, target->w, target->h}, vis;
	if (clip && !SDL_IntersectRect(&area, clip, &area))
		return;
	if (!SDL_IntersectRect(&box, &area, &vis))
		return;
	uint32_t amod = gui_rgba_a(cmd->color);
	const SDL_Surface *src = e->surface;
	for (int row = vis.y; row < vis.y + vis.h; row++) {
		const uint32_t *s = (const uint32_t *)((const uint8_t *)src->pixels + (size_t)(row - y) * (size_t)src->pitch) + (vis.x - x);
		uint32_t *d = (uint32_t *)((uint8_t *)target->pixels + (size_t)row * (size_t)target->pitch) + vis.x;
		int i = 0;
		/* most of a text box is the transparent gaps between glyphs:
		 * skip them four pixels at a time */
		for (; i + 4 <= vis.w; i += 4)
			if ((s[i] | s[i + 1] | s[i + 2] | s[i + 3]) & 0xff000000u)
				for (int k = i; k < i + 4; k++)
					d[k] = over(s[k], d[k], amod);
		for (; i < vis.w; i++)
			d[i] = over(s[i], d[i], amod);
	}
}

void gui_text_frame_done(gui_text *t)
{
	t->frame_start = t->frame; /* LRU stamps advance per draw */
}

size_t gui_text_bytes(const gui_text *t)
{
	return t->bytes;
}

bool gui_text_covers(gui_text *t, const char *utf8, uint32_t *missing)
{
	font_entry *f = font_at(t, 24, false);
	if (!f)
		return false;
	size_t len = strlen(utf8);
	for (size_t i = 0; i < len;) {
		size_t cl = gui_utf8_char_len(utf8 + i, len - i);
		const unsigned char *u = (const unsigned char *)utf8 + i;
		uint32_t c = u[0];
		if (cl == 2)
			c = ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		else if (cl == 3)
			c = ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
		else if (cl == 4)
			c = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) | ((uint32_t)(u[2] & 0x3f) << 6) |
			    (u[3] & 0x3f);
		i += cl;
		if (c <= 0x20 || c == 0x7f)
			continue;
		if (!TTF_GlyphIsProvided32(f->font, c)) {
			if (missing)
				*missing = c;
			return false;
		}
	}
	return true;
}
