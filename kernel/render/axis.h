/* axis: the range of a chart's axis and its ticks: "nice" values (1, 2 or
 * 5 times a power of ten apart) labelled with the decimals their step
 * needs. Pure arithmetic: knows nothing of SVG. */
#ifndef AXIS_H
#define AXIS_H

#include <stddef.h>

#define AXIS_MAX_TICKS 10

/* An axis from lo to hi with nt ticks t[] a step apart. */
typedef struct axis {
    double lo, hi, step;
    double t[AXIS_MAX_TICKS];
    int nt;
} axis;

/* Axis ticks: the densest "nice" values (multiples of a step of 1, 2 or 5
 * times a power of ten) of which at most max_ticks lie in [lo, hi]. Writes
 * them ascending to ticks[] (room for max_ticks), the step to *step (may be
 * NULL), and returns their count: 0 when lo or hi is not finite, hi <= lo,
 * the range is below 1e-6 of its magnitude, or max_ticks < 1. With
 * max_ticks >= 3 at least one tick is returned. ticks may be NULL only
 * when max_ticks < 1. */
int axis_ticks(double lo, double hi, int max_ticks, double *ticks,
               double *step);

/* Formats tick v of an axis whose ticks are `step` apart with the decimals
 * the step needs ("0.2", "15", "0.05"), or in exponent form ("2e+06") for
 * magnitudes from 1e6 or steps below 1e-4. Writes at most n bytes to out
 * (not NULL), NUL-terminated. */
void axis_tick_label(double v, double step, char *out, size_t n);

/* Whether [lo, hi] is too narrow for its magnitude to be told apart from
 * a single value (narrower than 1e-6 of it): finer than float data can
 * resolve, and beyond what evenly spaced double ticks can represent. */
int axis_too_narrow(double lo, double hi);

/* Fits *a to data spanning [lo, hi] (lo > hi or NaN: no data, shown as
 * 0..1), widened by `pad` of the span on each side; a single value (or a
 * range too narrow to tell from one) gets a margin of 10% of its
 * magnitude (1 around zero). Then at most max_ticks (1..AXIS_MAX_TICKS)
 * ticks. */
void axis_fit(axis *a, double lo, double hi, double pad, int max_ticks);

/* Widens [*lo, *hi] to take in the finite values among v[0..n) (v may
 * be NULL: none). Start from lo = INFINITY, hi = -INFINITY. */
void axis_extend(const float *v, int n, double *lo, double *hi);

#endif
