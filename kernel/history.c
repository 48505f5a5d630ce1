/* history: to be written. */
