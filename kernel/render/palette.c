#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "palette.h"

/* Okabe-Ito's blue, orange, bluish green, reddish purple, sky blue,
 * vermillion and yellow; Tol's indigo and wine; Okabe-Ito's black. */
static const char *const colors[PALETTE_N] = {
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9",
    "#d55e00", "#f0e442", "#332288", "#882255", "#000000",
};
#define NO_CLASS_COLOR "#7f7f7f"

const char *palette_class(int c)
{
    return c < 0 ? NO_CLASS_COLOR : colors[c % PALETTE_N];
}

unsigned palette_class_rgb(int c)
{
    return (unsigned)strtoul(palette_class(c) + 1, NULL, 16);
}

unsigned palette_mix(unsigned a, unsigned b, double t)
{
    assert(t >= 0 && t <= 1);
    unsigned r = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double x = (a >> sh & 0xFF) * (1 - t) + (b >> sh & 0xFF) * t;
        r |= (unsigned)lround(x) << sh;
    }
    return r;
}

const char *palette_name(const char *const *names, int c, char buf[24])
{
    assert(buf && (!names || c >= 0));
    if (names && names[c])
        return names[c];
    snprintf(buf, 24, "class %d", c);
    return buf;
}

size_t palette_put_name(sb *b, const char *const *names, int c,
                        esc_mode mode)
{
    char t[24];
    return esc_put(b, palette_name(names, c, t), mode, SIZE_MAX);
}
