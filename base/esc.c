#include <assert.h>
#include <stdint.h>

#include "esc.h"
#include "utf8.h"

size_t esc_put(sb *b, const char *s, esc_mode mode, size_t max)
{
    assert(mode == ESC_PLAIN || mode == ESC_MARKUP || mode == ESC_MARKUP_NUM);
    size_t width = 0;
    const char *p = s ? s : "";
    while (*p) {
        if (width == max) {
            if (b)
                sb_str(b, "\xE2\x80\xA6");
            return width + 1;
        }
        int n = utf8_decode(p, NULL);
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        if (n == 0) {
            rep = "\xEF\xBF\xBD";
            n = 1;
        } else if (c < 0x20 || c == 0x7F) {
            rep = " ";
        } else if (mode == ESC_MARKUP) {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            }
        } else if (mode == ESC_MARKUP_NUM) {
            switch (c) {
            case '&': rep = "&#38;"; break;
            case '<': rep = "&#60;"; break;
            case '>': rep = "&#62;"; break;
            case '"': rep = "&#34;"; break;
            case '\'': rep = "&#39;"; break;
            }
        }
        if (b) {
            if (rep)
                sb_str(b, rep);
            else
                sb_put(b, p, (size_t)n);
        }
        p += n;
        width++;
    }
    return width;
}

size_t esc_width(const char *s)
{
    return esc_put(NULL, s, ESC_PLAIN, SIZE_MAX);
}

char *esc_html(const char *s)
{
    sb b = {0};
    esc_put(&b, s, ESC_MARKUP, SIZE_MAX);
    return sb_done(&b);
}
