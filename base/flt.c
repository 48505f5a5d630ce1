#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "flt.h"

char *flt_text(char *buf, float x)
{
    assert(buf);
    if (!isfinite(x)) {
        snprintf(buf, FLT_TEXT_MAX, "%s", isnan(x) ? "nan" : x > 0 ? "inf"
                                                                   : "-inf");
        return buf;
    }
    /* 9 digits always read back, even through a double */
    for (int digits = 6; digits <= 9; digits++) {
        snprintf(buf, FLT_TEXT_MAX, "%.*g", digits, (double)x);
        if ((float)strtod(buf, NULL) == x)
            break;
    }
    return buf;
}
