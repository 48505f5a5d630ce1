/* table: both forms scan the cells once per column to tell numeric
 * columns; the text form measures every cell first (esc_width) to pad. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "esc.h"
#include "sb.h"
#include "table.h"

/* A number as a user would write one: "3", "-0.25", "1e-3", "97.5%". */
static int numeric(const char *s)
{
    if (!s || !*s)
        return 0;
    char *end;
    strtod(s, &end);
    if (end == s)
        return 0;
    if (*end == '%')
        end++;
    return *end == '\0';
}

static const char *cell(const char *const *cells, int cols, int r, int c)
{
    const char *s = cells[(size_t)r * (size_t)cols + (size_t)c];
    return s ? s : "";
}

/* A column is numeric (header right-aligned too) when every non-empty
 * cell in it is, and one is. */
static int numeric_column(const char *const *cells, int rows, int cols, int c)
{
    int seen = 0;
    for (int r = 0; r < rows; r++) {
        const char *s = cell(cells, cols, r, c);
        if (!*s)
            continue;
        if (!numeric(s))
            return 0;
        seen = 1;
    }
    return seen;
}

static void html_cell(sb *b, const char *tag, const char *s, int right)
{
    sb_fmt(b, "<%s style=\"text-align:%s;" TABLE_PAD "\">", tag,
           right ? "right" : "left");
    esc_put(b, s, ESC_MARKUP, SIZE_MAX);
    sb_fmt(b, "</%s>", tag);
}

char *table_html(const char *const *header, const char *const *cells,
                 int rows, int cols)
{
    sb b = {0};
    cols = cols > 0 ? cols : 0;
    rows = rows > 0 && cells ? rows : 0;
    sb_str(&b, "<table style=\"border-collapse:collapse;"
               "font-variant-numeric:tabular-nums\">\n");
    if (header) {
        sb_str(&b, "<thead><tr>");
        for (int c = 0; c < cols; c++)
            html_cell(&b, "th", header[c],
                      numeric_column(cells, rows, cols, c));
        sb_str(&b, "</tr></thead>\n");
    }
    sb_str(&b, "<tbody>\n");
    for (int r = 0; r < rows; r++) {
        sb_str(&b, "<tr>");
        for (int c = 0; c < cols; c++) {
            const char *s = cell(cells, cols, r, c);
            html_cell(&b, "td", s, numeric(s));
        }
        sb_str(&b, "</tr>\n");
    }
    sb_str(&b, "</tbody></table>\n");
    return sb_done(&b);
}

/* Appends s padded to `width` characters; the last column of a line gets
 * no trailing spaces. */
static void text_cell(sb *b, const char *s, size_t width, int right,
                      int last)
{
    size_t n = esc_width(s);
    for (size_t i = n; right && i < width; i++)
        sb_put(b, " ", 1);
    esc_put(b, s, ESC_PLAIN, SIZE_MAX);
    for (size_t i = n; !right && !last && i < width; i++)
        sb_put(b, " ", 1);
}

char *table_text(const char *const *header, const char *const *cells,
                      int rows, int cols)
{
    sb b = {0};
    cols = cols > 0 ? cols : 0;
    rows = rows > 0 && cells ? rows : 0;
    size_t *width = calloc((size_t)cols + 1, sizeof *width);
    int *right = calloc((size_t)cols + 1, sizeof *right);
    if (!width || !right) {
        free(width);
        free(right);
        return NULL;
    }
    for (int c = 0; c < cols; c++) {
        right[c] = numeric_column(cells, rows, cols, c);
        width[c] = header ? esc_width(header[c]) : 0;
        for (int r = 0; r < rows; r++) {
            size_t w = esc_width(cell(cells, cols, r, c));
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (int r = header ? -2 : 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
            if (c)
                sb_put(&b, "  ", 2);
            if (r == -1) {
                for (size_t i = 0; i < width[c]; i++)
                    sb_put(&b, "-", 1);
            } else {
                const char *s = r == -2 ? header[c] : cell(cells, cols, r, c);
                text_cell(&b, s, width[c],
                          r == -2 ? right[c] : numeric(s), c == cols - 1);
            }
        }
        while (b.len && !b.failed && b.s[b.len - 1] == ' ')
            b.len--;
        if (r + 1 < rows)
            sb_put(&b, "\n", 1);
    }
    free(width);
    free(right);
    return sb_done(&b);
}

char *table_fixed(double v, int digits)
{
    return isnan(v) ? sb_printf("nan") : sb_printf("%.*f", digits, v);
}

char *table_general(double v, int digits)
{
    return isnan(v) ? sb_printf("nan") : sb_printf("%.*g", digits, v);
}
