/* conn: to be written. */
