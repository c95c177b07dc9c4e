/* Unit tests of the SVG chart writer (src/core/svg.c): escaping of hostile names, nice
 * ticks on linear and log scales, labels, the palette, and charts whose geometry is
 * checked against positions computed by hand. */
#include <stdbool.h>
#include <string.h>

#include "check.h"
#include "svg.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_escape(void)
{
	struct augur_strbuf t = {0};
	augur_svg_xml(&t, "a<b>&\"c'\x01\xff\xc3\xa9");
	/* é (c3 a9) is kept, the control byte and the stray 0xff become '?' */
	CHECK_STR_EQ(t.data, "a&lt;b&gt;&amp;&quot;c&#39;??\xc3\xa9");
	augur_strbuf_clear(&t);
	/* a surrogate (ed a0 80) and an overlong form (e0 80 80) are not UTF-8 */
	augur_svg_xml(&t, "\xed\xa0\x80|\xe0\x80\x80");
	CHECK_STR_EQ(t.data, "???|???");
	augur_strbuf_clear(&t);
	/* growth across many appends keeps every byte */
	for (int i = 0; i < 10000; i++)
		augur_strbuf_put(&t, "%d,", i % 10);
	CHECK_EQ_U64(t.len, 20000);
	CHECK(!t.failed);
	CHECK(t.data[19998] == '9');
	augur_strbuf_clear(&t);
}

static void test_ticks(void)
{
	double lo = 0, hi = 87, tk[16];
	size_t n = augur_nice_ticks(&lo, &hi, false, tk, 8);
	/* 87 / 5 = 17.4 -> step 20: 0, 20, ..., 100 */
	CHECK_EQ_U64(n, 6);
	CHECK_NEAR(tk[1], 20, 1e-12);
	CHECK_NEAR(hi, 100, 1e-12);
	lo = 0.013;
	hi = 0.048;
	n = augur_nice_ticks(&lo, &hi, false, tk, 8);
	/* 0.035 / 5 = 0.007 -> step 0.01: 0.01 .. 0.05 */
	CHECK_NEAR(lo, 0.01, 1e-12);
	CHECK_NEAR(hi, 0.05, 1e-12);
	CHECK_EQ_U64(n, 5);
	lo = 3e-4;
	hi = 2.5e3;
	n = augur_nice_ticks(&lo, &hi, true, tk, 9);
	/* decades 1e-4 .. 1e4: 9 ticks */
	CHECK_EQ_U64(n, 9);
	CHECK_NEAR(tk[0], 1e-4, 1e-16);
	CHECK_NEAR(hi, 1e4, 1e-9);
	lo = 1;
	hi = 1e12;
	n = augur_nice_ticks(&lo, &hi, true, tk, 5);
	/* 12 decades in at most 5 ticks: every third decade, 1 .. 1e12 */
	CHECK_EQ_U64(n, 5);
	CHECK_NEAR(tk[1], 1e3, 1e-6);
	CHECK_NEAR(hi, 1e12, 1);
	/* a single value still gives an axis */
	lo = hi = 5;
	n = augur_nice_ticks(&lo, &hi, false, tk, 6);
	CHECK(n >= 2 && lo <= 0 && hi >= 5);
	char b[32];
	augur_num_label(b, sizeof(b), 1500000);
	CHECK_STR_EQ(b, "1.5M");
	augur_num_label(b, sizeof(b), 20000);
	CHECK_STR_EQ(b, "20k");
	augur_num_label(b, sizeof(b), 0.25);
	CHECK_STR_EQ(b, "0.25");
	augur_num_label(b, sizeof(b), 1e-5);
	CHECK_STR_EQ(b, "1e-5");
	augur_num_label(b, sizeof(b), 2.5e-12);
	CHECK_STR_EQ(b, "2.5e-12");
	augur_num_label(b, sizeof(b), 3e15);
	CHECK_STR_EQ(b, "3e15");
	CHECK_STR_EQ(augur_palette(0), "#0072B2");
	CHECK_STR_EQ(augur_palette(AUGUR_PALETTE_SIZE + 1), "#E69F00");
	char col[8];
	augur_sequential(0, col);
	CHECK_STR_EQ(col, "#440154");
	augur_sequential(2, col);
	CHECK_STR_EQ(col, "#fde725");
}

