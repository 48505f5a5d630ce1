/* nn_gen: to be written. */
