/* A model of glibc's malloc as a framework's tensors meet it: buffers come from one heap by
 * best fit (those above the mmap threshold are mapped per allocation where the heap's free
 * chunks and free top cannot hold them), and the pages the heap ever touched stay resident
 * until its top is trimmed. memory.c drives it with a network's buffers (the heap view); it
 * knows nothing of networks. */
#ifndef AUGUR_HEAPSIM_H
#define AUGUR_HEAPSIM_H

#include <stddef.h>
#include <stdint.h>

struct augur_heapsim_params {
	uint64_t map_above;  /* buffers above this many bytes are mapped (glibc: its mmap
	                        threshold) */
	uint64_t slack;      /* a free chunk serves a buffer only when it is this many bytes
	                        larger (posix_memalign(64) asks _int_malloc for the size + 64
	                        + 32: a hole a buffer of the same size left never fits it) */
	uint64_t trim_above; /* free bytes at the heap's top beyond which it gives them back
	                        (glibc: twice the mmap threshold) */
	uint64_t page_bytes; /* the kernel's page: what is resident, and what a trim gives back */
};

/* glibc's trim threshold for a mmap threshold of map_above bytes: once a freed buffer has
 * raised the mmap threshold, glibc sets its trim threshold to twice it, and keeps up to
 * that many free bytes at its heap's top (saturating). */
static inline uint64_t augur_heap_trim_bytes(uint64_t map_above)
{
	return map_above > UINT64_MAX / 2 ? UINT64_MAX : 2 * map_above;
}

/* One allocation, as augur_heapsim_alloc returns it and augur_heapsim_free takes it. */
struct augur_heapsim_block {
	uint64_t addr;  /* offset in the heap; unused when mapped */
	uint64_t bytes; /* the chunk's bytes (heap) or the mapped pages' */
	int mapped;
};

struct augur_heapsim {
	struct augur_heapsim_params p;
	struct heapsim_chunk *chunks; /* by address; the last one is never free (it joins the
	                                 top) */
	size_t n_chunks, cap_chunks;
	struct heapsim_free *by_size; /* the free chunks by size, then address: best fit is a
	                                 binary search (a depthwise conv's hundreds of groups
	                                 otherwise scan every chunk per buffer); capacity
	                                 cap_chunks */
	size_t n_free;
	struct heapsim_range *untouched; /* pages inside the heap given back, by address */
	size_t n_untouched, cap_untouched;
	uint64_t top;         /* where the top chunk starts: the end of the last chunk */
	uint64_t brk;         /* the heap's end: top + the free top chunk */
	uint64_t touched_end; /* every page below it was touched, except the untouched ones */
	uint64_t mapped;      /* mapped bytes live now */
	uint64_t peak;        /* the most resident bytes (heap + mapped) since the last reset */
	uint64_t peak_heap, peak_mapped; /* the two parts of that peak */
};

/* An empty heap with p's facts. Nothing to fail: memory is taken as it is needed. */
void augur_heapsim_init(struct augur_heapsim *h, struct augur_heapsim_params p);
void augur_heapsim_clear(struct augur_heapsim *h);

/* Allocates bytes and touches them all (a tensor is written whole). 0 or AUGUR_E_NOMEM. */
int augur_heapsim_alloc(struct augur_heapsim *h, uint64_t bytes, struct augur_heapsim_block *out);

/* Frees a block augur_heapsim_alloc returned (once). */
void augur_heapsim_free(struct augur_heapsim *h, const struct augur_heapsim_block *b);

/* glibc's malloc_trim(0): the pages inside free chunks and the free top go back to the
 * kernel. 0 or AUGUR_E_NOMEM. */
int augur_heapsim_trim(struct augur_heapsim *h);

/* Resident bytes now: the heap's touched pages and the mapped buffers. */
uint64_t augur_heapsim_resident(const struct augur_heapsim *h);

/* Starts the peak afresh from what is resident now. */
void augur_heapsim_reset_peak(struct augur_heapsim *h);

#endif
