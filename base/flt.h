/* flt: which numbers a float holds.
 *
 * The engine computes in float; numbers come in as double (strtod, the
 * language's values). A double fits when it rounds to a finite float,
 * which is a little past FLT_MAX: FLT_MAX printed by %.9g
 * ("3.40282347e+38") or as the shortest text that reads back as it
 * ("3.4028235e+38") reads as a double above FLT_MAX, and must still be
 * taken. Going the other way, flt_text writes a float in the fewest
 * digits that read back as it. */
#ifndef FLT_H
#define FLT_H

#include <stddef.h>

/* The bytes flt_text needs at most ("-1.17549435e-38" and its NUL). */
#define FLT_TEXT_MAX 16

/* 1 when v rounds to a finite float; 0 for larger magnitudes, infinities
 * and NaN. The bound is FLT_MAX plus half its ulp, 2^128 - 2^103: the
 * smallest magnitude that rounds to infinity (the tie goes to the even
 * neighbour, infinity). When it returns 1, |(float)v| <= FLT_MAX. */
static inline int flt_fits(double v)
{
    return v > -0x1.ffffffp127 && v < 0x1.ffffffp127;
}

/* Writes x into buf (FLT_TEXT_MAX bytes) as %g with the fewest digits, 6
 * to 9, that read back as x through strtod and then (float), as every
 * reader of numbers here does: 0.1f as "0.1", FLT_MAX as "3.4028235e+38",
 * -0 as "-0". %g drops trailing zeros, so 6 digits cover the short ones.
 * NaN and infinities come out as "nan", "inf" and "-inf". Returns buf. */
char *flt_text(char *buf, float x);

#endif
