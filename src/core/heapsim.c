/* glibc's malloc as a framework's tensors meet it (see heapsim.h): best fit among the free
 * chunks, the top chunk when none fits, neighbours coalesced on free, and the pages ever
 * touched counted as resident until a trim gives them back. */
#include <stdlib.h>
#include <string.h>

#include "checked.h"
#include "heapsim.h"
#include "status.h"

struct heapsim_chunk {
	uint64_t addr, bytes;
	int free;
};

struct heapsim_range {
	uint64_t from, to;
};

struct heapsim_free {
	uint64_t bytes, addr;
};

/* glibc's chunk: the request plus its 8-byte size field, in 16-byte steps, 32 at least */
enum { CHUNK_HEADER = 8, CHUNK_ALIGN = 16, CHUNK_MIN = 32 };

void augur_heapsim_init(struct augur_heapsim *h, struct augur_heapsim_params p)
{
	memset(h, 0, sizeof(*h));
	if (!p.page_bytes)
		p.page_bytes = 4096;
	h->p = p;
}

void augur_heapsim_clear(struct augur_heapsim *h)
{
	free(h->chunks);
	free(h->by_size);
	free(h->untouched);
	memset(h, 0, sizeof(*h));
}

static uint64_t round_up(uint64_t x, uint64_t step)
{
	uint64_t r = x % step;
	return r ? augur_add_sat(x, step - r) : x;
}

static uint64_t untouched_bytes(const struct augur_heapsim *h)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < h->n_untouched; i++)
		sum += h->untouched[i].to - h->untouched[i].from;
	return sum;
}

uint64_t augur_heapsim_resident(const struct augur_heapsim *h)
{
	return augur_add_sat(h->touched_end - untouched_bytes(h), h->mapped);
}

void augur_heapsim_reset_peak(struct augur_heapsim *h)
{
	h->peak = augur_heapsim_resident(h);
	h->peak_mapped = h->mapped;
	h->peak_heap = h->peak - h->mapped;
}

static void note_peak(struct augur_heapsim *h)
{
	uint64_t now = augur_heapsim_resident(h);
	if (now > h->peak) {
		h->peak = now;
		h->peak_mapped = h->mapped;
		h->peak_heap = now - h->mapped;
	}
}

static int grow(void **array, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return AUGUR_OK;
	size_t cap2 = *cap ? 2 * *cap : 64;
	while (cap2 < need)
		cap2 *= 2;
	void *p = realloc(*array, cap2 * size);
	if (!p)
		return AUGUR_E_NOMEM;
	*array = p;
	*cap = cap2;
	return AUGUR_OK;
}

/* Pages in [from, to) were written: no longer untouched, and the heap's touched part
 * reaches to. */
static int touch(struct augur_heapsim *h, uint64_t from, uint64_t to)
{
	from -= from % h->p.page_bytes;
	to = round_up(to, h->p.page_bytes);
	for (size_t i = 0; i < h->n_untouched; i++) {
		struct heapsim_range *r = &h->untouched[i];
		if (r->to <= from || r->from >= to)
			continue;
		if (r->from < from && r->to > to) { /* the write falls inside: split */
			int rc = grow((void **)&h->untouched, &h->cap_untouched, h->n_untouched + 1,
			              sizeof(*h->untouched));
			if (rc)
				return rc;
			r = &h->untouched[i];
			memmove(r + 2, r + 1, (h->n_untouched - i - 1) * sizeof(*r));
			r[1] = (struct heapsim_range){to, r->to};
			r->to = from;
			h->n_untouched++;
			break;
		}
		if (r->from < from)
			r->to = from;
		else if (r->to > to)
			r->from = to;
		else {
			memmove(r, r + 1, (h->n_untouched - i - 1) * sizeof(*r));
			h->n_untouched--;
			i--;
		}
	}
	if (to > h->touched_end)
		h->touched_end = to;
	return AUGUR_OK;
}

