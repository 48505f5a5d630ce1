/* fitlive: what a fit shows inside a long epoch.
 *
 * An epoch of 60,000 images takes seconds: between two epochs the live
 * chart would stand still. fitlive keeps the mean of the batch losses of
 * the epoch under way and says when the live chart is due for a redraw
 * (every FITLIVE_GAP seconds within an epoch) and what its title says
 * then: how far the epoch is and its loss so far. fit.c draws it. */
#ifndef FITLIVE_H
#define FITLIVE_H

#include "nn_train.h"

#define FITLIVE_GAP 1.0  /* seconds between two redraws within an epoch */

typedef struct fitlive {
    int epoch;          /* the epoch the sums are of */
    double sum;         /* of its batch losses so far */
    int steps;          /* batches counted */
    double last;        /* when the chart was last drawn (seconds) */
} fitlive;

/* A fresh state: nothing counted, the chart drawn at time `now`. */
void fitlive_start(fitlive *l, double now);

/* Notes that the live chart was drawn at time `now` (at an epoch's end):
 * the next redraw within an epoch waits FITLIVE_GAP from then, so a fit
 * of short epochs never redraws within one. */
void fitlive_drawn(fitlive *l, double now);

/* Counts the step p reports (a new epoch starts the sums again). */
void fitlive_step(fitlive *l, const nn_progress *p);

/* Whether, at time `now`, the chart is due for a redraw within the epoch
 * of p: not on an epoch's last step (the epoch's own redraw comes then),
 * and FITLIVE_GAP seconds after the last drawing, which it notes. */
int fitlive_due(fitlive *l, const nn_progress *p, double now);

/* The title's state then: " (live: 45% of epoch 3, loss so far 0.4123)".
 * malloc'd; NULL on OOM. */
char *fitlive_state(const fitlive *l, const nn_progress *p);

#endif
