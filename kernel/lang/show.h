/* show: how values look in a notebook: data sets, nets (a Keras-like
 * summary), the list of defined names; and the helper that sends a
 * text/html + text/plain bundle through interp_out. */
#ifndef SHOW_H
#define SHOW_H

#include <jansson.h>

#include "eval.h"

/* The mime bundle of a value shown as a cell result: text/plain always,
 * text/html too for data sets and nets. New reference; NULL on OOM. */
json_t *show_bundle(const value *v);

/* Sends show_mime(html, text) as display_data (update = 0) or
 * update_display_data (update = 1) with display_id (may be NULL).
 * Returns 0, or -1 with a MemoryError. */
int show_display(ev *x, char *html, char *text, const char *display_id,
                 int update);

/* Displays the table of defined names (name, kind, description). */
int show_names(ev *x);

/* The summary table of a net as HTML and text (malloc'd; both NULL on
 * OOM). */
int show_summary(const value *net, char **html, char **text);

#endif