/* The pages wholly inside [from, to) go back to the kernel (kept in address order). */
static int give_back(struct augur_heapsim *h, uint64_t from, uint64_t to)
{
	from = round_up(from, h->p.page_bytes);
	to -= to % h->p.page_bytes;
	if (to > h->touched_end)
		to = h->touched_end;
	if (from >= to)
		return AUGUR_OK;
	int rc = grow((void **)&h->untouched, &h->cap_untouched, h->n_untouched + 1,
	              sizeof(*h->untouched));
	if (rc)
		return rc;
	size_t i = 0;
	while (i < h->n_untouched && h->untouched[i].to < from)
		i++;
	/* merge with every range it meets */
	size_t j = i;
	while (j < h->n_untouched && h->untouched[j].from <= to) {
		if (h->untouched[j].from < from)
			from = h->untouched[j].from;
		if (h->untouched[j].to > to)
			to = h->untouched[j].to;
		j++;
	}
	struct heapsim_range *r = h->untouched;
	if (j == i) {
		memmove(r + i + 1, r + i, (h->n_untouched - i) * sizeof(*r));
		h->n_untouched++;
	} else if (j > i + 1) {
		memmove(r + i + 1, r + j, (h->n_untouched - j) * sizeof(*r));
		h->n_untouched -= j - i - 1;
	}
	r[i] = (struct heapsim_range){from, to};
	return AUGUR_OK;
}

/* The heap ends at new_brk: pages above it are no longer the process's. */
static void lower_brk(struct augur_heapsim *h, uint64_t new_brk)
{
	h->brk = new_brk;
	if (h->touched_end > new_brk)
		h->touched_end = new_brk;
	while (h->n_untouched && h->untouched[h->n_untouched - 1].from >= h->touched_end)
		h->n_untouched--;
	if (h->n_untouched && h->untouched[h->n_untouched - 1].to > h->touched_end)
		h->untouched[h->n_untouched - 1].to = h->touched_end;
}

/* The first free chunk, in the size index, that is not smaller than bytes (or, equal,
 * lies below addr). */
