/* trace: the `trace net on rows, target=...` command: one training step
 * shown layer by layer (forward pass, loss, backward pass, the update the
 * optimizer would make), applied to the net only with apply=true. */
#ifndef TRACE_H
#define TRACE_H

#include "builtin.h"

/* The trace family: its builtin, described in its table. */
extern const builtin_family trace_family;

#endif
