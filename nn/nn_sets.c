/* nn_sets: to be written. */
