/* install: to be written. */
