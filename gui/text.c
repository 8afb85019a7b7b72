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

typedef struct font_entry {
	int px;
	bool bold;
	TTF_Font *font;
	int line_skip;
} font_entry;

typedef struct width_entry {
	uint64_t key; /* 0 = empty */
	int width;
} width_entry;

typedef struct tex_entry {
	uint64_t key;
	SDL_Texture *texture;
	int w, h;
	uint64_t used;
} tex_entry;

struct gui_text {
	char *path;
	font_entry fonts[MAX_FONTS];
	size_t font_count;
	width_entry widths[WIDTH_SLOTS];
	tex_entry textures[TEX_SETS * TEX_WAYS];
	SDL_Renderer *renderer;
	uint64_t frame;
};

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

static void drop_textures(gui_text *t)
{
	for (size_t i = 0; i < TEX_SETS * TEX_WAYS; i++) {
		if (t->textures[i].texture)
			SDL_DestroyTexture(t->textures[i].texture);
		memset(&t->textures[i], 0, sizeof t->textures[i]);
	}
}

void gui_text_forget_renderer(gui_text *t)
{
	drop_textures(t);
	t->renderer = NULL;
}

void gui_text_free(gui_text *t)
{
	if (!t)
		return;
	drop_textures(t);
	for (size_t i = 0; i < t->font_count; i++)
		TTF_CloseFont(t->fonts[i].font);
	free(t->path);
	free(t);
}

/* The font at px (bold or not), opened on first use; NULL if it cannot be. */
static font_entry *font_at(gui_text *t, int px, bool bold)
{
	if (px < 6)
		px = 6;
	for (size_t i = 0; i < t->font_count; i++)
		if (t->fonts[i].px == px && t->fonts[i].bold == bold)
			return &t->fonts[i];
	if (t->font_count == MAX_FONTS) { /* many sizes (resizing): reuse the nearest */
		font_entry *best = &t->fonts[0];
		for (size_t i = 1; i < t->font_count; i++)
			if (abs(t->fonts[i].px - px) < abs(best->px - px) && t->fonts[i].bold == bold)
				best = &t->fonts[i];
		return best;
	}
	TTF_Font *font = TTF_OpenFontIndex(t->path, px, 0);
	if (!font)
		return NULL;
	if (bold)
		TTF_SetFontStyle(font, TTF_STYLE_BOLD);
	font_entry *e = &t->fonts[t->font_count++];
	e->px = px;
	e->bold = bold;
	e->font = font;
	e->line_skip = TTF_FontLineSkip(font);
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

void gui_text_draw(gui_text *t, SDL_Renderer *renderer, const gui_cmd *cmd, const char *utf8)
{
	if (renderer != t->renderer) {
		drop_textures(t);
		t->renderer = renderer;
	}
	size_t len = cmd->text_len;
	if (len == 0)
		return;
	if (len >= MAX_TEXT)
		len = MAX_TEXT - 1;
	/* The colour is part of the key: text is rendered in its final colour
	 * so SDL's software blitter can take its fast per-pixel-alpha path
	 * (colour modulation forces a much slower generic blit). */
	uint64_t key = hash_text(utf8, len, cmd->font_px, cmd->bold) ^ ((uint64_t)(cmd->color | 0xffu) * 0x9E3779B97F4A7C15ull);
	key |= 1;
	tex_entry *set = &t->textures[(key % TEX_SETS) * TEX_WAYS];
	tex_entry *hit = NULL;
	for (int w = 0; w < TEX_WAYS; w++)
		if (set[w].key == key && set[w].texture)
			hit = &set[w];
	if (!hit) {
		font_entry *f = font_at(t, cmd->font_px, cmd->bold);
		if (!f)
			return;
		char buf[MAX_TEXT];
		memcpy(buf, utf8, len);
		buf[len] = '\0';
		SDL_Color fg = {gui_rgba_r(cmd->color), gui_rgba_g(cmd->color), gui_rgba_b(cmd->color), 255};
		SDL_Surface *surface = TTF_RenderUTF8_Blended(f->font, buf, fg);
		if (!surface)
			return;
		SDL_Texture *texture = SDL_CreateTextureFromSurface(renderer, surface);
		int w = surface->w, h = surface->h;
		SDL_FreeSurface(surface);
		if (!texture)
			return;
		SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
		hit = &set[0];
		for (int way = 1; way < TEX_WAYS; way++)
			if (set[way].used < hit->used)
				hit = &set[way];
		if (hit->texture)
			SDL_DestroyTexture(hit->texture);
		hit->key = key;
		hit->texture = texture;
		hit->w = w;
		hit->h = h;
	}
	hit->used = ++t->frame;
	SDL_SetTextureAlphaMod(hit->texture, gui_rgba_a(cmd->color));
	float x = cmd->x0;
	if (cmd->align == GUI_ALIGN_CENTER)
		x -= (float)hit->w / 2;
	else if (cmd->align == GUI_ALIGN_RIGHT)
		x -= (float)hit->w;
	SDL_Rect dst = {(int)SDL_floorf(x + 0.5f), (int)SDL_floorf(cmd->y0 + 0.5f), hit->w, hit->h};
	SDL_RenderCopy(renderer, hit->texture, NULL, &dst);
}

void gui_text_frame_done(gui_text *t)
{
	(void)t; /* LRU stamps advance per draw; nothing to do per frame */
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
