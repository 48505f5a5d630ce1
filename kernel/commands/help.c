#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs.h"
#include "help.h"
#include "show.h"

/* ---- help and names -------------------------------------------------- */

static value *run_help(lang_run *run, const args *a)
{
    const char *topic;
    if (arg_str(run, a, "topic", &topic) < 0)
        return NULL;
    const builtin *fn = topic ? library_find(run->lib, topic) : NULL;
    char *text = fn ? docs_builtin(fn)
               : topic ? docs_section(topic) : strdup(docs_all());
    if (!text) {
        if (topic && !fn && !docs_has(topic)) {
            int len, pos = arg_pos(a, "topic", &len);
            lang_err_set(run->e, "NameError", pos, len,
                         "no help on '%s'", topic);
            const char *cands[256];
            int k = 0;
            for (int i = 0, n = library_count(run->lib); i < n && k < 256; i++)
                cands[k++] = library_nth(run->lib, i)->name;
            diag_suggest(run->e, topic, cands, k);
            return NULL;
        }
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    /* shown in the cell's output, as Markdown and as plain text, so every
     * frontend (and a notebook saved or run by nbclient) keeps it */
    char *plain = docs_plain(text);
    json_t *page = plain ? json_pack("{s:s, s:s}", "text/markdown", text,
                                     "text/plain", plain)
                         : NULL;
    free(text);
    free(plain);
    if (!page) {
        lang_err_oom(run->e, a->call->pos);
        return NULL;
    }
    run->out->display(run->out->ctx, page, NULL, NULL, 0);
    json_decref(page);
    return builtin_none(run, a);
}

static value *run_names(lang_run *run, const args *a)
{
    if (show_names(run) < 0)
        return NULL;
    return builtin_none(run, a);
}

/* ---- the family ---------------------------------------------------- */

static const param p_none[] = { PARAM_END };
static const param p_help[] = {
    PARAM_STR("topic", NULL, "a builtin's name (left out: everything)"),
    PARAM_END
};

static const builtin table[] = {
    { "help", B_COMMAND, p_help, 0, 0, run_help,
      "shows the language reference, or the section on one builtin",
      { NULL, 0, 0, "help  or  help fit", 1 } },
    { "names", B_COMMAND, p_none, 0, 0, run_names,
      "lists the names the session has defined",
      { NULL, 0, 0, "names", 0 } },
};

const builtin_family help_family = {
    "help", table, sizeof table / sizeof *table
};