static size_t free_lower_bound(const struct augur_heapsim *h, uint64_t bytes, uint64_t addr)
{
	size_t lo = 0, hi = h->n_free;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct heapsim_free *f = &h->by_size[mid];
		if (f->bytes < bytes || (f->bytes == bytes && f->addr < addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index has room: it never holds more entries than there are chunks. */
static void free_add(struct augur_heapsim *h, uint64_t bytes, uint64_t addr)
{
	size_t at = free_lower_bound(h, bytes, addr);
	memmove(h->by_size + at + 1, h->by_size + at, (h->n_free - at) * sizeof(*h->by_size));
	h->by_size[at] = (struct heapsim_free){bytes, addr};
	h->n_free++;
}

static void free_remove(struct augur_heapsim *h, uint64_t bytes, uint64_t addr)
{
	size_t at = free_lower_bound(h, bytes, addr);
	if (at == h->n_free || h->by_size[at].addr != addr)
		return;
	memmove(h->by_size + at, h->by_size + at + 1, (h->n_free - at - 1) * sizeof(*h->by_size));
	h->n_free--;
}

/* The chunk at addr, or n_chunks. */
static size_t chunk_at(const struct augur_heapsim *h, uint64_t addr)
{
	size_t lo = 0, hi = h->n_chunks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->chunks[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < h->n_chunks && h->chunks[lo].addr == addr ? lo : h->n_chunks;
}

static int insert_chunk(struct augur_heapsim *h, size_t at, struct heapsim_chunk c)
{
	size_t cap = h->cap_chunks;
	int rc = grow((void **)&h->chunks, &h->cap_chunks, h->n_chunks + 1, sizeof(*h->chunks));
	if (rc)
		return rc;
	if (h->cap_chunks != cap || !h->by_size) {
		struct heapsim_free *f = realloc(h->by_size, h->cap_chunks * sizeof(*f));
		if (!f)
			return AUGUR_E_NOMEM;
		h->by_size = f;
	}
	memmove(h->chunks + at + 1, h->chunks + at, (h->n_chunks - at) * sizeof(*h->chunks));
	h->chunks[at] = c;
	h->n_chunks++;
	return AUGUR_OK;
}

static void remove_chunk(struct augur_heapsim *h, size_t at)
{
	memmove(h->chunks + at, h->chunks + at + 1, (h->n_chunks - at - 1) * sizeof(*h->chunks));
	h->n_chunks--;
}

static int map_block(struct augur_heapsim *h, uint64_t bytes, struct augur_heapsim_block *out)
{
	uint64_t pages = round_up(bytes, h->p.page_bytes);
	h->mapped = augur_add_sat(h->mapped, pages);
	*out = (struct augur_heapsim_block){0, pages, 1};
	note_peak(h);
	return AUGUR_OK;
}

int augur_heapsim_alloc(struct augur_heapsim *h, uint64_t bytes, struct augur_heapsim_block *out)
{
	uint64_t nb, need, end;
	if (augur_add_overflow(bytes, CHUNK_HEADER + CHUNK_ALIGN - 1, &nb))
		return map_block(h, bytes, out);
	nb -= nb % CHUNK_ALIGN;
	if (nb < CHUNK_MIN)
		nb = CHUNK_MIN;
	need = augur_add_sat(nb, h->p.slack);
	/* best fit: the smallest free chunk that holds it, the lowest of equal ones */
	size_t k = free_lower_bound(h, need, 0);
	size_t best = k < h->n_free ? chunk_at(h, h->by_size[k].addr) : h->n_chunks;
	/* a buffer above the mmap threshold is mapped only when the heap cannot serve it:
	 * glibc's malloc looks through its free chunks and its free top first, and only
	 * sysmalloc maps (PyTorch 1.13 on the Xeon family 6 model 167 guest: two 32.5 MiB
	 * outputs, over the 32 MiB threshold, faulted no page in a pass) */
	if (bytes > h->p.map_above && best == h->n_chunks &&
	    (h->brk < h->top || h->brk - h->top < augur_add_sat(need, CHUNK_MIN)))
		return map_block(h, bytes, out);
	int rc;
	uint64_t addr;
	if (best < h->n_chunks) {
		struct heapsim_chunk *c = &h->chunks[best];
		addr = c->addr;
		uint64_t rest = c->bytes - nb;
		free_remove(h, c->bytes, addr);
		c->free = 0;
		if (rest >= CHUNK_MIN) {
			c->bytes = nb;
			if ((rc = insert_chunk(h, best + 1,
			                       (struct heapsim_chunk){addr + nb, rest, 1})))
				return rc;
			free_add(h, rest, addr + nb);
		} else {
			nb = c->bytes;
		}
	} else {
		/* the top chunk: the heap grows (addresses saturate before they wrap: a heap
		 * that large is mapped instead) */
		if (augur_add_overflow(h->top, nb, &end))
			return map_block(h, bytes, out);
		addr = h->top;
		if ((rc = insert_chunk(h, h->n_chunks, (struct heapsim_chunk){addr, nb, 0})))
			return rc;
		h->top = end;
		if (end > h->brk)
			h->brk = end;
	}
	if ((rc = touch(h, addr, addr + nb)))
		return rc;
	*out = (struct augur_heapsim_block){addr, nb, 0};
	note_peak(h);
	return AUGUR_OK;
}

void augur_heapsim_free(struct augur_heapsim *h, const struct augur_heapsim_block *b)
{
	if (b->mapped) {
		h->mapped = h->mapped >= b->bytes ? h->mapped - b->bytes : 0;
		return;
	}
	size_t i = chunk_at(h, b->addr);
	if (i == h->n_chunks || h->chunks[i].free)
		return; /* not a live block: nothing to free */
	h->chunks[i].free = 1;
	if (i + 1 < h->n_chunks && h->chunks[i + 1].free) {
		free_remove(h, h->chunks[i + 1].bytes, h->chunks[i + 1].addr);
		h->chunks[i].bytes += h->chunks[i + 1].bytes;
		remove_chunk(h, i + 1);
	}
	if (i > 0 && h->chunks[i - 1].free) {
		free_remove(h, h->chunks[i - 1].bytes, h->chunks[i - 1].addr);
		h->chunks[i - 1].bytes += h->chunks[i].bytes;
		remove_chunk(h, i);
		i--;
	}
	if (i + 1 == h->n_chunks) { /* it joins the top chunk */
		h->top = h->chunks[i].addr;
		remove_chunk(h, i);
		if (h->brk - h->top > h->p.trim_above)
			lower_brk(h, round_up(h->top, h->p.page_bytes));
	} else {
		free_add(h, h->chunks[i].bytes, h->chunks[i].addr);
	}
}

int augur_heapsim_trim(struct augur_heapsim *h)
{
	for (size_t i = 0; i < h->n_chunks; i++) {
		const struct heapsim_chunk *c = &h->chunks[i];
		/* what lies past the chunk's header and free-list links */
		if (c->free && c->bytes > CHUNK_MIN) {
			int rc = give_back(h, c->addr + CHUNK_MIN, c->addr + c->bytes);
			if (rc)
				return rc;
		}
	}
	lower_brk(h, round_up(h->top, h->p.page_bytes));
	return AUGUR_OK;
}
