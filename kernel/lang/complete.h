/* complete: what the frontend asks about code that is not run: is it
 * complete, how can the word at the cursor be completed, what is the name
 * under the cursor. Cursor positions count Unicode code points, as the
 * Jupyter protocol does; the code is UTF-8. */
#ifndef COMPLETE_H
#define COMPLETE_H

#include <jansson.h>

#include "desc.h"
#include "env.h"

/* is_complete_reply content: {"status": "complete"} | {"status":
 * "incomplete", "indent": "" or "    "} | {"status": "invalid"}. New
 * reference; NULL on OOM. */
json_t *complete_is_complete(const lang_library *lib, const char *code);

/* complete_reply content without "status": matches (parameter names as
 * "name=" inside a call or after a command's comma, file names inside a
 * string, else keywords, defined names and builtins), cursor_start,
 * cursor_end, metadata. New reference; NULL on OOM. */
json_t *complete_matches(const lang_library *lib, const env *en,
                         const char *code, int cursor_pos);

/* inspect_reply content without "status": found, data (the documentation
 * of the builtin, or the description of the defined name, under the
 * cursor or of the call the cursor is in), metadata. NULL on OOM. */
json_t *complete_inspect(const lang_library *lib, const env *en,
                         const char *code, int cursor_pos);

#endif
