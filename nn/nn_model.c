/* nn_model: to be written. */
