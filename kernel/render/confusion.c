/* confusion: the HTML form shades each cell from white towards class 0's
 * colour by its share of the row; the text form is a table of table.h
 * with the true classes down the side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "confusion.h"
#include "esc.h"
#include "palette.h"
#include "sb.h"
#include "table.h"

char *confusion_html(const int *cm, int k, const char *const *names)
{
    sb b = {0};
    k = cm && k > 0 ? k : 0;
    unsigned rgb = palette_class_rgb(0);
    sb_str(&b, "<table style=\"border-collapse:collapse;"
               "font-variant-numeric:tabular-nums\">\n");
    if (k) {
        sb_fmt(&b, "<tr><th></th><th colspan=\"%d\" style=\"text-align:center;"
                   TABLE_PAD "\">predicted</th></tr>\n<tr><th style=\""
                   "text-align:left;" TABLE_PAD "\">true</th>", k);
        for (int c = 0; c < k; c++) {
            sb_str(&b, "<th style=\"text-align:right;" TABLE_PAD "\">");
            palette_put_name(&b, names, c, ESC_MARKUP);
            sb_str(&b, "</th>");
        }
        sb_str(&b, "</tr>\n");
    }
    for (int r = 0; r < k; r++) {
        const int *row = cm + (size_t)r * (size_t)k;
        double total = 0;
        for (int c = 0; c < k; c++)
            total += row[c] > 0 ? row[c] : 0;
        sb_str(&b, "<tr><th style=\"text-align:left;" TABLE_PAD "\">");
        palette_put_name(&b, names, r, ESC_MARKUP);
        sb_str(&b, "</th>");
        for (int c = 0; c < k; c++) {
            double a = total > 0 && row[c] > 0 ? row[c] / total : 0;
            unsigned mix[3];
            for (int ch = 0; ch < 3; ch++) {
                double base = (rgb >> (16 - 8 * ch)) & 0xFF;
                mix[ch] = (unsigned)lround(255 + (base - 255) * a);
            }
            sb_fmt(&b, "<td title=\"%.1f%% of true row\" style=\"text-align:"
                       "right;" TABLE_PAD ";border:1px solid #fff;"
                       "background:#%02x%02x%02x;color:%s\">%d</td>",
                   100 * a, mix[0], mix[1], mix[2],
                   a > 0.55 ? "#fff" : "#222", row[c]);
        }
        sb_str(&b, "</tr>\n");
    }
    sb_str(&b, "</table>\n");
    return sb_done(&b);
}

char *confusion_text(const int *cm, int k, const char *const *names)
{
    k = cm && k > 0 ? k : 0;
    size_t cols = (size_t)k + 1;
    const char **strs = calloc(cols * cols, sizeof *strs);
    char (*text)[24] = malloc(cols * cols * sizeof *text);
    char *table = NULL;
    if (strs && text) {
        /* cell (r, c) of the table, the header being row 0 */
        for (size_t r = 0; r < cols; r++) {
            for (size_t c = 0; c < cols; c++) {
                char *t = text[r * cols + c];
                const char **slot = &strs[r * cols + c];
                if (r && c) {
                    snprintf(t, sizeof *text, "%d",
                             cm[(r - 1) * (size_t)k + c - 1]);
                    *slot = t;
                } else if (r || c) {
                    *slot = palette_name(names, (int)(r ? r : c) - 1, t);
                } else {
                    *slot = "true \\ predicted";
                }
            }
        }
        table = table_text(strs, strs + cols, k, (int)cols);
    }
    free(strs);
    free(text);
    return table;
}

