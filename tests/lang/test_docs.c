/* docs/language.md against the descriptors of the builtins: every builtin
 * has a section, every parameter is in it (an option as name=default,
 * with the descriptor's default), every section is of a builtin; and
 * help shows what the descriptor says. */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "check_main.h"
#include "docs.h"
#include "lang_fixture.h"
#include "library.h"
#include "registry.h"

/* Nonzero when `word` occurs in s as a whole word. */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
        int before = p == s
                     || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = !(isalnum((unsigned char)p[n]) || p[n] == '_');
        if (before && after)
            return 1;
    }
    return 0;
}

/* Nonzero when parameter i of fn is written as a part of its command
 * (fit NET on DATA, plot WHAT on DATA, help TOPIC), not as name=value. */
static int is_command_part(const builtin *fn, int i)
{
    if (fn->kind != B_COMMAND)
        return 0;
    return i < (fn->syntax.link ? 2 : 1);
}

START_TEST(every_builtin_has_a_section)
{
    const lang_library *lib = &commands_library;
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *fn = library_nth(lib, i);
        ck_assert_msg(docs_has(fn->name),
                      "docs/language.md has no section \"### %s\"",
                      fn->name);
        ck_assert_msg(fn->doc && fn->doc[0], "%s has no one-line doc",
                      fn->name);
        ck_assert_msg(fn->kind != B_COMMAND || fn->syntax.example,
                      "command %s has no example", fn->name);
    }
}
END_TEST

/* A name is one builtin: two families giving the same name would make
 * one of them unreachable. */
START_TEST(every_builtin_name_is_unique)
{
    const lang_library *lib = &commands_library;
    for (int i = 0, n = library_count(lib); i < n; i++)
        for (int j = i + 1; j < n; j++)
            ck_assert_msg(strcmp(library_nth(lib, i)->name,
                                 library_nth(lib, j)->name) != 0,
                          "two builtins are called %s",
                          library_nth(lib, i)->name);
    /* and the binder has room for every parameter of each */
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *fn = library_nth(lib, i);
        int k = 0;
        while (fn->params[k].name)
            k++;
        ck_assert_msg(k <= BUILTIN_MAX_PARAMS, "%s has %d parameters, more "
                      "than BUILTIN_MAX_PARAMS", fn->name, k);
    }
    /* a choice's default is one of its choices (arg_choice asserts it) */
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *fn = library_nth(lib, i);
        for (const param *p = fn->params; p->name; p++) {
            if (p->kind != P_CHOICE)
                continue;
            int found = 0;
            for (int c = 0; p->choices[c]; c++)
                found |= strcmp(p->choices[c], p->text) == 0;
            ck_assert_msg(found, "%s: the default of %s is no choice",
                          fn->name, p->name);
        }
    }
}
END_TEST

START_TEST(every_parameter_is_documented_with_its_default)
{
    const lang_library *lib = &commands_library;
    for (int i = 0, n = library_count(lib); i < n; i++) {
        const builtin *fn = library_nth(lib, i);
        char *section = docs_section(fn->name);
        ck_assert_ptr_nonnull(section);
        for (int j = 0; fn->params[j].name; j++) {
            const param *p = &fn->params[j];
            char def[64], want[128];
            ck_assert_msg(p->doc && p->doc[0], "%s: %s has no one-line doc",
                          fn->name, p->name);
            if (j < fn->required || is_command_part(fn, j)
                || docs_param_default(p, def, sizeof def) < 0) {
                ck_assert_msg(has_word(section, p->name),
                              "the section on %s does not name its "
                              "parameter %s", fn->name, p->name);
                continue;
            }
            snprintf(want, sizeof want, "%s=%s", p->name, def);
            ck_assert_msg(strstr(section, want),
                          "the section on %s should say %s (the default "
                          "in its descriptor)", fn->name, want);
        }
        free(section);
    }
}
END_TEST

START_TEST(every_section_is_of_a_builtin)
{
    const char *all = docs_all();
    for (const char *p = strstr(all, "\n### "); p;
         p = strstr(p + 1, "\n### ")) {
        char name[64];
        size_t n = strcspn(p + 5, " \n");
        ck_assert_uint_lt(n, sizeof name);
        memcpy(name, p + 5, n);
        name[n] = '\0';
        ck_assert_msg(library_find(&commands_library, name),
                      "docs/language.md has a section on %s, which is no "
                      "builtin", name);
    }
}
END_TEST

START_TEST(help_shows_the_descriptor)
{
    interp_reply r;
    fake_run(fake_it, &fake_rec, "help fit", &r);
    ck_assert_int_eq(r.ok, 1);
    const char *txt = fake_shown(&fake_rec, -1, "text/markdown");
    ck_assert(strncmp(txt, "### fit\n", 8) == 0);
    ck_assert_ptr_nonnull(strstr(txt, "fit: trains a net on a data set."));
    ck_assert_ptr_nonnull(strstr(txt, "- `epochs=100` (a whole number from 1 "
                                      "to 2147483647): passes over the "
                                      "data\n"));
    ck_assert_ptr_nonnull(strstr(txt, "- `net` (a net, required)"));
    ck_assert_ptr_nonnull(strstr(txt, "- `loss=\"auto\"` (\"auto\", \"bce\", "
                                      "\"cross_entropy\", \"mse\", \"mae\" or "
                                      "\"huber\"): auto: "));
    reply_free(&r);

    fake_run(fake_it, &fake_rec, "help adam", &r);
    txt = fake_shown(&fake_rec, -1, "text/markdown");
    ck_assert_ptr_nonnull(strstr(txt, "- `eps=1e-8` (a number from 0 to 1)"));
    ck_assert_ptr_nonnull(strstr(txt, "- `betas=[0.9, 0.999]` (a list)"));
    reply_free(&r);

    /* The range in the descriptor is the one the reader checks; so are
     * the choices. */
    fake_fails("a = adam(eps=2)", "ValueError",
               "adam: eps must be between 0 and 1, got 2");
    fake_fails("d = csv(\"x.csv\", task=\"regresion\")", "ValueError",
               "csv: task must be \"auto\", \"classification\" or "
               "\"regression\", got \"regresion\"; did you mean "
               "'regression'?");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("docs");
    TCase *t = tcase_create("docs");
    tcase_add_checked_fixture(t, fake_open, fake_close);
    tcase_add_test(t, every_builtin_has_a_section);
    tcase_add_test(t, every_builtin_name_is_unique);
    tcase_add_test(t, every_parameter_is_documented_with_its_default);
    tcase_add_test(t, every_section_is_of_a_builtin);
    tcase_add_test(t, help_shows_the_descriptor);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return check_main_run(suite());
}
