/* complete: to be written. */
