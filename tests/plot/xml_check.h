/* xml_check: a small XML well-formedness checker for tests of what the
 * renderers write (tested itself on broken documents in test_plot.c). */
#ifndef XML_CHECK_H
#define XML_CHECK_H

/* 1 when s is one well-formed element: tags nested and closed, attributes
 * quoted and separated, text and attribute values free of raw '<' and of
 * '&' outside known entities. Comments, declarations and CDATA (which the
 * renderers never write) count as errors. */
int xml_ok(const char *s);

#endif
