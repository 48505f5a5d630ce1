/* fake_out: an interp_out for tests that records what a cell writes. */
#ifndef FAKE_OUT_H
#define FAKE_OUT_H

#include "lang.h"

typedef struct fake_out {
    char *out;              /* everything written to stdout */
    char *err;              /* everything written to stderr */
    json_t *displays;       /* [{data, display_id, update}] */
    int clears;
    int interrupt_after;    /* interrupted() turns true after this many calls; -1 never */
    int polls;
    const char *input;      /* what input() answers; NULL = not allowed */
    char *prompt;           /* the last prompt */
} fake_out;

/* A fresh recorder (never interrupted, no input allowed) and the
 * interp_out that writes to it. */
void fake_init(fake_out *f, interp_out *o);

/* Frees what f recorded; f can be initialised again. */
void fake_free(fake_out *f);

/* Runs code on `it` with a fresh recorder f (freed first). */
void fake_run(interp *it, fake_out *f, const char *code, interp_reply *r);

/* Frees the fields of a reply and zeroes it. */
void reply_free(interp_reply *r);

/* The `mime` entry of display i (from the end when negative: -1 is the
 * last), borrowed; "" when there is none. */
const char *fake_shown(const fake_out *f, int i, const char *mime);

/* The text/plain of the last display (borrowed), or "". */
const char *fake_last_text(const fake_out *f);

/* The text/html of the last display (borrowed), or "". */
const char *fake_last_html(const fake_out *f);

/* The traceback joined by '\n' with ANSI colour codes removed (malloc'd). */
char *plain_traceback(const interp_reply *r);

#endif
