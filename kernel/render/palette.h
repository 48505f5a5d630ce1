/* palette: how every chart shows a class: its colour, the same in every
 * chart and diagram, and its name; and the blending of two colours.
 *
 * The classes' colours are the Okabe-Ito colour-blind-safe palette
 * (Okabe and Ito, "Color Universal Design", 2002) without its black, then
 * two of Paul Tol's (indigo #332288 and wine #882255, from his "muted"
 * scheme) and, tenth, Okabe-Ito's black: hues that readers with the
 * common colour-vision deficiencies tell apart, dark enough to read on a
 * white card in light and dark themes. */
#ifndef PALETTE_H
#define PALETTE_H

#include <stddef.h>

#include "esc.h"
#include "sb.h"

#define PALETTE_N 10  /* colours before they repeat */

/* The colour of class c as "#rrggbb" (a static string): colour c % 10 of
 * the palette above; a negative c gives the grey (#7f7f7f) used for points
 * outside every class. Charts also colour the train and validation curves
 * as classes 0 and 1, and compared runs as classes 0..9. */
const char *palette_class(int c);

/* The same colour as 0xRRGGBB. */
unsigned palette_class_rgb(int c);

/* Colour a (0xRRGGBB) blended towards b by t in [0, 1], channel by
 * channel, rounded. */
unsigned palette_mix(unsigned a, unsigned b, double t);

/* The name class c is shown with: names[c] when names and names[c] are
 * not NULL, else "class c" written to buf, which the result then points
 * to. c must be >= 0 when names is not NULL. */
const char *palette_name(const char *const *names, int c, char buf[24]);

/* Appends that name escaped with esc_put (b may be NULL to measure);
 * returns its width in characters. */
size_t palette_put_name(sb *b, const char *const *names, int c,
                        esc_mode mode);

#endif
