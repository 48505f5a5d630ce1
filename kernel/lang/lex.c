/* lex: to be written. */
