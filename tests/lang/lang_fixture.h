/* lang_fixture: the Check fixture of the language tests: a fresh
 * interpreter and recorder per test, and helpers that run cells on them. */
#ifndef LANG_FIXTURE_H
#define LANG_FIXTURE_H

#include "fake_out.h"

/* fake_open() (a test's setup) makes a fresh interpreter, fake_it, and a
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

/* Runs code on fake_it; fails the test unless it succeeds with a
 * text/plain result equal to `want`. */
void fake_shows(const char *code, const char *want);

#endif
