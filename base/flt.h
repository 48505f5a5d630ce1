/* flt: which numbers a float holds.
 *
 * The engine computes in float; numbers come in as double (strtod, the
 * language's values). A double fits when it rounds to a finite float,
 * which is a little past FLT_MAX: FLT_MAX printed by %.9g
 * ("3.40282347e+38") or as the shortest text that reads back as it
 * ("3.4028235e+38") reads as a double above FLT_MAX, and must still be
 * taken. */
#ifndef FLT_H
#define FLT_H

/* 1 when v rounds to a finite float; 0 for larger magnitudes, infinities
 * and NaN. The bound is FLT_MAX plus half its ulp, 2^128 - 2^103: the
 * smallest magnitude that rounds to infinity (the tie goes to the even
 * neighbour, infinity). When it returns 1, |(float)v| <= FLT_MAX. */
static inline int flt_fits(double v)
{
    return v > -0x1.ffffffp127 && v < 0x1.ffffffp127;
}

#endif
