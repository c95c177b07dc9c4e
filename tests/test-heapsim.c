/* The glibc heap model (heapsim.c) on hand-worked sequences: chunk sizes as glibc rounds
 * them (the request + 8, to 16 bytes), best fit, the slack posix_memalign(64) needs, free
 * neighbours coalesced, the top given back past the trim threshold, malloc_trim's pages
 * and the mapped buffers. */
#include "check.h"
#include "heapsim.h"

static struct augur_heapsim_params params(uint64_t slack)
{
	return (struct augur_heapsim_params){
	        .map_above = 1 << 20, .slack = slack, .trim_above = 2 << 20, .page_bytes = 4096};
}

/* A buffer of the size another one freed cannot take its hole when the allocator needs
 * slack (PyTorch on glibc: scale1 after bn1 after conv1, three 11.35 MiB outputs, the
 * third placed above the other two, measured); with none it can. */
static void test_slack(void)
{
	for (uint64_t slack = 0; slack <= 96; slack += 96) {
		struct augur_heapsim h;
		augur_heapsim_init(&h, params(slack));
		struct augur_heapsim_block a, b, c;
		CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &a), 0);
		CHECK_EQ_U64(a.addr, 0);
		CHECK_EQ_U64(a.bytes, 100016); /* (100000 + 8 + 15) & ~15 */
		CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &b), 0);
		CHECK_EQ_U64(b.addr, 100016);
		augur_heapsim_free(&h, &a);
		CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &c), 0);
		CHECK_EQ_U64(c.addr, slack ? 200032 : 0);
		/* touched: up to the page past the highest chunk */
		CHECK_EQ_U64(augur_heapsim_resident(&h), slack ? 303104 : 200704);
		/* a smaller buffer fits the hole with its slack: best fit, not the top */
		if (slack) {
			struct augur_heapsim_block d;
			CHECK_EQ_INT(augur_heapsim_alloc(&h, 50000, &d), 0);
			CHECK_EQ_U64(d.addr, 0);
			CHECK_EQ_U64(d.bytes, 50016);
		}
		augur_heapsim_clear(&h);
	}
}

/* Two neighbours freed make one hole, which a buffer twice their size takes; the smaller
 * of two holes serves a buffer both can hold. */
static void test_coalesce_best_fit(void)
{
	struct augur_heapsim h;
	augur_heapsim_init(&h, params(96));
	struct augur_heapsim_block a, b, sep, big, c, fit;
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &a), 0);
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &b), 0);
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1000, &sep), 0);   /* at 200032, 1008 bytes */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 300000, &big), 0); /* at 201040 */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1000, &c), 0);     /* keeps big off the top */
	CHECK_EQ_U64(big.addr, 201040);
	augur_heapsim_free(&h, &a);
	augur_heapsim_free(&h, &b);
	augur_heapsim_free(&h, &big);
	/* holes: [0, 200032) and [201040, 501056); 150000 fits both, the smaller wins */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 150000, &fit), 0);
	CHECK_EQ_U64(fit.addr, 0);
	/* 200000 no longer fits the first hole's rest: the second */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 200000, &fit), 0);
	CHECK_EQ_U64(fit.addr, 201040);
	augur_heapsim_clear(&h);
}

/* Past the trim threshold the top goes back to the kernel, and malloc_trim gives back the
 * whole pages inside free chunks (resident again once written). Mapped buffers count while
 * they live; the peak remembers the most. */
static void test_trim_and_mapped(void)
{
	struct augur_heapsim h;
	augur_heapsim_init(&h, params(96));
	struct augur_heapsim_block x[3], keep, m;
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 8, &keep), 0); /* 32 bytes at 0 */
	CHECK_EQ_U64(keep.bytes, 32);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(augur_heapsim_alloc(&h, 1000000, &x[i]), 0);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 3002368); /* 32 + 3 * 1000016, paged */
	augur_heapsim_reset_peak(&h);
	/* 2 MiB is above the mmap threshold: mapped, in pages */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 2000000, &m), 0);
	CHECK(m.mapped);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 3002368 + 2002944);
	augur_heapsim_free(&h, &m);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 3002368);
	CHECK_EQ_U64(h.peak, 3002368 + 2002944);
	CHECK_EQ_U64(h.peak_mapped, 2002944);
	/* freeing the last two leaves 2000032 free at the top: under 2 MiB, kept */
	augur_heapsim_free(&h, &x[2]);
	augur_heapsim_free(&h, &x[1]);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 3002368);
	/* the first too: 3000048 past 2 MiB, the top goes back */
	augur_heapsim_free(&h, &x[0]);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 4096);
	/* malloc_trim: a hole's whole pages go back, its first page (the chunk's header)
	 * and its last part page stay */
	struct augur_heapsim_block y[2];
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &y[0]), 0); /* [32, 100048) */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 100000, &y[1]), 0); /* [100048, 200064) */
	augur_heapsim_free(&h, &y[0]);
	CHECK_EQ_INT(augur_heapsim_trim(&h), 0);
	/* pages [4096, 98304) of [32, 100048) go: 200704 - 94208 */
	CHECK_EQ_U64(augur_heapsim_resident(&h), 106496);
	struct augur_heapsim_block z;
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 50000, &z), 0); /* [32, 50048): 12 pages back */
	CHECK_EQ_U64(z.addr, 32);
	CHECK_EQ_U64(augur_heapsim_resident(&h), 106496 + 49152);
	augur_heapsim_clear(&h);
}

/* A buffer above the mmap threshold is mapped only when the heap cannot hold it: glibc
 * looks through its free chunks and its free top before sysmalloc maps (PyTorch 1.13: two
 * 32.5 MiB outputs over the 32 MiB threshold faulted no page in a pass). */
static void test_large_from_heap(void)
{
	struct augur_heapsim h;
	augur_heapsim_init(&h, params(96));
	struct augur_heapsim_block a, b, sep, big, c, d, top;
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1000000, &a), 0); /* [0, 1000016) */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1000000, &b), 0); /* [1000016, 2000032) */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 8, &sep), 0);     /* keeps the hole off the top */
	CHECK(!a.mapped && !b.mapped);
	augur_heapsim_free(&h, &a);
	augur_heapsim_free(&h, &b);
	uint64_t resident = augur_heapsim_resident(&h);
	CHECK_EQ_U64(resident, 2002944); /* 2000064 bytes, paged */
	/* 1.9 MB is above the 1 MiB threshold, and the 2000032-byte hole holds it */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1900000, &big), 0);
	CHECK(!big.mapped);
	CHECK_EQ_U64(big.addr, 0);
	CHECK_EQ_U64(augur_heapsim_resident(&h), resident); /* no page touched anew */
	/* the free top: 1.9 MB freed at the top stays (under the 2 MiB trim threshold) and
	 * takes a 1.5 MB buffer; a second one finds no room and is mapped */
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 950000, &c), 0);
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 950000, &d), 0);
	CHECK_EQ_U64(c.addr, 2000064);
	augur_heapsim_free(&h, &d);
	augur_heapsim_free(&h, &c);
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1500000, &top), 0);
	CHECK(!top.mapped);
	CHECK_EQ_U64(top.addr, 2000064);
	CHECK_EQ_INT(augur_heapsim_alloc(&h, 1500000, &c), 0);
	CHECK(c.mapped);
	augur_heapsim_clear(&h);
}

int main(void)
{
	test_large_from_heap();
	test_slack();
	test_coalesce_best_fit();
	test_trim_and_mapped();
	return check_finish();
}
