/* kernel: to be written. */
