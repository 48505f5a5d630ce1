/* help: the commands that describe the session: help [topic] (the
 * language reference, whole or one section, as a pager payload) and names
 * (the table of defined names). */
#ifndef HELP_H
#define HELP_H

#include "builtin.h"

extern const builtin_family help_family;

#endif
