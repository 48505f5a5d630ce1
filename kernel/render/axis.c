#include <assert.h>
#include <math.h>
#include <stdio.h>

#include "axis.h"

int axis_too_narrow(double lo, double hi)
{
    return hi - lo < 1e-6 * fmax(fabs(lo), fabs(hi));
}

int axis_ticks(double lo, double hi, int max_ticks, double *ticks,
               double *step)
{
    if (!isfinite(lo) || !isfinite(hi) || !(hi > lo) || max_ticks < 1
        || !isfinite(hi - lo) || axis_too_narrow(lo, hi))
        return 0;
    assert(ticks);
    static const double mult[] = {1, 2, 5};
    for (double e = floor(log10((hi - lo) / max_ticks)) - 1;; e++) {
        for (int m = 0; m < 3; m++) {
            double s = mult[m] * pow(10, e);
            if (!isfinite(s))
                return 0;
            double i0 = ceil(lo / s - 1e-9), i1 = floor(hi / s + 1e-9);
            double count = i1 - i0 + 1;
            if (count > max_ticks)
                continue;
            int n = (int)count;
            for (int i = 0; i < n; i++) {
                double v = (i0 + i) * s;
                ticks[i] = fabs(v) < s * 1e-9 ? 0 : v;
            }
            if (step)
                *step = s;
            return n;
        }
    }
}

void axis_tick_label(double v, double step, char *out, size_t n)
{
    assert(out);
    double mag = fmax(fabs(v), step);
    if (mag >= 1e6 || step < 1e-4) {
        int sig = (int)floor(log10(mag)) - (int)floor(log10(step)) + 1;
        sig = sig < 1 ? 1 : sig > 17 ? 17 : sig;
        snprintf(out, n, "%.*g", sig, v);
    } else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        snprintf(out, n, "%.*f", dec, v);
    }
}

void axis_fit(axis *a, double lo, double hi, double pad, int max_ticks)
{
    assert(a && max_ticks >= 1 && max_ticks <= AXIS_MAX_TICKS);
    if (!(lo <= hi)) {
        lo = 0;
        hi = 1;
    } else if (hi == lo || axis_too_narrow(lo, hi)) {
        double d = lo != 0 ? fabs(lo) * 0.1 : 1;
        lo -= d;
        hi += d;
    } else {
        double d = (hi - lo) * pad;
        lo -= d;
        hi += d;
    }
    a->lo = lo;
    a->hi = hi;
    a->nt = axis_ticks(lo, hi, max_ticks, a->t, &a->step);
}

void axis_extend(const float *v, int n, double *lo, double *hi)
{
    assert(lo && hi);
    for (int i = 0; v && i < n; i++) {
        if (isfinite(v[i])) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
    }
}
