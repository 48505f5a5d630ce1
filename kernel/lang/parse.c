/* parse: to be written. */