static void test_hbars(void)
{
	const char *rows[] = {"conv1", "fc<6>"};
	const char *series[] = {"GEMM", "memory"};
	const double v[] = {30, 10, 20, 0};
	const char *attrs[] = {"data-a=\"1\"", "data-a=\"2\""};
	const bool marked[] = {false, true};
	struct augur_hbars c = {.title = "t&t",
	                        .x_label = "ms",
	                        .n_rows = 2,
	                        .n_series = 2,
	                        .n_panels = 1,
	                        .rows = rows,
	                        .series = series,
	                        .v = v,
	                        .attrs = attrs,
	                        .marked = marked,
	                        .row_height = 10,
	                        .label_width = 100,
	                        .panel_width = 200};
	struct augur_strbuf t = {0};
	augur_svg_hbars(&t, &c);
	CHECK(!t.failed);
	CHECK_CONTAINS(t.data, "aria-label=\"t&amp;t\"");
	CHECK_CONTAINS(t.data, "fc&lt;6&gt;");
	CHECK_EQ_U64(count(t.data, "<g class=\"bar\""), 2);
	CHECK_CONTAINS(t.data, "data-a=\"2\"");
	/* axis 0..40 over 200 px: conv1's GEMM 30 ms is 150 px wide, starting at x = 100 */
	CHECK_CONTAINS(t.data, "<rect x=\"100.00\" y=\"");
	CHECK_CONTAINS(t.data, "width=\"150.00\"");
	CHECK_CONTAINS(t.data, "width=\"50.00\"");
	/* fc<6> is marked: a dashed outline 100 px wide (20 ms) */
	CHECK_CONTAINS(t.data, "width=\"100.00\" height=\"8.0\" fill=\"none\"");
	CHECK_EQ_U64(count(t.data, "<svg"), count(t.data, "</svg>"));
	augur_strbuf_clear(&t);
}

static void test_xy(void)
{
	const double x[] = {1, 10, 100, -1}, y[] = {2, 20, 200, 5};
	const char *titles[] = {"a", "b", "c", "d"};
	struct augur_series s = {"pts", AUGUR_MARK_DOT, 0, 4, x, y, titles, NULL, false};
	struct augur_rule r = {false, 50, 0, "budget", 5, "data-budget=\"50\""};
	struct augur_xy c = {.title = "xy",
	                     .x_label = "x",
	                     .y_label = "y",
	                     .x_log = true,
	                     .y_log = true,
	                     .width = 400,
	                     .height = 300,
	                     .n_series = 1,
	                     .series = &s,
	                     .n_rules = 1,
	                     .rules = &r};
	struct augur_strbuf t = {0};
	augur_svg_xy(&t, &c);
	CHECK(!t.failed);
	/* the point at x = -1 cannot be drawn on a log axis */
	CHECK_EQ_U64(count(t.data, "<circle"), 3);
	CHECK_CONTAINS(t.data, "data-budget=\"50\"");
	/* x: decades 1..100 over [70, 380]: x = 10 at 225 */
	CHECK_CONTAINS(t.data, "<circle cx=\"225.0\"");
	augur_strbuf_clear(&t);
	const double cx[] = {0, 1, 2}, cy[] = {1, 2, 3}, cy2[] = {2, 4, 6};
	const char *cats[] = {"a", "b", "c"};
	struct augur_series areas[2] = {{"w", AUGUR_MARK_AREA, 0, 3, cx, cy, NULL, NULL, false},
	                                {"d", AUGUR_MARK_AREA, 1, 3, cx, cy2, NULL, NULL, false}};
	struct augur_xy c2 = {.title = "area",
	                      .x_label = "layer",
	                      .y_label = "MiB",
	                      .n_series = 2,
	                      .series = areas,
	                      .n_categories = 3,
	                      .categories = cats,
	                      .y_from_zero = true};
	augur_svg_xy(&t, &c2);
	CHECK_EQ_U64(count(t.data, "fill-opacity=\"0.85\""), 2);
	augur_strbuf_clear(&t);
}

static void test_heat(void)
{
	const char *rows[] = {"r1", "r2"}, *cols[] = {"c1", "c2", "c3"};
	const double v[] = {1, 2, 3, 4, 5, 6};
	const bool marked[] = {false, false, false, false, false, true};
	struct augur_heat h = {"heat", "rows", "cols", "ms", 2, 3, rows, cols, v, NULL, marked};
	struct augur_strbuf t = {0};
	augur_svg_heat(&t, &h);
	CHECK_EQ_U64(count(t.data, "<g class=\"cell\""), 6);
	/* the lowest cell is viridis' first colour, the highest its last */
	CHECK_CONTAINS(t.data, "fill=\"#440154\" stroke=\"none\"");
	CHECK_CONTAINS(t.data, "fill=\"#fde725\" stroke=\"#D55E00\"");
	augur_strbuf_clear(&t);
}

int main(void)
{
	test_escape();
	test_ticks();
	test_hbars();
	test_xy();
	test_heat();
	return check_finish();
}
