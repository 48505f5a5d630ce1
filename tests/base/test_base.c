/* base: the string builder, the UTF-8 decoder, the escaper and base64,
 * against known answers (the decoder against every class of malformed
 * sequence of Markus Kuhn's UTF-8 stress test, base64 against RFC 4648's
 * test vectors). */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"
#include "check_main.h"
#include "esc.h"
#include "flt.h"
#include "sb.h"
#include "utf8.h"

START_TEST(decodes_valid_sequences)
{
    unsigned cp;
    ck_assert_int_eq(utf8_decode("A", &cp), 1);
    ck_assert_uint_eq(cp, 'A');
    ck_assert_int_eq(utf8_decode("\xC3\xA9", &cp), 2);         /* é */
    ck_assert_uint_eq(cp, 0xE9);
    ck_assert_int_eq(utf8_decode("\xE2\x82\xAC", &cp), 3);     /* € */
    ck_assert_uint_eq(cp, 0x20AC);
    ck_assert_int_eq(utf8_decode("\xF0\x9F\x98\x80", &cp), 4); /* 😀 */
    ck_assert_uint_eq(cp, 0x1F600);
    ck_assert_int_eq(utf8_decode("\xF4\x8F\xBF\xBF", &cp), 4); /* U+10FFFF */
    ck_assert_uint_eq(cp, 0x10FFFF);
}
END_TEST

