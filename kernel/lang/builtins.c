/* builtins: to be written. */
