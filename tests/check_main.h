/* check_main: the main() every Check test program shares, and the
 * helpers several of them use. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>

/* Runs every test of s (CK_NORMAL output) and frees s. Returns
 * EXIT_SUCCESS when all passed, else EXIT_FAILURE: the exit status for
 * main. */
int check_main_run(Suite *s);

/* How many times sub occurs in s, not overlapping. */
int check_count(const char *s, const char *sub);

#endif