START_TEST(refuses_malformed_sequences)
{
    const char *bad[] = {
        "\x80", "\xBF",                 /* stray continuation bytes */
        "\xC0\xAF", "\xC1\xBF",         /* overlong two-byte forms */
        "\xE0\x80\xAF",                 /* overlong three-byte form */
        "\xF0\x80\x80\xAF",             /* overlong four-byte form */
        "\xED\xA0\x80", "\xED\xBF\xBF", /* surrogates */
        "\xF4\x90\x80\x80",             /* past U+10FFFF */
        "\xF5\x80\x80\x80", "\xFF",     /* bytes that never appear */
        "\xC3", "\xE2\x82", "\xF0\x9F\x98", /* cut short by the NUL */
        "\xC3\x41",                     /* a lead byte without its tail */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(utf8_decode(bad[i], NULL) == 0, "case %zu", i);
}
END_TEST

START_TEST(validates_and_counts)
{
    ck_assert(utf8_valid("h\xC3\xA9llo", 6));
    ck_assert(!utf8_valid("h\xC3", 2));          /* cut by the length */
    ck_assert(!utf8_valid("a\0b", 3));           /* NUL inside */
    ck_assert(!utf8_valid("\xED\xA0\x80", 3));   /* a lone surrogate */
    ck_assert(utf8_valid("", 0));
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
    ck_assert_int_eq(utf8_count(s, (int)strlen(s)), 5);
    ck_assert_int_eq(utf8_count(s, 3), 2);
    ck_assert_int_eq(utf8_offset(s, 0), 0);
    ck_assert_int_eq(utf8_offset(s, 2), 3);
    ck_assert_int_eq(utf8_offset(s, 4), 10);
    ck_assert_int_eq(utf8_offset(s, 99), (int)strlen(s));
    /* an invalid byte counts as one code point both ways */
    ck_assert_int_eq(utf8_count("\xFF" "b", 2), 2);
    ck_assert_int_eq(utf8_offset("\xFF" "b", 1), 1);
}
END_TEST

START_TEST(builds_strings)
{
    sb b = {0};
    char *s = sb_done(&b);
    ck_assert_str_eq(s, "");
    free(s);
    for (int i = 0; i < 1000; i++)
        sb_fmt(&b, "%d,", i % 10);
    sb_str(&b, "end");
    sb_put(&b, "xyz", 2);
    sb_num(&b, -3.25);
    sb_str(&b, " ");
    sb_num(&b, 12.0);
    sb_str(&b, " ");
    sb_num(&b, 0.0 / 0.0);
    s = sb_done(&b);
    ck_assert_uint_eq(strlen(s), 2000 + 3 + 2 + 4 + 1 + 2 + 1 + 9);
    ck_assert_str_eq(s + 2000, "endxy-3.3 12 -10000000");
    ck_assert_ptr_null(b.s);   /* sb_done leaves the builder empty */
    free(s);
    s = sb_printf("%s-%d", "a", 7);
    ck_assert_str_eq(s, "a-7");
    free(s);
}
END_TEST

START_TEST(a_failure_is_remembered)
{
    sb b = {0};
    sb_str(&b, "ok");
    sb_put(&b, "x", SIZE_MAX / 2);   /* cannot be allocated */
    ck_assert(b.failed);
    sb_str(&b, "more");              /* ignored */
    ck_assert_ptr_null(sb_done(&b));
    ck_assert(!b.failed);            /* and usable again */
}
END_TEST

/* fit: formats into a buffer as it is when it fits; else its start and
 * its end, where a message says what is wrong, at character boundaries */
static void fit(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vfit(buf, size, fmt, ap);
    va_end(ap);
}

START_TEST(a_long_message_keeps_its_end)
{
    char buf[64];
    fit(buf, sizeof buf, "column '%s' is not a number", "abc");
    ck_assert_str_eq(buf, "column 'abc' is not a number");
    char name[200];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    fit(buf, sizeof buf, "column '%s' is not a number", name);
    /* 64 bytes: 37 of the start, " … " (5), the last 21 */
    ck_assert_str_eq(buf, "column 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnn \xE2\x80\xA6 "
                          "nnnn' is not a number");
    ck_assert_uint_eq(strlen(buf), 63);
    /* a cut never splits a character: 'é' is 2 bytes */
    char wide[201] = "";
    for (int i = 0; i < 100; i++)
        strcat(wide, "\xC3\xA9");
    fit(buf, sizeof buf, "x%s", wide);
    ck_assert(utf8_valid(buf, strlen(buf)));
    ck_assert_uint_le(strlen(buf), 63);
    fit(buf, sizeof buf, "%s", wide);
    ck_assert(utf8_valid(buf, strlen(buf)));
}
END_TEST

/* flt: the shortest text that reads back as the float, and its widest */
START_TEST(floats_write_as_their_shortest_text)
{
    char buf[FLT_TEXT_MAX];
    ck_assert_str_eq(flt_text(buf, 0.1f), "0.1");
    ck_assert_str_eq(flt_text(buf, 1.0f / 3), "0.33333334");
    ck_assert_str_eq(flt_text(buf, -0.0f), "-0");
    ck_assert_str_eq(flt_text(buf, 3.4028235e38f), "3.4028235e+38");
    ck_assert_str_eq(flt_text(buf, 0.9999999f), "0.9999999");
    ck_assert_str_eq(flt_text(buf, -1.0f / 0.0f), "-inf");
    ck_assert(flt_fits(3.4028235e38) && !flt_fits(3.4028236e38));
}
END_TEST

START_TEST(escapes_for_markup_and_text)
{
    char *s = esc_html("<a href=\"x\">Tom & Jerry's</a>");
    ck_assert_str_eq(s, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    free(s);
    sb b = {0};
    /* invalid bytes become U+FFFD, control characters spaces */
    ck_assert_uint_eq(esc_put(&b, "a\xFF\tb", ESC_PLAIN, SIZE_MAX), 4);
    s = sb_done(&b);
    ck_assert_str_eq(s, "a\xEF\xBF\xBD b");
    free(s);
    /* truncation counts characters, not bytes, and adds an ellipsis */
    ck_assert_uint_eq(esc_put(&b, "\xC3\xA9t\xC3\xA9s", ESC_PLAIN, 2), 3);
    s = sb_done(&b);
    ck_assert_str_eq(s, "\xC3\xA9t\xE2\x80\xA6");
    free(s);
    ck_assert_uint_eq(esc_width("na\xC3\xAFve"), 5);
    ck_assert_uint_eq(esc_width(NULL), 0);
}
END_TEST

START_TEST(escapes_markup_with_numeric_references)
{
    sb b = {0};
    ck_assert_uint_eq(esc_put(&b, "<a & \"b\" 'c'>", ESC_MARKUP_NUM,
                              SIZE_MAX), 13);
    char *s = sb_done(&b);
    ck_assert_str_eq(s, "&#60;a &#38; &#34;b&#34; &#39;c&#39;&#62;");
    free(s);
    /* the ellipsis comes after the last character kept, escaped or not */
    ck_assert_uint_eq(esc_put(&b, "ab&cd", ESC_MARKUP_NUM, 3), 4);
    s = sb_done(&b);
    ck_assert_str_eq(s, "ab&#38;\xE2\x80\xA6");
    free(s);
}
END_TEST

START_TEST(encodes_base64)
{
    static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba",
                                      "foobar" };
    static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=",
                                       "Zm9vYmFy" };
    for (int i = 0; i < 7; i++) {
        char *s = b64_encode(in[i], strlen(in[i]));
        ck_assert_str_eq(s, out[i]);
        free(s);
    }
    /* every byte value, and bytes past the first NUL */
    unsigned char bytes[3] = { 0xFF, 0x00, 0xFE };
    char *s = b64_encode(bytes, 3);
    ck_assert_str_eq(s, "/wD+");
    free(s);
    sb b = {0};
    sb_str(&b, "data:,");
    b64_put(&b, "hi", 2);
    s = sb_done(&b);
    ck_assert_str_eq(s, "data:,aGk=");
    free(s);
    ck_assert_ptr_null(b64_encode(bytes, SIZE_MAX));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("base");
    tcase_add_test(tc, decodes_valid_sequences);
    tcase_add_test(tc, refuses_malformed_sequences);
    tcase_add_test(tc, validates_and_counts);
    tcase_add_test(tc, builds_strings);
    tcase_add_test(tc, a_failure_is_remembered);
    tcase_add_test(tc, a_long_message_keeps_its_end);
    tcase_add_test(tc, floats_write_as_their_shortest_text);
    tcase_add_test(tc, escapes_for_markup_and_text);
    tcase_add_test(tc, escapes_markup_with_numeric_references);
    tcase_add_test(tc, encodes_base64);
    suite_add_tcase(s, tc);
    return check_main_run(s);
}
