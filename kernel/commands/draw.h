/* draw: the `draw net [on data]` command, and the diagram of a net that
 * fit can show live.
 *
 * The diagram is netdraw.h's: one column of nodes per layer, connections
 * coloured by the sign of their weight and as thick as it is large, inputs
 * named by the features and outputs by the classes of the data the net
 * was fit on ("x1".., "0".. before). Over data with two features each
 * neuron also shows what it responds to: its output as a heatmap over the
 * plane the data spans. */
#ifndef DRAW_H
#define DRAW_H

#include "builtin.h"

/* The draw family: `draw net [on data]` displays the diagram of the net,
 * with heatmaps over the plane of `data` when it is given; it fails with
 * a TypeError for arguments of the wrong kind, a ValueError for a net not
 * built yet (neither fit nor started with input(d)), a ShapeError for
 * data without exactly two features or a net that does not take two. Raw
 * data shown to a net fit on standardized data is standardized with the
 * net's scaler first. */
extern const builtin_family draw_family;

/* Renders net n (built: n->model set) and sends it with show_plot() as
 * display_data (update = 0) or update_display_data (update = 1) under
 * display_id (may be NULL). `plane` (or NULL): data with two features, in
 * the coordinates the net takes (standardized if the net was fit on
 * standardized data), over whose range heatmaps are drawn. The net's model
 * is not changed (heatmaps are computed on a copy, in eval mode), so fit
 * may call this between steps. Returns 0, or -1 with the error in run->e at
 * the running statement: a ValueError for a net not built, a ShapeError
 * for a plane that is not 2-D or a net that does not take 2 inputs, a
 * MemoryError. */
int draw_show(lang_run *run, net_value *n, const nn_data *plane,
              const char *display_id, int update);

#endif
