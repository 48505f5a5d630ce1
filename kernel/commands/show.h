/* show: how values look in a notebook: data sets, nets (a Keras-like
 * summary), the list of defined names, tables; and the helper that sends a
 * text/html + text/plain bundle through interp_out. */
#ifndef SHOW_H
#define SHOW_H

#include <jansson.h>

#include "eval.h"

/* The mime bundle of a value shown as a cell result: text/plain always,
 * text/html too for data sets and nets. New reference; NULL on OOM. */
json_t *show_bundle(const value *v);

/* Sends {"text/html": html, "text/plain": text} as display_data
 * (update = 0) or update_display_data (update = 1) with display_id (may be
 * NULL). Takes both strings (malloc'd; freed here). Either may be NULL
 * when making it failed: then nothing is sent. Returns 0, or -1 with a
 * MemoryError at the running statement. */
int show_display(lang_run *run, char *html, char *text, const char *display_id,
                 int update);

/* Sends a plot as display_data (update = 0) or update_display_data
 * (update = 1) with display_id (may be NULL): the bundle carries the SVG
 * in an <img> as "text/html" (what Notebook, JupyterLab, VS Code and
 * nbconvert's HTML export render) and `text` as "text/plain"; a
 * display_data carries the SVG as "image/svg+xml" too, an update does not
 * (a live chart sends up to five a second; each renders the same). Takes both
 * strings (malloc'd; freed here); either may be NULL when making it failed:
 * then nothing is sent. Returns 0, or -1 with a MemoryError at the running
 * statement. */
int show_plot(lang_run *run, char *svg, char *text, const char *display_id,
              int update);

/* Empties the display display_id (not NULL) through update_display_data
 * with an empty text/plain: where a live plot stood, a client that
 * honours updates shows nothing. Returns 0, or -1 with a MemoryError at
 * the running statement. */
int show_clear(lang_run *run, const char *display_id);

/* The scatter plot of data set d, feature fx across and fy up, coloured
 * by class, as SVG and text (malloc'd for the caller). Returns 0, or -1
 * with both NULL on OOM. */
int show_scatter(const nn_data *d, int fx, int fy, char **svg, char **text);

/* Displays the table of defined names (name, kind, description), or a
 * line saying there are none. Returns 0, or -1 with a MemoryError. */
int show_names(lang_run *run);

/* The summary table of a net (layers, output shapes, parameters) as HTML
 * and text, both malloc'd for the caller. Returns 0, or -1 with both NULL
 * on OOM. */
int show_summary(const value *net, char **html, char **text);

/* A table of `rows` x `cols` cells (row-major, borrowed) under `head`, as
 * HTML and text (table_html/table_text), both malloc'd for the
 * caller. Returns 0, or -1 with both NULL on OOM. */
int show_table(const char *const *head, char *const *cells, int rows,
               int cols, char **html, char **text);

/* For code that makes a pair of forms (HTML or SVG, and text) and hands
 * on both or neither: returns 0 when both *a and *b were made; else frees
 * whichever was, sets both to NULL and returns -1. */
int show_both_or_neither(char **a, char **b);

#endif
