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

/* ---- a fixture for Check tests of the language ------------------------
 * fake_open() (a test's setup) makes a fresh interpreter, fake_it, and a
 * fresh recorder, fake_rec, never interrupted and without input;
 * fake_close() (its teardown) frees both. */
extern interp *fake_it;
extern fake_out fake_rec;
void fake_open(void);
void fake_close(void);

/* Runs code on fake_it, failing the test unless it succeeds. */
void fake_ok(const char *code);

/* Runs code on fake_it, failing the test unless it fails with an error
 * named ename and, when evalue is not NULL, exactly that message. Returns
 * the message, valid until the next call. */
const char *fake_fails(const char *code, const char *ename,
                       const char *evalue);

/* The traceback joined by '\n' with ANSI colour codes removed (malloc'd). */
char *plain_traceback(const interp_reply *r);

#endif
