/* fitlive: see fitlive.h. */
#include <assert.h>

#include "fitlive.h"
#include "sb.h"

void fitlive_start(fitlive *l, double now)
{
    assert(l);
    *l = (fitlive){ .epoch = -1, .last = now };
}

void fitlive_drawn(fitlive *l, double now)
{
    assert(l);
    l->last = now;
}

void fitlive_step(fitlive *l, const nn_progress *p)
{
    assert(l && p);
    if (p->epoch != l->epoch) {
        l->epoch = p->epoch;
        l->sum = 0.0;
        l->steps = 0;
    }
    l->sum += p->batch_loss;
    l->steps++;
}

int fitlive_due(fitlive *l, const nn_progress *p, double now)
{
    assert(l && p);
    if (p->epoch_done || p->steps < 2 || now - l->last < FITLIVE_GAP)
        return 0;
    l->last = now;
    return 1;
}

char *fitlive_state(const fitlive *l, const nn_progress *p)
{
    assert(l && p);
    int pct = p->steps > 0 ? (int)(100.0 * p->step / p->steps) : 0;
    return sb_printf(" (live: %d%% of epoch %d, loss so far %.4f)", pct,
                     p->epoch + 1, l->steps ? l->sum / l->steps : 0.0);
}
